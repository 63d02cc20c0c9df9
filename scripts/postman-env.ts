// `npm run postman:env`: writes a Postman environment (URLs and fresh client secrets) for the running local stack.
import { processIo, projectPaths } from './process-io.js';
import { runPostmanEnvCli } from './postman/run.js';

process.exitCode = await runPostmanEnvCli(process.argv.slice(2), processIo, projectPaths);
