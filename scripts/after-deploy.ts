// `npm run after-deploy`: after `sam deploy`, creates the first clients and writes a Postman environment for the stack.
import { processIo, projectPaths } from './process-io.js';
import { runAfterDeploy } from './after-deploy/run.js';

process.exitCode = await runAfterDeploy(process.argv.slice(2), processIo, projectPaths);
