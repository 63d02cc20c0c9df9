import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_TOKEN_LENGTH, readBearerToken } from '../../functions/authorizer/bearer-header.js';
import { MalformedAuthorization, MissingToken, TokenTooLarge } from '#shared/access-token/token-errors.js';

const B64TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/';

describe('readBearerToken (RFC 6750 §2.1)', () => {
  it('returns the b64token after "Bearer "', () => {
    expect(readBearerToken('Bearer abc.DEF-_~+/.ghi==')).toBe('abc.DEF-_~+/.ghi==');
  });

  it('takes the scheme in any case', () => {
    expect(readBearerToken('bEARER xyz')).toBe('xyz');
  });

  it('returns any b64token unchanged', () => {
    const b64token = fc
      .tuple(fc.string({ unit: fc.constantFrom(...B64TOKEN_CHARS), minLength: 1, maxLength: 200 }), fc.nat(3))
      .map(([body, padding]) => body + '='.repeat(padding));
    fc.assert(fc.property(b64token, (token) => readBearerToken(`Bearer ${token}`) === token));
  });

  it('never returns a token with characters outside b64token, whatever the header', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (header) => {
        try {
          return /^[A-Za-z0-9\-._~+/]+=*$/.test(readBearerToken(header));
        } catch (error) {
          return error instanceof MissingToken || error instanceof MalformedAuthorization || error instanceof TokenTooLarge;
        }
      }),
    );
  });

  it('reports a missing header as MissingToken', () => {
    expect(() => readBearerToken(undefined)).toThrow(MissingToken);
    expect(() => readBearerToken('')).toThrow(MissingToken);
  });

  it.each(['Basic abc', 'Bearer', 'Bearer ', 'Bearer  abc', 'Bearer abc def', 'Bearer abc ', ' Bearer abc', 'Bearer a=b', 'Bearer\u00a0abc'])(
    'refuses %j',
    (header) => {
      expect(() => readBearerToken(header)).toThrow(MalformedAuthorization);
    },
  );

  it('accepts a token of exactly the cap and refuses one character more', () => {
    expect(readBearerToken(`Bearer ${'a'.repeat(MAX_TOKEN_LENGTH)}`)).toHaveLength(MAX_TOKEN_LENGTH);
    expect(() => readBearerToken(`Bearer ${'a'.repeat(MAX_TOKEN_LENGTH + 1)}`)).toThrow(TokenTooLarge);
  });
});
