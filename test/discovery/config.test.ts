import { describe, expect, it } from 'vitest';
import { ConfigurationError, parseEnv } from '#shared/config/parse-env.js';
import { discoveryEnv } from '../../functions/discovery/config.js';

const discoveryConfig = (env: Record<string, string | undefined>) => parseEnv(discoveryEnv, env);

const valid = {
  SCOPES_SUPPORTED: 'products:read products:write products:delete',
  VERIFY_KEY_IDS: 'arn:aws:kms:eu-west-1:123456789012:key/a',
  ISSUER: '',
  AWS_REGION: 'eu-west-1',
};

describe('discovery configuration', () => {
  it('reads the scopes as RFC 6749 §3.3 tokens, the keys as a list, and the region for the derived issuer', () => {
    expect(discoveryConfig({ ...valid, SCOPES_SUPPORTED: ' products:read products:read products:write ' })).toEqual({
      SCOPES_SUPPORTED: ['products:read', 'products:write'],
      VERIFY_KEY_IDS: ['arn:aws:kms:eu-west-1:123456789012:key/a'],
      ISSUER: undefined,
      AWS_REGION: 'eu-west-1',
    });
  });

  it('leaves the region unset when Lambda has not set it', () => {
    const { AWS_REGION: _region, ...rest } = valid;
    expect(discoveryConfig(rest).AWS_REGION).toBeUndefined();
  });

  it.each([
    ['SCOPES_SUPPORTED', { SCOPES_SUPPORTED: undefined }],
    ['SCOPES_SUPPORTED', { SCOPES_SUPPORTED: 'products:read  products:write' }],
    ['SCOPES_SUPPORTED', { SCOPES_SUPPORTED: 'products:"read"' }],
    ['VERIFY_KEY_IDS', { VERIFY_KEY_IDS: '' }],
    ['ISSUER', { ISSUER: 'not a url' }],
  ])('refuses a bad %s with a ConfigurationError naming it', (variable, override) => {
    const attempt = () => discoveryConfig({ ...valid, ...override });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(new RegExp(`^Invalid configuration: ${variable}: `));
  });
});
