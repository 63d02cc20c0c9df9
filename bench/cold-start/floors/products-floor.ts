// ProductsFunction's floor: its SDK client, made as it makes it, and the remote call of its first invocation
// (GET /products): one Scan page of the default size (functions/products/request.ts, DEFAULT_PAGE_SIZE).
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#shared/aws/dynamodb-document-client.js';
import { answered, env } from './floor-input.js';

const documents = createDocumentClient();

export const handler = async () => {
  const { Items } = await documents.send(new ScanCommand({ TableName: env('PRODUCTS_TABLE'), Limit: 20 }));
  return answered(Items);
};
