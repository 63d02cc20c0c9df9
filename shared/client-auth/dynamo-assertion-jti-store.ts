import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dependencyUnavailable } from '#shared/aws/dependency-unavailable.js';
import type { AssertionJtiStore } from './assertion-jti-store.js';

/**
 * The jti store over the client-assertions table (partition key `clientId`, sort key `jti`, TTL attribute
 * `expiresAt`): one conditional PutItem per assertion, so two concurrent requests with one assertion
 * cannot both succeed. TTL deletes an expired item only eventually ("typically within a few days",
 * DynamoDB Developer Guide, "Working with expired items and time to live"), and not at all where TTL is
 * not implemented (the local emulator), so the condition itself treats an expired record as absent.
 */
export function dynamoAssertionJtiStore(documents: DynamoDBDocumentClient, tableName: string): AssertionJtiStore {
  return {
    async claim(clientId, jti, expiresAt, now) {
      try {
        await documents.send(
          new PutCommand({
            TableName: tableName,
            Item: { clientId, jti, expiresAt },
            ConditionExpression: 'attribute_not_exists(jti) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': now },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
        throw dependencyUnavailable('DynamoDB', error);
      }
    },
  };
}
