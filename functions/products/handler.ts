import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { createDocumentClient } from '#shared/aws/dynamodb-document-client.js';
import { parseEnv } from '#shared/config/parse-env.js';
import { jsonApiSecurityHeaders } from '#shared/http/security-headers.js';
import { createLogger } from '#shared/logging/logger.js';
import { productsEnv } from './config.js';
import { dynamoProductStore } from './dynamo-product-store.js';
import { makeProductsApi } from './products-api.js';

const config = parseEnv(productsEnv);
const logger = createLogger();
const store = dynamoProductStore({ client: createDocumentClient(), tableName: config.PRODUCTS_TABLE });

export const handler = middy(makeProductsApi({ store, logger, clockSkewSeconds: config.CLOCK_SKEW_SECONDS }))
  .use(httpHeaderNormalizer())
  .use(jsonApiSecurityHeaders());
