// `npm run invoke -- <FunctionLogicalId> <event-file>`: `sam local invoke` against the local stack, without Docker.
import { text } from 'node:stream/consumers';
import { fileURLToPath } from 'node:url';
import { runInvokeCli } from './invoke/run.js';

// Lambda runs Node 22; the SDK's notice about this machine's Node 20 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

process.exitCode = await runInvokeCli(
  process.argv.slice(2),
  {
    stdout: (output) => process.stdout.write(output),
    stderr: (output) => process.stderr.write(output),
    readStdin: () => text(process.stdin),
    env: process.env,
  },
  { projectRoot: fileURLToPath(new URL('..', import.meta.url)) },
);
