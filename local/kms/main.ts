import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startKmsEmulator } from './server.js';

/** Runs the KMS emulator on its own: `tsx local/kms/main.ts --data-dir .local/data` (port from KMS_PORT). */

const { values } = parseArgs({ options: { 'data-dir': { type: 'string', default: '.local/data' } } });
const port = Number(process.env.KMS_PORT ?? 0);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`KMS_PORT must be a port number, got ${process.env.KMS_PORT}`);

const emulator = await startKmsEmulator({
  dataDir: resolve(values['data-dir']),
  port,
  ...(process.env.AWS_REGION && { region: process.env.AWS_REGION }),
  log: (line) => console.error(line),
});
console.log(emulator.endpoint);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void emulator.close().then(() => process.exit(0)));
}
