import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sdkLimits } from '#shared/aws/sdk-limits.js';
import { makeClientRegistry, type ClientRegistry } from '#shared/clients/client-registry.js';
import { dynamoClientRepository } from '#shared/clients/dynamo-client-repository.js';
import type { AuditLog } from '#shared/audit/audit-record.js';
import { auditedRegistry } from '#shared/audit/audited-registry.js';
import { dynamoAuditLog } from '#shared/audit/dynamo-audit-log.js';
import { dynamoRevocationStore } from '#shared/revocation/dynamo-revocation-store.js';
import type { RevocationRecorder } from '#shared/revocation/revocation-store.js';
import { actorFor } from './actor.js';
import { ConnectionError, type Connection } from './connection.js';

/**
 * The registry over the connection's clients table, every change recorded in its audit table (audited-registry.ts);
 * `close` releases the SDK's sockets so the process can exit.
 */
export function openRegistry(connection: Connection, clock: () => Date, warn: (message: string) => void = () => {}): { registry: ClientRegistry; audit: AuditLog | undefined; close(): void } {
  const dynamodb = new DynamoDBClient({ ...sdkLimits, ...connection.dynamodb });
  const documentClient = DynamoDBDocumentClient.from(dynamodb);
  const repository = dynamoClientRepository({ documentClient, tableName: connection.tableName });
  const { revocationsTable } = connection;
  // Commands that cut tokens off (disable, delete, revoke-tokens) need the revocation table; refusing
  // before anything changes beats a disabled client whose tokens still work.
  const revocations: Pick<RevocationRecorder, 'revokeClientTokens'> =
    revocationsTable === undefined
      ? {
          revokeClientTokens: () =>
            Promise.reject(new ConnectionError('this command revokes the client\'s tokens: pass --revocations-table NAME (the RevocationsTableName output) or --stack-name')),
        }
      : dynamoRevocationStore(documentClient, revocationsTable);
  const audit = connection.auditTable === undefined ? undefined : dynamoAuditLog({ documentClient, tableName: connection.auditTable });
  return {
    registry: auditedRegistry(makeClientRegistry({ repository, revocations, defaults: connection.defaults, clock }), {
      audit,
      actor: actorFor(connection),
      clock,
      // A deployed stack without an audit table refuses changes; a local stack file may predate the table.
      ...(connection.local ? { unaudited: (action: string) => warn(`the local stack names no audit table; "${action}" is not audited`) } : {}),
    }),
    audit,
    close: () => dynamodb.destroy(),
  };
}
