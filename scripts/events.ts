// `npm run events`: (re)writes the event fixtures that need the running local stack (see events/README.md).
import { processIo, projectPaths } from './process-io.js';
import { runEventsCli } from './events/run.js';

// Lambda runs Node 22; the SDK's notice about this machine's Node 20 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await runEventsCli(process.argv.slice(2), processIo, projectPaths);
