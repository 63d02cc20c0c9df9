import { describe, expect, it } from 'vitest';
import { ConfigurationError, parseEnv } from '#shared/config/parse-env.js';
import { authorizerEnv } from '../../functions/authorizer/config.js';

const authorizerConfig = (env: Record<string, string | undefined>) => parseEnv(authorizerEnv, env);

const valid = {
  AUDIENCE: 'urn:oauth-cc:products',
  CLOCK_SKEW_SECONDS: '30',
  VERIFY_KEY_IDS: 'arn:aws:kms:eu-west-1:123456789012:key/a, arn:aws:kms:eu-west-1:123456789012:key/b,',
  ISSUER: '',
  REVOCATIONS_TABLE: 'oauth-cc-RevocationsTable-1A2B',
};

describe('authorizer configuration', () => {
  it('reads the template environment: keys as a list, an empty ISSUER meaning "derive it from the method ARN"', () => {
    expect(authorizerConfig({ ...valid, AUDIENCE: ' urn:oauth-cc:products ', UNRELATED: 'x' })).toEqual({
      AUDIENCE: 'urn:oauth-cc:products',
      CLOCK_SKEW_SECONDS: 30,
      VERIFY_KEY_IDS: ['arn:aws:kms:eu-west-1:123456789012:key/a', 'arn:aws:kms:eu-west-1:123456789012:key/b'],
      ISSUER: undefined,
      REVOCATIONS_TABLE: valid.REVOCATIONS_TABLE,
    });
  });

  it('defaults the skew to 30 s and keeps a configured issuer', () => {
    const { CLOCK_SKEW_SECONDS: _skew, ...rest } = valid;
    expect(authorizerConfig({ ...rest, ISSUER: 'https://auth.example.com' })).toMatchObject({ CLOCK_SKEW_SECONDS: 30, ISSUER: 'https://auth.example.com' });
  });

  it.each([
    ['AUDIENCE', { AUDIENCE: undefined }],
    ['AUDIENCE', { AUDIENCE: '   ' }],
    ['CLOCK_SKEW_SECONDS', { CLOCK_SKEW_SECONDS: '301' }],
    ['CLOCK_SKEW_SECONDS', { CLOCK_SKEW_SECONDS: '-1' }],
    ['CLOCK_SKEW_SECONDS', { CLOCK_SKEW_SECONDS: '1.5' }],
    ['CLOCK_SKEW_SECONDS', { CLOCK_SKEW_SECONDS: 'thirty' }],
    ['VERIFY_KEY_IDS', { VERIFY_KEY_IDS: undefined }],
    ['VERIFY_KEY_IDS', { VERIFY_KEY_IDS: ' , ' }],
    ['ISSUER', { ISSUER: 'not a url' }],
    ['REVOCATIONS_TABLE', { REVOCATIONS_TABLE: undefined }],
  ])('refuses a bad %s with a ConfigurationError naming it', (variable, override) => {
    const attempt = () => authorizerConfig({ ...valid, ...override });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(new RegExp(`^Invalid configuration: ${variable}: `));
  });

  it('names every bad variable at once', () => {
    expect(() => authorizerConfig({})).toThrow(/AUDIENCE: .*; VERIFY_KEY_IDS: .*; REVOCATIONS_TABLE: /);
  });
});
