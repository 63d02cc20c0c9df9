import middy from '@middy/core';
import { onceSucceeded } from '#shared/async/once-succeeded.js';
import { createKmsClient } from '#shared/aws/kms-client.js';
import { parseEnv } from '#shared/config/parse-env.js';
import { jsonApiSecurityHeaders } from '#shared/http/security-headers.js';
import { kmsPublicKeySource } from '#shared/keys/kms-public-key-source.js';
import { loadVerificationKeys } from '#shared/keys/verification-key.js';
import { createLogger } from '#shared/logging/logger.js';
import { discoveryEnv } from './config.js';
import { makeDiscoveryApi } from './discovery-api.js';

const config = parseEnv(discoveryEnv);
const logger = createLogger();
const keySource = kmsPublicKeySource(createKmsClient());

export const handler = middy(
  makeDiscoveryApi({
    // Fetched on the first JWKS request and kept; a failed fetch is retried by the next request.
    loadKeys: onceSucceeded(() => loadVerificationKeys(keySource, config.VERIFY_KEY_IDS)),
    issuer: config.ISSUER,
    region: config.AWS_REGION || undefined,
    scopesSupported: config.SCOPES_SUPPORTED,
    logger,
  }),
).use(jsonApiSecurityHeaders());
