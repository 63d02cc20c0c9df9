import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidRequest } from '#shared/errors/oauth-errors.js';
import { parseAuthorization } from '#shared/client-auth/authorization-header.js';
import { decodeBase64 } from '#shared/http/strict-decoding.js';
import { basic } from './support/proxy-events.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('Basic client credentials (RFC 7617, RFC 6749 §2.3.1)', () => {
  it('form-decodes the id and the secret after base64', () => {
    // §2.3.1: "+" is a space and %XX an octet, so ':' '+' '%' ' ' survive inside an id or a secret.
    expect(parseAuthorization(`Basic ${b64('my%3Aclient+id:p%2Bss%25w+rd%3A')}`)).toEqual({
      scheme: 'basic',
      clientId: 'my:client id',
      clientSecret: 'p+ss%w rd:',
    });
  });

  it('splits at the first colon: an encoded id has none, the secret may contain more', () => {
    expect(parseAuthorization(`Basic ${b64('id:a:b')}`)).toMatchObject({ clientId: 'id', clientSecret: 'a:b' });
  });

  it('accepts UTF-8 text once decoded', () => {
    expect(parseAuthorization(basic('clïent', 'sécret'))).toMatchObject({ clientId: 'clïent', clientSecret: 'sécret' });
  });

  it('treats the scheme name case-insensitively (RFC 9110 §11.1)', () => {
    expect(parseAuthorization(`bAsIc ${b64('id:secret')}`)).toMatchObject({ scheme: 'basic', clientId: 'id' });
  });

  it('reports other schemes as unsupported rather than reading them', () => {
    expect(parseAuthorization('Bearer eyJhbGciOi.x.y')).toEqual({ scheme: 'unsupported' });
  });

  it.each([
    ['no credentials after the scheme', 'Basic'],
    ['an empty header', ''],
    ['base64 with junk characters', `Basic ${b64('id:secret')}!`],
    ['base64 without padding', `Basic ${b64('id:secre').replace(/=+$/, '')}`],
    ['no colon', `Basic ${b64('idsecret')}`],
    ['an empty client id', `Basic ${b64(':secret')}`],
    ['an empty secret', `Basic ${b64('id:')}`],
    ['bad percent-encoding in the id', `Basic ${b64('id%G1:secret')}`],
    ['percent-encoded bytes that are not UTF-8', `Basic ${b64('id:%FFsecret')}`],
    ['raw bytes that are not UTF-8', `Basic ${Buffer.from([0x69, 0x64, 0x3a, 0xff]).toString('base64')}`],
    // RFC 4648 §3.5: the spare bits of the last quantum must be zero. 'aWQ6c2VjcmU=' is "id:secre"; 'V' and
    // 'h' differ from 'U' and 'g' only in those bits, so a lenient decoder reads the same credentials.
    ['base64 with non-zero spare bits before "="', 'Basic aWQ6c2VjcmV='],
    ['base64 with non-zero spare bits before "=="', 'Basic aWQ6c2Vjch=='],
  ])('refuses %s with invalid_request', (_, header) => {
    expect(() => parseAuthorization(header)).toThrow(InvalidRequest);
  });

  it('reads back any id and secret encoded as RFC 6749 §2.3.1 prescribes', () => {
    const nonEmpty = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(nonEmpty, nonEmpty, (clientId, clientSecret) => {
        expect(parseAuthorization(basic(clientId, clientSecret))).toEqual({ scheme: 'basic', clientId, clientSecret });
      }),
    );
  });
});

describe('strict base64 (RFC 4648 §4, canonical per §3.5)', () => {
  it('decodes every canonical encoding, and accepts nothing that does not encode back to itself', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeBase64(Buffer.from(bytes).toString('base64'))).toEqual(Buffer.from(bytes));
      }),
    );
    const base64ish = fc.string({ unit: fc.constantFrom(...'AQgwBRhx+/=a'), maxLength: 12 });
    fc.assert(
      fc.property(base64ish, (text) => {
        const bytes = decodeBase64(text);
        if (bytes !== undefined) expect(bytes.toString('base64')).toBe(text);
      }),
    );
  });
});
