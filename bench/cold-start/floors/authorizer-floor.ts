// AuthorizerFunction's floor: its SDK clients, made as it makes them, and its first invocation's remote calls
// (functions/authorizer/handler.ts): every verifying key's public half and, meanwhile, the token's revocation records.
// The two adapters are the function's own: they hold nothing but the SDK calls.
import { createDocumentClient } from '#shared/aws/dynamodb-document-client.js';
import { createKmsClient } from '#shared/aws/kms-client.js';
import { kmsPublicKeySource } from '#shared/keys/kms-public-key-source.js';
import { dynamoRevocationStore } from '#shared/revocation/dynamo-revocation-store.js';
import { answered, env, keyIds, unverifiedClaims } from './floor-input.js';

const keySource = kmsPublicKeySource(createKmsClient());
const documents = createDocumentClient();

export const handler = async (event: { authorizationToken: string }) => {
  const { jti, client_id: clientId, iat } = unverifiedClaims(event.authorizationToken.replace(/^Bearer /, ''));
  const [revoked, ...keys] = await Promise.all([
    dynamoRevocationStore(documents, env('REVOCATIONS_TABLE')).isRevoked({ jti, clientId, issuedAt: iat }),
    ...keyIds().map((keyId) => keySource.getPublicKey(keyId)),
  ]);
  return answered(...keys, revoked);
};
