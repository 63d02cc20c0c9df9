// RevocationFunction's floor: its SDK clients, made as it makes them, and its first invocation's remote calls
// (shared/token-lifecycle, functions/revocation): the caller's record, the verifying keys, the revocation record.
// The key and revocation adapters are the function's own (nothing but SDK calls); the client read is the
// GetItem of shared/clients/dynamo-client-store.ts without its schema check.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#shared/aws/dynamodb-document-client.js';
import { createKmsClient } from '#shared/aws/kms-client.js';
import { kmsPublicKeySource } from '#shared/keys/kms-public-key-source.js';
import { dynamoRevocationStore } from '#shared/revocation/dynamo-revocation-store.js';
import { answered, basicClientId, env, formToken, keyIds, unverifiedClaims, type FloorProxyEvent } from './floor-input.js';

const documents = createDocumentClient();
const keySource = kmsPublicKeySource(createKmsClient());

export const handler = async (event: FloorProxyEvent) => {
  const { Item } = await documents.send(new GetCommand({ TableName: env('CLIENTS_TABLE'), Key: { clientId: basicClientId(event) } }));
  const keys = await Promise.all(keyIds().map((keyId) => keySource.getPublicKey(keyId)));
  const { jti, client_id: clientId, exp } = unverifiedClaims(formToken(event));
  await dynamoRevocationStore(documents, env('REVOCATIONS_TABLE')).revokeToken({ jti, clientId, expiresAt: exp });
  return answered(Item, ...keys);
};
