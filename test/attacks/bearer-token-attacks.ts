import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import { b64url, hs256, rs256, signByHand, unsigned, type Signer } from '../support/access-token-fixtures.js';
import { invalidToken, type AttackCase, type Control } from './support/attack-case.js';
import { READ, WRITE, type AttackFixtures } from './support/attack-fixtures.js';
import type { RawRequest } from './support/raw-http.js';

/** Every token attack goes to GET /products, where only the TOKEN authorizer stands between it and the data. */
const products = (authorization?: string | string[], path = '/products?limit=1'): RawRequest => ({
  method: 'GET',
  path,
  headers: authorization === undefined ? {} : { Authorization: authorization },
});
const bearer = (token: string): string => `Bearer ${token}`;
const withToken = (make: (fx: AttackFixtures) => string | Promise<string>) => async (fx: AttackFixtures) => products(bearer(await make(fx)));

/** Our real signing key, through KMS: the signature is good, so only the header or claims can be wrong. */
const signedByUs =
  (header: (fx: AttackFixtures) => Record<string, unknown>, claims: (fx: AttackFixtures) => Record<string, unknown> | string = (fx) => fx.forger.validClaims()) =>
  (fx: AttackFixtures) =>
    fx.forger.sign(header(fx), claims(fx));
const ourHeader = (overrides: Record<string, unknown> = {}) => (fx: AttackFixtures) => fx.forger.validHeader(overrides);
const claimsWith = (overrides: Record<string, unknown>) => (fx: AttackFixtures) => fx.forger.validClaims(overrides);

/** Any header and claims, signed by hand with `signer` (a key or secret that is not ours to use). */
const handSigned = (signer: (fx: AttackFixtures) => Signer, header: (fx: AttackFixtures) => Record<string, unknown>) => (fx: AttackFixtures) =>
  signByHand(header(fx), fx.forger.validClaims(), signer(fx));

// RFC 8725 §2.1 algorithm confusion: an HMAC keyed with whatever form of our public key a verifier might hold.
const publicPem = (fx: AttackFixtures) => fx.forger.key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const publicDer = (fx: AttackFixtures) => fx.forger.key.publicKey.export({ type: 'spki', format: 'der' });
const hs512 = (secret: string | Buffer): Signer => (input) => createHmac('sha512', secret).update(input).digest('base64url');

const attackerKid = (fx: AttackFixtures) => fx.attacker.kid;
const attackerJwk = (fx: AttackFixtures) => fx.attacker.verificationKey.jwk;
const byAttacker = (fx: AttackFixtures) => rs256(fx.attacker.privateKey);

const MISSING_CLAIMS = ['iss', 'sub', 'client_id', 'aud', 'scope', 'iat', 'exp', 'jti'];

/** A genuine token's three segments. */
const segmentsOf = (token: string): [string, string, string] => {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return [header, payload, signature];
};
const genuine = (fx: AttackFixtures) => fx.tokens[READ];

