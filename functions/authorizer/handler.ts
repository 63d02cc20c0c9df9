import type { APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { accessRules, readAccessRules } from '#shared/access/access-rules.js';
import { onceSucceeded } from '#shared/async/once-succeeded.js';
import { createDocumentClient } from '#shared/aws/dynamodb-document-client.js';
import { createKmsClient } from '#shared/aws/kms-client.js';
import { parseEnv } from '#shared/config/parse-env.js';
import { kmsPublicKeySource } from '#shared/keys/kms-public-key-source.js';
import { loadVerificationKeys } from '#shared/keys/verification-key.js';
import { createLogger } from '#shared/logging/logger.js';
import { dynamoRevocationStore } from '#shared/revocation/dynamo-revocation-store.js';
import type { RevocationCheck } from '#shared/revocation/revocation-store.js';
import { createMetrics } from '#shared/metrics/powertools-metrics.js';
import { makeAccessTokenVerifier } from '#shared/access-token/access-token-verifier.js';
import { authorizerEnv } from './config.js';
import { makeRoutePolicyBuilder } from './route-policy.js';
import type { AuthorizerAnswer } from './policy.js';
import { makeTokenAuthorizer } from './token-authorizer.js';

const logger = createLogger();
const keySource = kmsPublicKeySource(createKmsClient());
const policyFor = makeRoutePolicyBuilder(readAccessRules(accessRules));
const documents = createDocumentClient();

// Configuration and keys are settled on the first request and kept while they are good. Both are read
// inside the guarded load rather than at import, so a bad environment or an unreachable KMS ends in a
// 503 (and a log line) that the next request retries, instead of an init failure.
const loadVerifier = onceSucceeded(async () => {
  const config = parseEnv(authorizerEnv);
  return makeAccessTokenVerifier({
    keys: await loadVerificationKeys(keySource, config.VERIFY_KEY_IDS),
    issuer: config.ISSUER,
    audience: config.AUDIENCE,
    clockSkewSeconds: config.CLOCK_SKEW_SECONDS,
  });
});

// Built on first use like the verifier: a missing variable is a 503 (and a log line), not an init failure.
let revocationStore: RevocationCheck | undefined;
const revocations: RevocationCheck = {
  isRevoked: (token) => (revocationStore ??= dynamoRevocationStore(documents, parseEnv(authorizerEnv).REVOCATIONS_TABLE)).isRevoked(token),
};


const { metrics, recorder } = createMetrics();
const authorize = makeTokenAuthorizer({ loadVerifier, policyFor, revocations, logger, metrics: recorder });

// Not a middy handler (nothing else here needs one): the invocation's one EMF record is flushed on the way out,
// whatever the outcome.
export const handler = async (event: APIGatewayTokenAuthorizerEvent, context?: Pick<Context, 'awsRequestId'>): Promise<AuthorizerAnswer> => {
  try {
    if (context !== undefined) recorder.property('function_request_id', context.awsRequestId);
    return await authorize(event);
  } finally {
    metrics.publishStoredMetrics();
  }
};
