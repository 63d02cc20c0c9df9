import { PutCommand, paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { AUDIT_JOURNAL, type AuditLog, type AuditRecord } from './audit-record.js';

/** The audit table (template.yaml AuditTable): items keyed by client and event key, the byTime index over all. */
export function dynamoAuditLog({ documentClient, tableName }: { documentClient: DynamoDBDocumentClient; tableName: string }): AuditLog {
  return {
    async append(record) {
      await documentClient.send(
        new PutCommand({
          TableName: tableName,
          // changes as JSON text: values of any shape (lists, absent ones) without DynamoDB's type rules.
          Item: { ...record, journal: AUDIT_JOURNAL, changes: JSON.stringify(record.changes) },
          // Never replaces a record, even one with the same key.
          ConditionExpression: 'attribute_not_exists(eventKey)',
        }),
      );
    },

    async read({ clientId, since }) {
      const input: QueryCommandInput =
        clientId === undefined
          ? {
              TableName: tableName,
              IndexName: 'byTime',
              KeyConditionExpression: since === undefined ? 'journal = :j' : 'journal = :j AND eventKey >= :since',
              ExpressionAttributeValues: { ':j': AUDIT_JOURNAL, ...(since === undefined ? {} : { ':since': since }) },
            }
          : {
              TableName: tableName,
              KeyConditionExpression: since === undefined ? 'clientId = :c' : 'clientId = :c AND eventKey >= :since',
              ExpressionAttributeValues: { ':c': clientId, ...(since === undefined ? {} : { ':since': since }) },
            };
      const records: AuditRecord[] = [];
      for await (const page of paginateQuery({ client: documentClient }, input)) {
        for (const item of page.Items ?? []) records.push(toRecord(item));
      }
      return records;
    },
  };
}

function toRecord(item: Record<string, unknown>): AuditRecord {
  return {
    clientId: String(item.clientId),
    eventKey: String(item.eventKey),
    at: String(item.at),
    actor: String(item.actor),
    action: String(item.action),
    changes: typeof item.changes === 'string' ? (JSON.parse(item.changes) as AuditRecord['changes']) : {},
  };
}
