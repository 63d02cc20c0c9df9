import {
  AUDIENCE,
  ISSUER,
  NOW,
  accessTokenClaims,
  b64url,
  hs256,
  rs256,
  signAccessToken,
  signByHand,
  unsigned,
  type Signer,
  type TestKey,
} from '../support/access-token-fixtures.js';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The keys a corpus is made with: two the verifier trusts (`ours`, `rotated`) and one it does not. */
export interface CorpusKeys {
  ours: TestKey;
  rotated: TestKey;
  attacker: TestKey;
}

export interface CorpusToken {
  label: string;
  token: string;
}

/** The clock skew the corpus is built around. */
export const CORPUS_SKEW = 30;

/** Signs exact header and payload texts, for what JSON.stringify cannot write (a BOM, 1e999, bad UTF-8). */
export function signRawJson(header: string | Buffer, payload: string | Buffer, signer: Signer): string {
  const signingInput = `${Buffer.from(header).toString('base64url')}.${Buffer.from(payload).toString('base64url')}`;
  return `${signingInput}.${signer(signingInput)}`;
}

const claimsJson = (overrides: Record<string, unknown> = {}): string => JSON.stringify({ ...accessTokenClaims(), ...overrides });

/**
 * Tokens a verifier built over `ours` and `rotated` (issuer ISSUER, audience AUDIENCE, skew CORPUS_SKEW,
 * clock pinned at NOW) must accept. The same cases as test/authorizer/token-authorizer.test.ts.
 */
export async function validTokens({ ours, rotated, attacker }: CorpusKeys): Promise<CorpusToken[]> {
  return [
    { label: 'a token as the token endpoint issues it', token: await signAccessToken(ours) },
    { label: 'a token of the rotated-in key', token: await signAccessToken(rotated) },
    ...(await Promise.all(
      ['at+jwt', 'application/at+jwt', 'AT+JWT', 'Application/At+Jwt'].map(async (typ) => ({
        label: `typ ${typ}`,
        token: await signAccessToken(ours, { header: { typ } }),
      })),
    )),
    { label: 'aud array including this API', token: await signAccessToken(ours, { claims: { aud: ['urn:other', AUDIENCE] } }) },
    { label: 'expired by less than the skew', token: await signAccessToken(ours, { claims: { exp: NOW - CORPUS_SKEW + 1 } }) },
    { label: 'nbf ahead by less than the skew', token: await signAccessToken(ours, { claims: { nbf: NOW + CORPUS_SKEW - 1 } }) },
    { label: 'nbf exactly now plus the skew', token: await signAccessToken(ours, { claims: { nbf: NOW + CORPUS_SKEW } }) },
    {
      label: 'jku, x5u, jwk and x5c headers (ignored)',
      token: await signAccessToken(ours, {
        header: {
          jku: 'https://attacker.example/jwks.json',
          x5u: 'https://attacker.example/cert.pem',
          jwk: attacker.verificationKey.jwk,
          x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'],
        },
      }),
    },
    { label: 'an unknown claim', token: await signAccessToken(ours, { claims: { padding: 'x'.repeat(9000) } }) },
    { label: 'an empty scope', token: await signAccessToken(ours, { claims: { scope: '' } }) },
    { label: 'a b64 header parameter that is not critical', token: await signAccessToken(ours, { header: { b64: false } }) },
  ];
}

