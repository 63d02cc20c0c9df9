import { createDocumentClient } from '#shared/aws/dynamodb-document-client.js';
import { createKmsClient } from '#shared/aws/kms-client.js';
import { dynamoAssertionJtiStore } from '#shared/client-auth/dynamo-assertion-jti-store.js';
import { dynamoClientStore } from '#shared/clients/dynamo-client-store.js';
import { kmsPublicKeySource } from '#shared/keys/kms-public-key-source.js';
import { createLogger } from '#shared/logging/logger.js';
import { createMetrics } from '#shared/metrics/powertools-metrics.js';
import { dynamoRevocationStore } from '#shared/revocation/dynamo-revocation-store.js';
import { systemClock } from '#shared/time/clock.js';
import { loadLifecycleConfig } from './lifecycle-config.js';
import { serverTokenVerifier } from './server-token-verifier.js';
import type { TokenEndpointDependencies } from './token-endpoint-request.js';

/**
 * The revocation and introspection functions' adapters, made once per container at import: the clients
 * table, the revocation table and KMS's public keys. Configuration is parsed here, so a bad environment
 * fails the init naming the variable.
 */
export function lifecycleAdapters() {
  const config = loadLifecycleConfig();
  const documents = createDocumentClient();
  const endpoint: TokenEndpointDependencies = {
    config,
    logger: createLogger(),
    clients: dynamoClientStore(documents, config.clientsTable),
    assertionJtis: dynamoAssertionJtiStore(documents, config.clientAssertionsTable),
    clock: systemClock,
    clockSkewSeconds: config.clockSkewSeconds,
    loadVerifier: serverTokenVerifier(kmsPublicKeySource(createKmsClient()), config.verifyKeyIds, config.clockSkewSeconds),
    metrics: createMetrics(),
  };
  return { endpoint, revocations: dynamoRevocationStore(documents, config.revocationsTable) };
}
