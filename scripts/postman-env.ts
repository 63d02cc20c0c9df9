// `npm run postman:env`: writes a Postman environment (URLs and fresh client secrets) for the running local stack.
import { processIo, projectPaths } from './process-io.js';
import { runPostmanEnvCli } from './postman/run.js';

// Lambda runs Node 22; the SDK's notice about this machine's Node 20 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await runPostmanEnvCli(process.argv.slice(2), processIo, projectPaths);