export const bearerTokenAttacks: AttackCase[] = [
  // --- Algorithm (RFC 8725 §3.1, §2.1): only RS256, whatever the header says.
  { attack: 'alg "none" with an empty signature', request: withToken(handSigned(() => unsigned, ourHeader({ alg: 'none' }))), expect: invalidToken },
  { attack: 'alg "None" in mixed case', request: withToken(handSigned(() => unsigned, ourHeader({ alg: 'None' }))), expect: invalidToken },
  {
    attack: 'alg "none" in front of a real signature of ours',
    request: withToken(async (fx) => {
      const [, payload, signature] = segmentsOf(await fx.forger.sign(fx.forger.validHeader(), fx.forger.validClaims()));
      return `${b64url(JSON.stringify(fx.forger.validHeader({ alg: 'none' })))}.${payload}.${signature}`;
    }),
    expect: invalidToken,
  },
  { attack: 'HS256 keyed with our public key as PEM', request: withToken(handSigned((fx) => hs256(publicPem(fx)), ourHeader({ alg: 'HS256' }))), expect: invalidToken },
  { attack: 'HS256 keyed with our public key as DER', request: withToken(handSigned((fx) => hs256(publicDer(fx)), ourHeader({ alg: 'HS256' }))), expect: invalidToken },
  { attack: 'HS256 keyed with our public JWK', request: withToken(handSigned((fx) => hs256(JSON.stringify(fx.forger.key.jwk)), ourHeader({ alg: 'HS256' }))), expect: invalidToken },
  { attack: 'HS256 keyed with our JWK modulus', request: withToken(handSigned((fx) => hs256(fx.forger.key.jwk.n), ourHeader({ alg: 'HS256' }))), expect: invalidToken },
  { attack: 'HS512 keyed with our public key as PEM', request: withToken(handSigned((fx) => hs512(publicPem(fx)), ourHeader({ alg: 'HS512' }))), expect: invalidToken },
  { attack: 'PS256 signed by our own key', request: withToken((fx) => fx.forger.sign(fx.forger.validHeader({ alg: 'PS256' }), fx.forger.validClaims(), 'PS256')), expect: invalidToken },
  { attack: 'RS512 signed by our own key', request: withToken((fx) => fx.forger.sign(fx.forger.validHeader({ alg: 'RS512' }), fx.forger.validClaims(), 'RS512')), expect: invalidToken },
  { attack: 'an ES256 header on an RS256 signature of ours', request: withToken(signedByUs(ourHeader({ alg: 'ES256' }))), expect: invalidToken },
  { attack: 'a critical header parameter nobody understands (crit)', request: withToken(signedByUs(ourHeader({ crit: ['exp'] }))), expect: invalidToken },

  // --- Keys (RFC 8725 §3.10): the key comes from our configuration by kid, never from the token.
  { attack: 'RS256 signed by an attacker key under our kid', request: withToken(handSigned(byAttacker, ourHeader())), expect: invalidToken },
  { attack: 'an unknown kid on a signature of our key', request: withToken(signedByUs(ourHeader({ kid: 'd2hhdGV2ZXIta2V5LWlkLXRoYXQtaXMtbm90LW91cnM' }))), expect: invalidToken },
  { attack: 'a path-traversal kid ../../etc/passwd', request: withToken(signedByUs(ourHeader({ kid: '../../../../etc/passwd' }))), expect: invalidToken },
  { attack: 'a URL kid', request: withToken(signedByUs(ourHeader({ kid: 'https://attacker.example/keys/1' }))), expect: invalidToken },
  { attack: 'a SQL-injection kid', request: withToken(signedByUs(ourHeader({ kid: "' UNION SELECT 'secret' --" }))), expect: invalidToken },
  { attack: 'a kid with a NUL after our kid', request: withToken(signedByUs((fx) => fx.forger.validHeader({ kid: `${fx.forger.key.kid}\u0000` }))), expect: invalidToken },
  { attack: 'a 4 KB kid', request: withToken(signedByUs(ourHeader({ kid: 'k'.repeat(4096) }))), expect: invalidToken },
  { attack: 'a 10 KB kid', request: withToken(signedByUs(ourHeader({ kid: 'k'.repeat(10_240) }))), expect: invalidToken },
  { attack: 'no kid', request: withToken(signedByUs(ourHeader({ kid: undefined }))), expect: invalidToken },
  { attack: 'a numeric kid', request: withToken(signedByUs(ourHeader({ kid: 1 }))), expect: invalidToken },
  { attack: 'jku pointing at an attacker JWKS', request: withToken(handSigned(byAttacker, (fx) => fx.forger.validHeader({ kid: attackerKid(fx), jku: 'https://attacker.example/.well-known/jwks.json' }))), expect: invalidToken },
  { attack: 'jku naming our own JWKS over an attacker signature', request: withToken(handSigned(byAttacker, (fx) => fx.forger.validHeader({ jku: fx.stack.jwksUri }))), expect: invalidToken },
  { attack: 'x5u pointing at an attacker certificate', request: withToken(handSigned(byAttacker, (fx) => fx.forger.validHeader({ kid: attackerKid(fx), x5u: 'https://attacker.example/cert.pem' }))), expect: invalidToken },
  { attack: 'the attacker public key embedded as jwk', request: withToken(handSigned(byAttacker, (fx) => fx.forger.validHeader({ kid: attackerKid(fx), jwk: attackerJwk(fx) }))), expect: invalidToken },
  { attack: 'the attacker jwk embedded under our kid', request: withToken(handSigned(byAttacker, (fx) => fx.forger.validHeader({ jwk: attackerJwk(fx) }))), expect: invalidToken },

  // --- Claims (RFC 9068 §4, RFC 7519 §4.1): a good signature does not make good claims.
  { attack: 'an expired token', request: withToken(signedByUs(ourHeader(), (fx) => fx.forger.validClaims({ iat: nowSeconds() - 7_200, exp: nowSeconds() - 120 }))), expect: invalidToken },
  { attack: 'nbf ten minutes in the future', request: withToken(signedByUs(ourHeader(), claimsWith({ nbf: nowSeconds() + 600 }))), expect: invalidToken },
  ...MISSING_CLAIMS.map((claim): AttackCase => ({ attack: `no ${claim} claim`, request: withToken(signedByUs(ourHeader(), claimsWith({ [claim]: undefined }))), expect: invalidToken })),
  { attack: 'another issuer', request: withToken(signedByUs(ourHeader(), claimsWith({ iss: 'https://attacker.example' }))), expect: invalidToken },
  { attack: 'our issuer with a trailing slash', request: withToken(signedByUs(ourHeader(), (fx) => fx.forger.validClaims({ iss: `${fx.stack.issuer}/` }))), expect: invalidToken },
  { attack: 'another audience', request: withToken(signedByUs(ourHeader(), claimsWith({ aud: 'urn:attacker:api' }))), expect: invalidToken },
  { attack: 'an aud array without this API', request: withToken(signedByUs(ourHeader(), claimsWith({ aud: ['urn:attacker:api', 'https://reports.example.com/api'] }))), expect: invalidToken },
  { attack: 'a genuine token issued for another resource (RFC 8707)', request: withToken((fx) => fx.otherAudienceToken), expect: invalidToken },
  { attack: 'typ "JWT" (an ID token or any other JWT)', request: withToken(signedByUs(ourHeader({ typ: 'JWT' }))), expect: invalidToken },
  { attack: 'typ "dpop+jwt"', request: withToken(signedByUs(ourHeader({ typ: 'dpop+jwt' }))), expect: invalidToken },
  { attack: 'no typ', request: withToken(signedByUs(ourHeader({ typ: undefined }))), expect: invalidToken },
  { attack: 'scope as a JSON array', request: withToken(signedByUs(ourHeader(), claimsWith({ scope: [READ, WRITE] }))), expect: invalidToken },
  { attack: 'a scope with two spaces', request: withToken(signedByUs(ourHeader(), claimsWith({ scope: `${READ}  ${WRITE}` }))), expect: invalidToken },
  { attack: 'exp as a string', request: withToken(signedByUs(ourHeader(), claimsWith({ exp: String(nowSeconds() + 600) }))), expect: invalidToken },
  { attack: 'an empty sub', request: withToken(signedByUs(ourHeader(), claimsWith({ sub: '' }))), expect: invalidToken },
  { attack: 'client_id as a number', request: withToken(signedByUs(ourHeader(), claimsWith({ client_id: 42 }))), expect: invalidToken },
  { attack: 'a signed payload that is a JSON array', request: withToken(signedByUs(ourHeader(), () => '[{"scope":"products:read"}]')), expect: invalidToken },
  {
    attack: 'a genuine token with products:delete edited into its payload',
    request: withToken((fx) => {
      const [header, payload, signature] = segmentsOf(genuine(fx));
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      return `${header}.${b64url(JSON.stringify({ ...claims, scope: 'products:read products:write products:delete' }))}.${signature}`;
    }),
    expect: invalidToken,
  },

  // --- Shape of the token and of the header (RFC 7515 §7.1, RFC 6750 §2.1).
  { attack: 'a genuine token with its signature removed', request: withToken((fx) => segmentsOf(genuine(fx)).slice(0, 2).join('.') + '.'), expect: invalidToken },
  { attack: 'a genuine token truncated to two segments', request: withToken((fx) => segmentsOf(genuine(fx)).slice(0, 2).join('.')), expect: invalidToken },
  { attack: 'a genuine token with an extra segment', request: withToken((fx) => `${genuine(fx)}.${segmentsOf(genuine(fx))[2]}`), expect: invalidToken },
  { attack: 'five segments, shaped like a JWE', request: withToken((fx) => `${genuine(fx)}.AAAA.BBBB`), expect: invalidToken },
  { attack: 'a genuine token with its last signature character dropped', request: withToken((fx) => genuine(fx).slice(0, -1)), expect: invalidToken },
  {
    attack: 'a genuine token with its signature in standard base64 with padding',
    request: withToken((fx) => {
      const [header, payload, signature] = segmentsOf(genuine(fx));
      return `${header}.${payload}.${Buffer.from(signature, 'base64url').toString('base64')}`;
    }),
    expect: invalidToken,
  },
  { attack: 'a space inside the token', request: (fx) => products(bearer(genuine(fx).replace('.', '. '))), expect: invalidToken },
  { attack: 'two spaces after Bearer', request: (fx) => products(`Bearer  ${genuine(fx)}`), expect: invalidToken },
  { attack: 'a tab after Bearer', request: (fx) => products(`Bearer\t${genuine(fx)}`), expect: invalidToken },
  { attack: 'two tokens separated by a space', request: (fx) => products(`Bearer ${genuine(fx)} ${fx.tokens[WRITE]}`), expect: invalidToken },
  { attack: 'two Bearer credentials joined by a comma', request: (fx) => products(`Bearer ${genuine(fx)}, Bearer ${fx.tokens[WRITE]}`), expect: invalidToken },
  { attack: 'a JSON-serialised JWS instead of the compact form', request: (fx) => products(`Bearer ${JSON.stringify({ payload: segmentsOf(genuine(fx))[1], signatures: [] })}`), expect: invalidToken },
  { attack: 'a 9 KB token', request: (fx) => products(bearer(`${genuine(fx)}${'A'.repeat(9_000)}`)), expect: invalidToken },
  { attack: 'Basic credentials on the products API', request: (fx) => products(`Basic ${Buffer.from(`${fx.reader.clientId}:${fx.reader.clientSecret}`).toString('base64')}`), expect: invalidToken },
  { attack: 'the token without a scheme', request: (fx) => products(genuine(fx)), expect: invalidToken },
  { attack: 'the Bearer scheme without a token', request: () => products('Bearer'), expect: invalidToken },
  { attack: 'no Authorization header', request: () => products(), expect: invalidToken },
  { attack: 'the token in the query string (RFC 6750 §2.3, not supported)', request: (fx) => products(undefined, `/products?access_token=${genuine(fx)}`), expect: invalidToken },
  { attack: 'the token in another header (X-Access-Token)', request: (fx) => ({ method: 'GET', path: '/products', headers: { 'X-Access-Token': genuine(fx) } }), expect: invalidToken },
];

const listsProducts = (response: { json: unknown }) => {
  expect(response.json).toMatchObject({ items: expect.any(Array) });
};

export const bearerTokenControls: Control[] = [
  { name: 'a genuine token from the token endpoint', request: withToken(genuine), status: 200, verify: listsProducts },
  { name: 'a token signed by our key through KMS with valid claims (the forger itself is sound)', request: withToken(signedByUs(ourHeader())), status: 200, verify: listsProducts },
  { name: 'the scheme in lower case, "bearer" (RFC 9110 §11.1)', request: (fx) => products(`bearer ${genuine(fx)}`), status: 200 },
  { name: 'the scheme in upper case, "BEARER"', request: (fx) => products(`BEARER ${genuine(fx)}`), status: 200 },
  { name: 'an aud array that includes this API (RFC 7519 §4.1.3)', request: withToken(signedByUs(ourHeader(), (fx) => fx.forger.validClaims({ aud: ['urn:attacker:api', fx.stack.audience] }))), status: 200 },
  { name: 'typ "application/at+jwt" (RFC 9068 §4)', request: withToken(signedByUs(ourHeader({ typ: 'application/at+jwt' }))), status: 200 },
];

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
