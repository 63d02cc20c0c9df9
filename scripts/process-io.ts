import { fileURLToPath } from 'node:url';

/** What the command-line entry points hand their testable `run…Cli` functions: this process's streams and env. */
export const processIo = {
  stdout: (text: string): boolean => process.stdout.write(text),
  stderr: (text: string): boolean => process.stderr.write(text),
  env: process.env,
};

export const projectPaths = { projectRoot: fileURLToPath(new URL('..', import.meta.url)) };
