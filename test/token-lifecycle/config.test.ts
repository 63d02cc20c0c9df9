import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '#shared/config/parse-env.js';
import { loadLifecycleConfig } from '#shared/token-lifecycle/lifecycle-config.js';

const valid = {
  CLIENTS_TABLE: 'oauth-cc-ClientsTable-1A2B',
  REVOCATIONS_TABLE: 'oauth-cc-RevocationsTable-3C4D',
  CLIENT_ASSERTIONS_TABLE: 'oauth-cc-ClientAssertionsTable-5E6F',
  CLOCK_SKEW_SECONDS: '30',
  VERIFY_KEY_IDS: 'arn:aws:kms:eu-west-1:123456789012:key/a,arn:aws:kms:eu-west-1:123456789012:key/b',
  ISSUER: '',
  AWS_REGION: 'eu-west-1',
};

describe('revocation and introspection configuration', () => {
  it('reads the template environment, an empty ISSUER meaning "derive it from the request"', () => {
    expect(loadLifecycleConfig(valid)).toEqual({
      clientsTable: valid.CLIENTS_TABLE,
      revocationsTable: valid.REVOCATIONS_TABLE,
      clientAssertionsTable: valid.CLIENT_ASSERTIONS_TABLE,
      clockSkewSeconds: 30,
      verifyKeyIds: ['arn:aws:kms:eu-west-1:123456789012:key/a', 'arn:aws:kms:eu-west-1:123456789012:key/b'],
      issuer: undefined,
      region: 'eu-west-1',
    });
  });

  it.each([
    ['CLIENTS_TABLE', { CLIENTS_TABLE: undefined }],
    ['REVOCATIONS_TABLE', { REVOCATIONS_TABLE: ' ' }],
    ['CLIENT_ASSERTIONS_TABLE', { CLIENT_ASSERTIONS_TABLE: undefined }],
    ['CLOCK_SKEW_SECONDS', { CLOCK_SKEW_SECONDS: '600' }],
    ['VERIFY_KEY_IDS', { VERIFY_KEY_IDS: ',' }],
    ['ISSUER', { ISSUER: 'issuer' }],
  ])('refuses a bad %s with a ConfigurationError naming it', (variable, override) => {
    const attempt = () => loadLifecycleConfig({ ...valid, ...override });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(new RegExp(`^Invalid configuration: ${variable}: `));
  });
});
