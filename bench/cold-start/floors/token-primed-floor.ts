// TokenFunction's floor with connection priming: the same clients and calls, but the call that needs nothing
// from the request (the signing key's GetPublicKey) is started during init, so the KMS connection is being
// made while the runtime fetches the first event; the handler then waits for it beside the GetItem.
import { createHash } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#shared/aws/dynamodb-document-client.js';
import { createKmsClient } from '#shared/aws/kms-client.js';
import { answered, basicClientId, env, type FloorProxyEvent } from './floor-input.js';

const documents = createDocumentClient();
const kms = createKmsClient();
const keyId = env('SIGNING_KEY_ID');
const publicKey = kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
// Awaited by the first invocation; a failure is that invocation's, not an unhandled rejection during init.
publicKey.catch(() => undefined);

export const handler = async (event: FloorProxyEvent) => {
  const [{ Item }, { PublicKey }] = await Promise.all([
    documents.send(new GetCommand({ TableName: env('CLIENTS_TABLE'), Key: { clientId: basicClientId(event) } })),
    publicKey,
  ]);
  const digest = createHash('sha256').update(`${Item?.clientId}`).digest();
  const { Signature } = await kms.send(new SignCommand({ KeyId: keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }));
  return answered(Item, PublicKey, Signature);
};
