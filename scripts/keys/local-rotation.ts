import { KMSClient } from '@aws-sdk/client-kms';
import type { StackInfo } from '../../local/stack-info.js';
import {
  activateNewKey,
  addKey,
  readKeySlots,
  retirePreviousKey,
  RotationStepRefused as LocalStepRefused,
  writeKeySlots,
  type KeySlots,
} from '../../local/stack/signing-key-slots.js';
import { RotationStepRefused } from './rotation.js';
import type { KeysIo, LocalCommand } from './run.js';

/**
 * The runbook on the local stack: each step updates the key slots and tells the running stack (SIGHUP) to
 * restart its functions with them, exactly as a deployment with the KeyAState/KeyBState parameters would.
 */
export async function runLocalKeysCommand(command: LocalCommand, stack: StackInfo, io: KeysIo): Promise<void> {
  const kms = new KMSClient({ endpoint: stack.kmsEndpoint, region: stack.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const slots = await readKeySlots(stack.dataDir);
    let next: KeySlots;
    switch (command) {
      case 'status':
        io.stdout(`${JSON.stringify(slots, null, 2)}\n`);
        return;
      case 'add':
        next = await addKey(kms, slots);
        break;
      case 'activate':
        next = activateNewKey(slots);
        break;
      case 'retire':
        next = await retirePreviousKey(kms, slots);
        break;
    }
    await writeKeySlots(stack.dataDir, next);
    process.kill(stack.pid, 'SIGHUP');
    io.stdout(`${JSON.stringify(next, null, 2)}\n`);
  } catch (error) {
    throw error instanceof LocalStepRefused ? new RotationStepRefused(error.message) : error;
  } finally {
    kms.destroy();
  }
}