/** Tokens every verifier over the same configuration must refuse, each for a reason of its own. */
export async function hostileTokens({ ours, attacker }: CorpusKeys): Promise<CorpusToken[]> {
  const header = { alg: 'RS256', typ: 'at+jwt', kid: ours.kid };
  const ourSignature = rs256(ours.privateKey);
  const valid = await signAccessToken(ours);
  const [h = '', p = '', s = ''] = valid.split('.');
  const middle = s.length >> 1;
  const flipped = s.slice(0, middle) + (s[middle] === 'A' ? 'B' : 'A') + s.slice(middle + 1);
  const pem = ours.verificationKey.publicKey.export({ format: 'pem', type: 'spki' });
  const byUs = (claims: Record<string, unknown>) => signAccessToken(ours, { claims });

  const tokens: CorpusToken[] = [
    // Structure
    { label: 'one segment', token: 'abcdef' },
    { label: 'two segments', token: 'abc.def' },
    { label: 'four segments', token: 'a.b.c.d' },
    { label: 'five segments (a JWE)', token: 'a.b.c.d.e' },
    { label: 'empty string', token: '' },
    { label: 'three dots only', token: '..' },
    { label: 'non-JSON header', token: `${b64url('nope')}.${b64url('{}')}.c2ln` },
    { label: 'a valid token with a fourth segment', token: `${valid}.x` },
    { label: 'header and payload swapped', token: `${p}.${h}.${s}` },
    { label: 'an empty header segment, signed', token: `.${p}.${ourSignature(`.${p}`)}` },
    { label: 'payload not a JSON object, signed', token: signByHand(header, '["not","claims"]', ourSignature) },
    { label: 'payload JSON null, signed', token: signByHand(header, 'null', ourSignature) },
    { label: 'payload a JSON string, signed', token: signByHand(header, '"claims"', ourSignature) },
    { label: 'payload not JSON, signed', token: signByHand(header, '{"iss":', ourSignature) },
    { label: 'payload invalid UTF-8, signed', token: signRawJson(JSON.stringify(header), Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]), ourSignature) },
    { label: 'header a JSON array', token: signRawJson('["RS256"]', claimsJson(), ourSignature) },
    { label: 'header JSON null', token: signRawJson('null', claimsJson(), ourSignature) },
    { label: "a '+' in the signature", token: `${h}.${p}.${s.slice(0, 10)}+${s.slice(11)}` },
    { label: "a '/' in the payload", token: `${h}.${p.slice(0, 10)}/${p.slice(11)}.${s}` },

    // Algorithm
    { label: 'alg none', token: signByHand({ ...header, alg: 'none' }, accessTokenClaims(), unsigned) },
    { label: 'HS256 keyed with our public key', token: signByHand({ ...header, alg: 'HS256' }, accessTokenClaims(), hs256(pem)) },
    ...(await Promise.all(['RS384', 'RS512', 'PS256'].map(async (alg) => ({ label: `${alg} by our key`, token: await signAccessToken(ours, { header: { alg } }) })))),
    { label: 'alg missing', token: signByHand({ typ: 'at+jwt', kid: ours.kid }, accessTokenClaims(), ourSignature) },
    { label: 'alg a number', token: signByHand({ ...header, alg: 256 }, accessTokenClaims(), ourSignature) },
    { label: 'alg rs256 in lower case', token: signByHand({ ...header, alg: 'rs256' }, accessTokenClaims(), ourSignature) },
    { label: 'crit naming exp', token: signByHand({ ...header, crit: ['exp'], exp: 1 }, accessTokenClaims(), ourSignature) },
    { label: 'crit empty', token: signByHand({ ...header, crit: [] }, accessTokenClaims(), ourSignature) },
    { label: 'crit b64 false', token: signByHand({ ...header, crit: ['b64'], b64: false }, accessTokenClaims(), ourSignature) },
    { label: 'crit null', token: signByHand({ ...header, crit: null }, accessTokenClaims(), ourSignature) },

    // Keys and signatures
    { label: 'a kid that names no configured key', token: await signAccessToken(attacker) },
    { label: 'no kid', token: await signAccessToken(ours, { header: { kid: undefined } }) },
    { label: 'kid a number', token: signByHand({ ...header, kid: 1 }, accessTokenClaims(), ourSignature) },
    { label: 'another key under our kid', token: signByHand(header, accessTokenClaims(), rs256(attacker.privateKey)) },
    { label: 'attacker jwk header, their kid', token: signByHand({ ...header, kid: attacker.kid, jwk: attacker.verificationKey.jwk }, accessTokenClaims(), rs256(attacker.privateKey)) },
    { label: 'attacker jwk header, our kid', token: signByHand({ ...header, jwk: attacker.verificationKey.jwk }, accessTokenClaims(), rs256(attacker.privateKey)) },
    {
      label: 'jku and x5u pointing at the attacker',
      token: signByHand({ ...header, jku: 'https://attacker.example/jwks', x5u: 'https://attacker.example/c' }, accessTokenClaims(), rs256(attacker.privateKey)),
    },
    { label: 'tampered payload', token: `${h}.${b64url(claimsJson({ scope: 'products:read products:write products:delete' }))}.${s}` },
    { label: 'tampered signature', token: `${h}.${p}.${flipped}` },
    { label: 'signature removed', token: `${h}.${p}.` },
    { label: 'signature truncated', token: `${h}.${p}.${s.slice(0, -4)}` },

    // Type, issuer, audience, time
    ...(await Promise.all(
      [['JWT'], ['application/jwt'], [undefined], ['text/at+jwt'], ['application/application/at+jwt'], [' at+jwt'], [42]].map(async ([typ]) => ({
        label: `typ ${String(typ)}`,
        token: await signAccessToken(ours, { header: { typ } }),
      })),
    )),
    { label: 'another issuer', token: await byUs({ iss: 'https://evil.example' }) },
    { label: 'the issuer with a trailing slash', token: await byUs({ iss: `${ISSUER}/` }) },
    { label: 'iss a number', token: await byUs({ iss: 7 }) },
    { label: 'another audience', token: await byUs({ aud: 'urn:oauth-cc:billing' }) },
    { label: 'aud array without this API', token: await byUs({ aud: ['urn:a', 'urn:b'] }) },
    { label: 'aud an empty array', token: await byUs({ aud: [] }) },
    { label: 'aud an object', token: await byUs({ aud: { [AUDIENCE]: true } }) },
    { label: 'expired by more than the skew', token: await byUs({ exp: NOW - CORPUS_SKEW - 1 }) },
    { label: 'exp exactly now minus the skew', token: await byUs({ exp: NOW - CORPUS_SKEW }) },
    { label: 'nbf beyond the skew', token: await byUs({ nbf: NOW + CORPUS_SKEW + 1 }) },

    // Required claims and their types (RFC 9068 §2.2)
    ...(await Promise.all(
      ['iss', 'sub', 'client_id', 'aud', 'scope', 'iat', 'exp', 'jti'].map(async (claim) => ({ label: `without ${claim}`, token: await byUs({ [claim]: undefined }) })),
    )),
    ...(await Promise.all(
      (
        [
          ['scope as an array', { scope: ['products:read'] }],
          ['scope with a double space', { scope: 'products:read  products:write' }],
          ['scope with a leading space', { scope: ' products:read' }],
          ['scope with a quote', { scope: 'products"read' }],
          ['sub as a number', { sub: 42 }],
          ['an empty sub', { sub: '' }],
          ['an empty client_id', { client_id: '' }],
          ['client_id null', { client_id: null }],
          ['jti as an object', { jti: { id: 1 } }],
          ['exp as a string', { exp: String(NOW + 60) }],
          ['iat as a string', { iat: String(NOW) }],
          ['nbf as a string', { nbf: String(NOW) }],
          ['nbf null', { nbf: null }],
          ['iat null', { iat: null }],
        ] as const
      ).map(async ([label, claims]) => ({ label, token: await byUs(claims) })),
    )),
    { label: 'exp 1e999 (Infinity)', token: signRawJson(JSON.stringify(header), claimsJson().replace(/"exp":\d+/, '"exp":1e999'), ourSignature) },
    { label: 'iat 1e999 (Infinity)', token: signRawJson(JSON.stringify(header), claimsJson().replace(/"iat":\d+/, '"iat":1e999'), ourSignature) },
  ];
  return tokens;
}

