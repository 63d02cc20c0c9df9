import { KMSClient } from '@aws-sdk/client-kms';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StackInfo } from '../local/stack-info.js';
import { PROJECT_ROOT } from '../local/stack/local-stack.js';
import {
  activateNewKey,
  addKey,
  readKeySlots,
  retirePreviousKey,
  RotationStepRefused,
  writeKeySlots,
  type KeySlots,
} from '../local/stack/signing-key-slots.js';

/**
 * `npm run keys -- <status|add|activate|retire>`: the signing-key rotation runbook on the local stack,
 * step by step, exactly as on AWS with the KeyAState/KeyBState parameters. Each step updates the key
 * slots and tells the running stack (SIGHUP) to restart its functions with them.
 */
const USAGE = `usage: npm run keys -- <command> [--stack-file PATH]
  status    show the key slots
  add       create a new key in the free slot: published in the JWKS and accepted, not yet signing
  activate  sign with the added key; the old key keeps verifying until its tokens expire
  retire    remove the previous key (after one max token lifetime): its tokens stop working`;

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const fileFlag = rest.indexOf('--stack-file');
  const stackFile = fileFlag >= 0 ? rest[fileFlag + 1] : (process.env.OAUTH_STACK_FILE ?? join(PROJECT_ROOT, '.local', 'stack.json'));
  if (command === undefined || command === 'help' || command === '--help' || stackFile === undefined) {
    console.error(USAGE);
    return command === undefined || stackFile === undefined ? 2 : 0;
  }

  let stack: StackInfo;
  try {
    stack = JSON.parse(await readFile(stackFile, 'utf8')) as StackInfo;
  } catch {
    console.error(`No running local stack (${stackFile} not found): run npm start first.`);
    return 2;
  }
  const kms = new KMSClient({ endpoint: stack.kmsEndpoint, region: stack.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const slots = await readKeySlots(stack.dataDir);

  let next: KeySlots;
  switch (command) {
    case 'status':
      console.log(JSON.stringify(slots, null, 2));
      return 0;
    case 'add':
      next = await addKey(kms, slots);
      break;
    case 'activate':
      next = activateNewKey(slots);
      break;
    case 'retire':
      next = await retirePreviousKey(kms, slots);
      break;
    default:
      console.error(`Unknown command "${command}".\n${USAGE}`);
      return 2;
  }
  await writeKeySlots(stack.dataDir, next);
  process.kill(stack.pid, 'SIGHUP');
  console.log(JSON.stringify(next, null, 2));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof RotationStepRefused ? error.message : `Key rotation step failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
