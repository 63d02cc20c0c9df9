import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CLIENT_CUTOFF_RETENTION_SECONDS, clientKey, tokenKey, type RevocationCheck, type RevocationRecorder } from './revocation-store.js';

/** Items are `{ pk, clientId, expiresAt }` (one token) or `{ pk, clientId, revokedUpTo, expiresAt }` (a client's cut-off). */
export class RevocationStoreError extends Error {
  override readonly name = 'RevocationStoreError';
}

/**
 * The revocation table (partition key `pk`, TTL attribute `expiresAt`). Reads are strongly consistent
 * (ConsistentRead): a token revoked a moment ago must not pass on a stale replica. Both records of a
 * token are read in one BatchGetItem round trip. Any failure rejects, so callers fail closed.
 */
export function dynamoRevocationStore(documents: DynamoDBDocumentClient, tableName: string): RevocationCheck & RevocationRecorder {
  return {
    async isRevoked({ jti, clientId, issuedAt }) {
      const keys = [{ pk: tokenKey(jti) }, { pk: clientKey(clientId) }];
      const { Responses, UnprocessedKeys } = await documents.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'pk, clientId, revokedUpTo' } } }),
      );
      // Under throttling DynamoDB may return keys unprocessed: not knowing is not "not revoked".
      if (UnprocessedKeys?.[tableName]?.Keys?.length) throw new RevocationStoreError('The revocation table did not answer for every key');
      for (const item of Responses?.[tableName] ?? []) {
        if (item.pk === tokenKey(jti) && item.clientId === clientId) return true;
        if (item.pk === clientKey(clientId) && typeof item.revokedUpTo === 'number' && issuedAt <= item.revokedUpTo) return true;
      }
      return false;
    },

    async revokeToken({ jti, clientId, expiresAt }) {
      await documents.send(new PutCommand({ TableName: tableName, Item: { pk: tokenKey(jti), clientId, expiresAt } }));
    },

    async revokeClientTokens(clientId, issuedUpTo) {
      try {
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: clientKey(clientId), clientId, revokedUpTo: issuedUpTo, expiresAt: issuedUpTo + CLIENT_CUTOFF_RETENTION_SECONDS },
            ConditionExpression: 'attribute_not_exists(pk) OR revokedUpTo < :upTo',
            ExpressionAttributeValues: { ':upTo': issuedUpTo },
          }),
        );
      } catch (error) {
        // A later cut-off is already recorded: it revokes everything this one would.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}
