// TokenFunction's floor: its SDK clients, made as it makes them, and its first invocation's remote calls
// (functions/token/token-issuer.ts): the client's record and the signing key's public half at once, then Sign.
import { createHash } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#shared/aws/dynamodb-document-client.js';
import { createKmsClient } from '#shared/aws/kms-client.js';
import { answered, basicClientId, env, type FloorProxyEvent } from './floor-input.js';

const documents = createDocumentClient();
const kms = createKmsClient();

export const handler = async (event: FloorProxyEvent) => {
  const keyId = env('SIGNING_KEY_ID');
  const [{ Item }, { PublicKey }] = await Promise.all([
    documents.send(new GetCommand({ TableName: env('CLIENTS_TABLE'), Key: { clientId: basicClientId(event) } })),
    kms.send(new GetPublicKeyCommand({ KeyId: keyId })),
  ]);
  const digest = createHash('sha256').update(`${Item?.clientId}`).digest();
  const { Signature } = await kms.send(new SignCommand({ KeyId: keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' }));
  return answered(Item, PublicKey, Signature);
};
