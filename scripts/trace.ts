// `npm run trace -- <FunctionLogicalId> [file]`: a function log's minified stack trace, mapped to the TypeScript sources.
import { processIo, projectPaths } from './process-io.js';
import { runTraceCli } from './trace/run.js';

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

process.exitCode = await runTraceCli(process.argv.slice(2), { ...processIo, readStdin }, projectPaths);
