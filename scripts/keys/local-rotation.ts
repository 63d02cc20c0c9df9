import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { verificationKeyFromSpki } from '#shared/keys/verification-key.js';
import type { StackInfo } from '../../local/stack-info.js';
import {
  activateNewKey,
  addKey,
  readKeySlots,
  retirePreviousKey,
  RotationStepRefused as LocalStepRefused,
  writeKeySlots,
  type KeySlots,
  type SlotName,
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
        io.stdout(`${await describe(kms, slots)}\nNext: ${statusNextStep(slots)}\n`);
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
    io.stdout(`${await describe(kms, next)}\nThe running stack reloads its functions with these keys.\nNext: ${AFTER_STEP[command]}\n`);
  } catch (error) {
    throw error instanceof LocalStepRefused ? new RotationStepRefused(error.message) : error;
  } finally {
    kms.destroy();
  }
}

const AFTER_STEP: Record<Exclude<LocalCommand, 'status'>, string> = {
  add: 'npm run keys -- activate (on AWS, wait 300 s first: verifiers cache the JWKS that long)',
  activate: 'npm run keys -- retire, once the tokens the previous key signed have expired (up to MaxTokenLifetimeSeconds)',
  retire: 'the rotation is complete; npm run keys -- add starts the next one',
};

function statusNextStep(slots: KeySlots): string {
  const present = (['A', 'B'] as const).filter((name) => slots[name] !== undefined);
  return present.length < 2
    ? 'npm run keys -- add starts a rotation'
    : 'npm run keys -- activate if the previous key was just added; npm run keys -- retire once the old key\'s tokens have expired';
}

/** One line per slot with the kid tokens carry (RFC 7638 thumbprint of the public key, as the JWKS publishes it). */
async function describe(kms: KMSClient, slots: KeySlots): Promise<string> {
  const lines = ['Signing key slots:'];
  for (const name of ['A', 'B'] as const satisfies readonly SlotName[]) {
    const slot = slots[name];
    if (slot === undefined) {
      lines.push(`  ${name}  absent`);
      continue;
    }
    const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: slot.keyId }));
    const kid = PublicKey === undefined ? '?' : verificationKeyFromSpki(slot.arn, PublicKey).kid;
    lines.push(`  ${name}  ${slot.state.padEnd(8)}  kid ${kid}  ${slot.arn}`);
  }
  return lines.join('\n');
}