/**
 * Tokens this verifier refuses although jose 6 (on Node 20, without Uint8Array.fromBase64) accepts them:
 * the places where it is deliberately stricter. Each is signed by our key with otherwise valid claims.
 */
export async function tokensOnlyWeRefuse({ ours }: CorpusKeys): Promise<CorpusToken[]> {
  const header = { alg: 'RS256', typ: 'at+jwt', kid: ours.kid };
  const ourSignature = rs256(ours.privateKey);
  const [h = '', p = '', s = ''] = (await signAccessToken(ours)).split('.');
  // 256 signature bytes take 342 base64url characters; the last one carries 4 spare bits.
  const nonCanonical = `${s.slice(0, -1)}${BASE64URL[BASE64URL.indexOf(s.slice(-1)) | 0x01]}`;
  const signedWith = (input: string) => `${input}.${ourSignature(input)}`;
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  return [
    // RFC 7515 §2 base64url has no padding, and RFC 4648 §3.5 canonical encoding has zero spare bits.
    { label: 'the signature with its padding', token: `${h}.${p}.${s}==` },
    { label: 'the signature with non-zero spare bits', token: `${h}.${p}.${nonCanonical}` },
    { label: 'a space inside the signature', token: `${h}.${p}.${s.slice(0, 10)} ${s.slice(10)}` },
    { label: 'a tab inside the signed header', token: signedWith(`${h.slice(0, 8)}\t${h.slice(8)}.${p}`) },
    // RFC 7515 §4.1.11: this verifier understands no extension, not even b64 (RFC 7797).
    { label: 'crit b64 with b64 true', token: signByHand({ ...header, crit: ['b64'], b64: true }, accessTokenClaims(), ourSignature) },
    // RFC 8259 §8.1: a byte order mark is not JSON.
    { label: 'a BOM before the header JSON', token: signRawJson(Buffer.concat([bom, Buffer.from(JSON.stringify(header))]), claimsJson(), ourSignature) },
    { label: 'a BOM before the claims JSON', token: signRawJson(JSON.stringify(header), Buffer.concat([bom, Buffer.from(claimsJson())]), ourSignature) },
  ];
}
