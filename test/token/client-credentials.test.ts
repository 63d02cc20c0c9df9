import { describe, expect, it } from 'vitest';
import { JWT_BEARER_ASSERTION_TYPE, readClientCredentials } from '#shared/client-auth/client-credentials.js';
import { InvalidRequest } from '#shared/errors/oauth-errors.js';

/** RFC 6749 §2.3 / RFC 7521 §4.2: which mechanism a request used, and one only. */
const basic = `Basic ${Buffer.from('client-1:secret-1').toString('base64')}`;
const assertion = { clientAssertionType: JWT_BEARER_ASSERTION_TYPE, clientAssertion: 'a.b.c' };

describe('reading a client assertion', () => {
  it('reads client_assertion_type and client_assertion as private_key_jwt', () => {
    expect(readClientCredentials(undefined, undefined, undefined, assertion)).toEqual({ method: 'private_key_jwt', clientId: undefined, assertion: 'a.b.c' });
    expect(readClientCredentials(undefined, 'client-1', undefined, assertion)).toEqual({ method: 'private_key_jwt', clientId: 'client-1', assertion: 'a.b.c' });
  });

  it.each([
    ['an assertion and Basic credentials', basic, undefined, assertion, /one place only/],
    ['an assertion and a client_secret', undefined, 'secret-1', assertion, /one place only/],
    ['an assertion and another Authorization scheme', 'Bearer abc', undefined, assertion, /one place only/],
    ['an assertion without its type', undefined, undefined, { clientAssertionType: undefined, clientAssertion: 'a.b.c' }, /requires client_assertion_type/],
    ['a type without an assertion', undefined, undefined, { clientAssertionType: JWT_BEARER_ASSERTION_TYPE, clientAssertion: undefined }, /requires client_assertion$/],
    ['another assertion type (SAML, RFC 7522)', undefined, undefined, { ...assertion, clientAssertionType: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer' }, /must be urn/],
  ])('refuses %s as invalid_request', (_, authorization, secret, posted, message) => {
    const read = () => readClientCredentials(authorization, 'client-1', secret, posted);
    expect(read).toThrow(InvalidRequest);
    expect(read).toThrow(message);
  });

  it('reads requests without assertion parameters as before', () => {
    expect(readClientCredentials(basic, undefined, undefined)).toEqual({ method: 'client_secret_basic', clientId: 'client-1', clientSecret: 'secret-1' });
  });
});
