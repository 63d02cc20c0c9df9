// `npm run keys -- <status|add|activate|retire> [--aws]`: the signing-key rotation runbook (scripts/keys/run.ts).
import { processIo, projectPaths } from './process-io.js';
import { runKeysCli } from './keys/run.js';

process.exitCode = await runKeysCli(process.argv.slice(2), processIo, projectPaths);
