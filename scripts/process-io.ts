import { fileURLToPath } from 'node:url';

// The functions run on Lambda's nodejs22.x; the SDK's notice that this machine's older Node will lose support
// is noise on every run of every script. Set here, before any entry point builds a client (the SDK reads it then).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** What the command-line entry points hand their testable `run…Cli` functions: this process's streams and env. */
export const processIo = {
  stdout: (text: string): boolean => process.stdout.write(text),
  stderr: (text: string): boolean => process.stderr.write(text),
  env: process.env,
};

export const projectPaths = { projectRoot: fileURLToPath(new URL('..', import.meta.url)) };
