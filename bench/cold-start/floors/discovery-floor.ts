// DiscoveryFunction's floor: its SDK client, made as it makes it, and the remote calls of its first
// invocation (GET /.well-known/jwks.json): every verifying key's public half, through the function's own adapter.
import { createKmsClient } from '#shared/aws/kms-client.js';
import { kmsPublicKeySource } from '#shared/keys/kms-public-key-source.js';
import { answered, keyIds } from './floor-input.js';

const keySource = kmsPublicKeySource(createKmsClient());

export const handler = async () => answered(...(await Promise.all(keyIds().map((keyId) => keySource.getPublicKey(keyId)))));
