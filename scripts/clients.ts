// `npm run clients -- <command>`: administers OAuth clients of the local or a deployed stack (see `help`).
import { fileURLToPath } from 'node:url';
import { runClientsCli } from './clients/run.js';

process.exitCode = await runClientsCli(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  },
  { projectRoot: fileURLToPath(new URL('..', import.meta.url)) },
);
