// AWS::DynamoDB::Table resources as CreateTable requests, so the local stack creates exactly the tables
// (keys, indexes, billing) the template declares. Settings without meaning for an emulator (encryption,
// point-in-time recovery, tags) are left out; TTL needs its own UpdateTimeToLive call, so it is separate.
import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  LocalSecondaryIndex,
  Projection,
  ProvisionedThroughput,
  TimeToLiveSpecification,
} from '@aws-sdk/client-dynamodb';
import { resolve } from './intrinsics.js';
import { optionalField, optionalList, optionalNumber, optionalRecord, optionalString, requiredString } from './shape.js';
import type { Stack } from './stack.js';

export interface TableDescription {
  logicalId: string;
  input: CreateTableCommandInput;
  timeToLive?: TimeToLiveSpecification;
}

export function describeTables(stack: Stack): Record<string, TableDescription> {
  const tables: Record<string, TableDescription> = {};
  for (const resource of stack.resources) {
    if (resource.type !== 'AWS::DynamoDB::Table' || !stack.exists(resource)) continue;
    const at = `Resources.${resource.logicalId}.Properties`;
    const properties = optionalRecord(resolve(resource.properties, stack.scope, at), at);
    const ttl = optionalRecord(properties.TimeToLiveSpecification, `${at}.TimeToLiveSpecification`);
    const stream = optionalString(optionalRecord(properties.StreamSpecification, `${at}.StreamSpecification`).StreamViewType, at);
    const globalIndexes = optionalList(properties.GlobalSecondaryIndexes, `${at}.GlobalSecondaryIndexes`).map((raw, i) =>
      globalIndex(optionalRecord(raw, `${at}.GlobalSecondaryIndexes[${i}]`), `${at}.GlobalSecondaryIndexes[${i}]`),
    );
    const localIndexes = optionalList(properties.LocalSecondaryIndexes, `${at}.LocalSecondaryIndexes`).map((raw, i) =>
      localIndex(optionalRecord(raw, `${at}.LocalSecondaryIndexes[${i}]`), `${at}.LocalSecondaryIndexes[${i}]`),
    );
    const billingMode = (optionalString(properties.BillingMode, `${at}.BillingMode`) ?? 'PROVISIONED') as CreateTableCommandInput['BillingMode'];
    const input: CreateTableCommandInput = {
      TableName: stack.scope.resource(resource.logicalId, at)!.ref,
      AttributeDefinitions: optionalList(properties.AttributeDefinitions, `${at}.AttributeDefinitions`).map((raw, i) =>
        attributeDefinition(optionalRecord(raw, `${at}.AttributeDefinitions[${i}]`), `${at}.AttributeDefinitions[${i}]`),
      ),
      KeySchema: keySchema(properties.KeySchema, `${at}.KeySchema`),
      BillingMode: billingMode,
      ...optionalField('ProvisionedThroughput', throughput(properties.ProvisionedThroughput, `${at}.ProvisionedThroughput`)),
      ...optionalField('GlobalSecondaryIndexes', globalIndexes.length > 0 ? globalIndexes : undefined),
      ...optionalField('LocalSecondaryIndexes', localIndexes.length > 0 ? localIndexes : undefined),
      ...optionalField('StreamSpecification', stream ? { StreamEnabled: true, StreamViewType: stream as 'NEW_IMAGE' } : undefined),
    };
    tables[resource.logicalId] = {
      logicalId: resource.logicalId,
      input,
      ...optionalField(
        'timeToLive',
        ttl.AttributeName === undefined
          ? undefined
          : { AttributeName: String(ttl.AttributeName), Enabled: ttl.Enabled === true || ttl.Enabled === 'true' },
      ),
    };
  }
  return tables;
}

function attributeDefinition(raw: Record<string, unknown>, at: string): AttributeDefinition {
  return {
    AttributeName: requiredString(raw.AttributeName, `${at}.AttributeName`),
    AttributeType: requiredString(raw.AttributeType, `${at}.AttributeType`) as AttributeDefinition['AttributeType'],
  };
}

function keySchema(raw: unknown, at: string): KeySchemaElement[] {
  return optionalList(raw, at).map((element, i) => {
    const key = optionalRecord(element, `${at}[${i}]`);
    return {
      AttributeName: requiredString(key.AttributeName, `${at}[${i}].AttributeName`),
      KeyType: requiredString(key.KeyType, `${at}[${i}].KeyType`) as KeySchemaElement['KeyType'],
    };
  });
}

function projection(raw: unknown, at: string): Projection {
  const value = optionalRecord(raw, at);
  const nonKey = optionalList(value.NonKeyAttributes, `${at}.NonKeyAttributes`).map(String);
  return {
    ProjectionType: (optionalString(value.ProjectionType, `${at}.ProjectionType`) ?? 'KEYS_ONLY') as Projection['ProjectionType'],
    ...optionalField('NonKeyAttributes', nonKey.length > 0 ? nonKey : undefined),
  };
}

function throughput(raw: unknown, at: string): ProvisionedThroughput | undefined {
  if (raw === undefined) return undefined;
  const value = optionalRecord(raw, at);
  return {
    ReadCapacityUnits: optionalNumber(value.ReadCapacityUnits, `${at}.ReadCapacityUnits`),
    WriteCapacityUnits: optionalNumber(value.WriteCapacityUnits, `${at}.WriteCapacityUnits`),
  };
}

function globalIndex(raw: Record<string, unknown>, at: string): GlobalSecondaryIndex {
  return {
    IndexName: requiredString(raw.IndexName, `${at}.IndexName`),
    KeySchema: keySchema(raw.KeySchema, `${at}.KeySchema`),
    Projection: projection(raw.Projection, `${at}.Projection`),
    ...optionalField('ProvisionedThroughput', throughput(raw.ProvisionedThroughput, `${at}.ProvisionedThroughput`)),
  };
}

function localIndex(raw: Record<string, unknown>, at: string): LocalSecondaryIndex {
  return {
    IndexName: requiredString(raw.IndexName, `${at}.IndexName`),
    KeySchema: keySchema(raw.KeySchema, `${at}.KeySchema`),
    Projection: projection(raw.Projection, `${at}.Projection`),
  };
}
