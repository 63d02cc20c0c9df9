import { createDocumentClient } from '#shared/aws/dynamodb-document-client.js';
import { createKmsClient } from '#shared/aws/kms-client.js';
import { dynamoAssertionJtiStore } from '#shared/client-auth/dynamo-assertion-jti-store.js';
import { dynamoClientStore } from '#shared/clients/dynamo-client-store.js';
import { createLogger } from '#shared/logging/logger.js';
import { createMetrics } from '#shared/metrics/powertools-metrics.js';
import { systemClock } from '#shared/time/clock.js';
import { kmsTokenSigner } from '#shared/tokens/kms-token-signer.js';
import { loadTokenConfig } from './config.js';
import { tokenEndpoint } from './token-endpoint.js';

// Parsed at cold start: a bad environment fails the init with a ConfigurationError naming the variable.
const config = loadTokenConfig();
const documents = createDocumentClient();
const metrics = createMetrics();

export const handler = tokenEndpoint({
  config,
  logger: createLogger(),
  metrics,
  clock: systemClock,
  clients: dynamoClientStore(documents, config.clientsTable),
  ...(config.clientAssertionsTable === undefined ? {} : { assertionJtis: dynamoAssertionJtiStore(documents, config.clientAssertionsTable) }),
  signer: kmsTokenSigner(createKmsClient(), config.signingKeyId, metrics.recorder),
});
