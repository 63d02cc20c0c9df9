// `npm run after-deploy`: after `sam deploy`, creates the first clients and writes a Postman environment for the stack.
import { fileURLToPath } from 'node:url';
import { runAfterDeploy } from './after-deploy/run.js';

process.exitCode = await runAfterDeploy(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  },
  { projectRoot: fileURLToPath(new URL('..', import.meta.url)) },
);
