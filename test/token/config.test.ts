import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '#shared/config/parse-env.js';
import { loadTokenConfig } from '../../functions/token/config.js';

const valid = {
  CLIENTS_TABLE: 'oauth-cc-ClientsTable-1A2B3C',
  SIGNING_KEY_ID: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  MAX_TOKEN_LIFETIME_SECONDS: '86400',
  ISSUER: '',
  CLIENT_ASSERTIONS_TABLE: 'oauth-cc-ClientAssertionsTable-4D5E6F',
  CLOCK_SKEW_SECONDS: '30',
};

describe('token function configuration', () => {
  it('reads the template environment, an empty ISSUER meaning "derive it from the request"', () => {
    expect(loadTokenConfig(valid)).toEqual({
      clientsTable: valid.CLIENTS_TABLE,
      signingKeyId: valid.SIGNING_KEY_ID,
      maxTokenLifetimeSeconds: 86_400,
      issuer: undefined,
      clientAssertionsTable: valid.CLIENT_ASSERTIONS_TABLE,
      clockSkewSeconds: 30,
      region: undefined,
    });
  });

  it('leaves the assertion table unset when absent (assertions are then refused) and the skew at 30 s', () => {
    const { CLIENT_ASSERTIONS_TABLE: _table, CLOCK_SKEW_SECONDS: _skew, ...rest } = valid;
    expect(loadTokenConfig(rest)).toMatchObject({ clientAssertionsTable: undefined, clockSkewSeconds: 30 });
  });

  it('reads AWS_REGION, which Lambda sets, for the derived issuer', () => {
    expect(loadTokenConfig({ ...valid, AWS_REGION: 'eu-west-1' }).region).toBe('eu-west-1');
  });

  it('keeps a configured issuer', () => {
    expect(loadTokenConfig({ ...valid, ISSUER: 'https://auth.example.com' }).issuer).toBe('https://auth.example.com');
  });

  it('accepts a bare key id', () => {
    expect(loadTokenConfig({ ...valid, SIGNING_KEY_ID: '1234abcd-12ab-34cd-56ef-1234567890ab' }).signingKeyId).toBe('1234abcd-12ab-34cd-56ef-1234567890ab');
  });

  it.each([
    ['CLIENTS_TABLE', { CLIENTS_TABLE: undefined }],
    ['CLIENTS_TABLE', { CLIENTS_TABLE: '  ' }],
    ['SIGNING_KEY_ID', { SIGNING_KEY_ID: undefined }],
    ['CLOCK_SKEW_SECONDS', { CLOCK_SKEW_SECONDS: '301' }],
    ['CLOCK_SKEW_SECONDS', { CLOCK_SKEW_SECONDS: '-1' }],
    ['SIGNING_KEY_ID', { SIGNING_KEY_ID: 'alias/oauth-cc-token-signing' }],
    ['SIGNING_KEY_ID', { SIGNING_KEY_ID: 'arn:aws:kms:eu-west-1:123456789012:alias/oauth-cc-token-signing' }],
    ['MAX_TOKEN_LIFETIME_SECONDS', { MAX_TOKEN_LIFETIME_SECONDS: 'one day' }],
    ['MAX_TOKEN_LIFETIME_SECONDS', { MAX_TOKEN_LIFETIME_SECONDS: '0' }],
    ['MAX_TOKEN_LIFETIME_SECONDS', { MAX_TOKEN_LIFETIME_SECONDS: '604800' }],
    ['ISSUER', { ISSUER: 'not a url' }],
  ])('refuses a bad %s with a ConfigurationError naming it', (variable, override) => {
    const attempt = () => loadTokenConfig({ ...valid, ...override });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(new RegExp(`${variable}:`));
  });
});
