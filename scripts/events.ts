// `npm run events`: (re)writes the event fixtures that need the running local stack (see events/README.md).
import { processIo, projectPaths } from './process-io.js';
import { runEventsCli } from './events/run.js';

process.exitCode = await runEventsCli(process.argv.slice(2), processIo, projectPaths);
