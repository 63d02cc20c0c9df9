// `npm run clients -- <command>`: administers OAuth clients of the local or a deployed stack (see `help`).
import { processIo, projectPaths } from './process-io.js';
import { runClientsCli } from './clients/run.js';

process.exitCode = await runClientsCli(process.argv.slice(2), processIo, projectPaths);
