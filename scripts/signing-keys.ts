// `npm run keys -- <status|add|activate|retire> [--aws]`: the signing-key rotation runbook (scripts/keys/run.ts).
import { processIo, projectPaths } from './process-io.js';
import { runKeysCli } from './keys/run.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.exitCode = await runKeysCli(process.argv.slice(2), processIo, projectPaths);
