import { createHash, createHmac } from 'node:crypto';
import { JWT_BEARER_ASSERTION_TYPE } from '#shared/client-auth/client-credentials.js';
import { SEED_PRODUCTS } from '../../functions/products/seed.js';
import { DEMO_CLIENT_ID } from '../../local/stack/local-stack.js';
import { proxyEvent, tokenAuthorizerEvent, type EventSite, type RequestSpec } from './gateway-events.js';

/**
 * Every fixture under events/, by file. Commit-stable fixtures depend on nothing that changes between
 * stacks or over time (far-future `exp` in authorizer contexts, refused credentials, public documents);
 * live ones carry the fixtures client's current secret or tokens signed by the stack's key, so
 * `npm run events` writes them again from the running stack.
 */
export interface Fixture {
  /** Path under events/, e.g. `token/basic-auth.json`. */
  file: string;
  event: unknown;
}

/** The client whose credentials live fixtures carry; its secret is replaced on every `npm run events`. */
export const FIXTURES_CLIENT = {
  clientId: 'fixtures-client',
  name: 'Event fixtures (npm run events)',
  scopes: ['products:read', 'products:write'],
  // So events/introspection/ can show an active token's answer.
  canIntrospect: true,
} as const;

/** The private_key_jwt client of token/private-key-jwt.json; its key is replaced on every `npm run events`. */
export const FIXTURES_KEY_CLIENT = {
  clientId: 'fixtures-key-client',
  name: 'Event fixtures, private_key_jwt (npm run events)',
  scopes: ['products:read'],
  claims: { tenant: 'fixtures' },
} as const;

/** The product events/products/delete.json deletes; `npm run events` puts it back. */
export const FIXTURE_PRODUCT = { id: 'd3f9a6c2-4b1e-4f7a-8c5d-2e9b0a7f1c63', name: 'Fixture product (events/products/delete.json deletes it)', price: 1 };

/** When the commit-stable requests are dated. */
export const STABLE_RECEIVED_AT = new Date('2026-01-01T12:00:00Z');
/** Where commit-stable requests are sent: the default `npm start`. */
export const STABLE_HOST = 'localhost:3000';

// 2100-01-01T00:00:00Z: an authorizer context that stays unexpired for as long as the fixtures matter.
const FAR_FUTURE_EXP = '4102444800';
const NO_SUCH_PRODUCT_ID = '00000000-0000-4000-8000-000000000000';
const CURL = [
  ['User-Agent', 'curl/8.5.0'],
  ['Accept', '*/*'],
] as const satisfies readonly [string, string][];

export interface LiveValues {
  clientId: string;
  clientSecret: string;
  /** A token the stack's token endpoint just issued to the fixtures client. */
  accessToken: string;
  /** A token signed with the stack's signing key whose `exp` has passed. */
  expiredToken: string;
  /** A one-time client assertion (RFC 7523) of the fixtures key client. */
  clientAssertion: string;
}

export function stableFixtures(site: EventSite, issuer: string, audience: string): Fixture[] {
  const products = (name: string, request: RequestSpec, scope: string | undefined): Fixture => ({
    file: `products/${name}.json`,
    event: proxyEvent(site, `products/${name}`, {
      ...request,
      headers: [...CURL, ...(request.headers ?? [])],
      ...(scope === undefined ? {} : { authorizer: authorizerContext(name, scope) }),
    }),
  });
  const seedId = SEED_PRODUCTS[0]!.id;
  const newProduct = JSON.stringify({ name: 'Pour-over kettle', price: 39.5, description: 'Gooseneck spout, 1 l.' });
  const json = (body: string): RequestSpec => ({
    method: 'POST',
    path: '/products',
    headers: [
      ['Content-Type', 'application/json'],
      ['Content-Length', String(Buffer.byteLength(body))],
    ],
    body,
  });
  const discovery = (name: string, path: string): Fixture => ({
    file: `discovery/${name}.json`,
    event: proxyEvent(site, `discovery/${name}`, { method: 'GET', path, headers: CURL }),
  });
  const foreverClaims = { iss: issuer, sub: DEMO_CLIENT_ID, client_id: DEMO_CLIENT_ID, aud: audience, scope: 'products:read', iat: 1767268800, exp: Number(FAR_FUTURE_EXP) };

  return [
    tokenRequest(site, 'bad-secret', {
      authorization: basic(DEMO_CLIENT_ID, 'not-the-demo-client-secret'),
      form: { grant_type: 'client_credentials' },
    }),
    tokenRequest(site, 'unsupported-grant', {
      authorization: basic(DEMO_CLIENT_ID, 'never-checked-the-grant-is-refused-first'),
      form: { grant_type: 'password', username: 'alice', password: 'wonderland' },
    }),
    tokenRequest(site, 'query-credentials', {
      query: `client_id=${DEMO_CLIENT_ID}&client_secret=in-the-url`,
      form: { grant_type: 'client_credentials' },
    }),
    tokenRequest(site, 'assertion-unknown-client', {
      form: assertionForm(unverifiableAssertion({ alg: 'ES256', kid: 'fixture' }, assertionClaims(issuer, 'no-such-client', 'unknown-client'))),
    }),
    tokenRequest(site, 'assertion-alg-none', {
      form: assertionForm(`${b64url({ alg: 'none' })}.${b64url(assertionClaims(issuer, FIXTURES_KEY_CLIENT.clientId, 'alg-none'))}.`),
    }),
    tokenRequest(site, 'assertion-with-basic', {
      authorization: basic(DEMO_CLIENT_ID, 'a-secret-beside-an-assertion'),
      form: assertionForm(unverifiableAssertion({ alg: 'RS256' }, assertionClaims(issuer, DEMO_CLIENT_ID, 'with-basic'))),
    }),

    { file: 'authorizer/missing-token.json', event: tokenAuthorizerEvent(site, '', 'GET', '/products') },
    { file: 'authorizer/malformed-header.json', event: tokenAuthorizerEvent(site, basic(DEMO_CLIENT_ID, 'secret'), 'GET', '/products') },
    {
      file: 'authorizer/unknown-key.json',
      event: tokenAuthorizerEvent(site, `Bearer ${unknownKeyToken({ ...foreverClaims, jti: 'unknown-key' })}`, 'GET', '/products'),
    },
    {
      file: 'authorizer/wrong-algorithm.json',
      event: tokenAuthorizerEvent(site, `Bearer ${hs256Token({ ...foreverClaims, jti: 'wrong-algorithm' })}`, 'GET', '/products'),
    },

    products('list', { method: 'GET', path: '/products' }, 'products:read'),
    products('list-insufficient-scope', { method: 'GET', path: '/products' }, 'products:write'),
    products('list-without-authorizer', { method: 'GET', path: '/products' }, undefined),
    {
      file: 'products/list-with-client-claims.json',
      event: proxyEvent(site, 'products/list-with-client-claims', {
        method: 'GET',
        path: '/products',
        headers: CURL,
        authorizer: { ...authorizerContext('list-with-client-claims', 'products:read'), claim_tenant: 'acme', claim_environment: 'prod' },
      }),
    },
    products('get', { method: 'GET', path: `/products/${seedId}` }, 'products:read'),
    products('get-insufficient-scope', { method: 'GET', path: `/products/${seedId}` }, 'products:write'),
    products('get-not-found', { method: 'GET', path: `/products/${NO_SUCH_PRODUCT_ID}` }, 'products:read'),
    products('create', json(newProduct), 'products:read products:write'),
    products('create-insufficient-scope', json(newProduct), 'products:read'),
    products('delete', { method: 'DELETE', path: `/products/${FIXTURE_PRODUCT.id}` }, 'products:read products:delete'),
    products('delete-insufficient-scope', { method: 'DELETE', path: `/products/${FIXTURE_PRODUCT.id}` }, 'products:read products:write'),

    formRequest(site, 'revocation/bad-secret', '/oauth2/revoke', {
      authorization: basic(DEMO_CLIENT_ID, 'not-the-demo-client-secret'),
      form: { token: 'never-looked-at', token_type_hint: 'access_token' },
    }),
    formRequest(site, 'introspection/bad-secret', '/oauth2/introspect', {
      authorization: basic(DEMO_CLIENT_ID, 'not-the-demo-client-secret'),
      form: { token: 'never-looked-at' },
    }),

    discovery('jwks', '/.well-known/jwks.json'),
    discovery('oauth-authorization-server', '/.well-known/oauth-authorization-server'),
    discovery('openid-configuration', '/.well-known/openid-configuration'),
  ];
}

export function liveFixtures(site: EventSite, live: LiveValues): Fixture[] {
  const credentials = basic(live.clientId, live.clientSecret);
  const basicAuth = tokenRequest(site, 'base64-body', { authorization: credentials, form: { grant_type: 'client_credentials', scope: 'products:read' } });
  const event = basicAuth.event as { body: string; isBase64Encoded: boolean };
  return [
    tokenRequest(site, 'basic-auth', { authorization: credentials, form: { grant_type: 'client_credentials' } }),
    tokenRequest(site, 'post-credentials', {
      form: { grant_type: 'client_credentials', client_id: live.clientId, client_secret: live.clientSecret },
    }),
    // What API Gateway sends when the API lists a binary media type matching the request (BinaryMediaTypes: ['*/*']).
    { file: basicAuth.file, event: { ...event, body: Buffer.from(event.body, 'utf8').toString('base64'), isBase64Encoded: true } },
    tokenRequest(site, 'invalid-scope', { authorization: credentials, form: { grant_type: 'client_credentials', scope: 'products:delete' } }),
    tokenRequest(site, 'private-key-jwt', { form: assertionForm(live.clientAssertion) }),

    { file: 'authorizer/valid-token.json', event: tokenAuthorizerEvent(site, `Bearer ${live.accessToken}`, 'GET', '/products') },
    // Revoking an unknown token changes nothing (RFC 7009 §2.2), so invoking it never breaks the other fixtures.
    formRequest(site, 'revocation/unknown-token', '/oauth2/revoke', { authorization: credentials, form: { token: 'not-a-token-of-this-stack' } }),
    formRequest(site, 'introspection/active-token', '/oauth2/introspect', { authorization: credentials, form: { token: live.accessToken } }),
    formRequest(site, 'introspection/unknown-token', '/oauth2/introspect', { authorization: credentials, form: { token: 'not-a-token-of-this-stack' } }),
    { file: 'authorizer/expired-token.json', event: tokenAuthorizerEvent(site, `Bearer ${live.expiredToken}`, 'GET', '/products') },
  ];
}

type FormRequest = { authorization?: string; form: Record<string, string>; query?: string };

function tokenRequest(site: EventSite, name: string, request: FormRequest): Fixture {
  return formRequest(site, `token/${name}`, '/oauth2/token', request);
}

/** A form POST to one of the authorization server's endpoints, as curl sends it. */
function formRequest(site: EventSite, name: string, path: string, request: FormRequest): Fixture {
  const body = new URLSearchParams(request.form).toString();
  const headers: [string, string][] = [
    ...CURL,
    ...(request.authorization === undefined ? [] : ([['Authorization', request.authorization]] as [string, string][])),
    ['Content-Type', 'application/x-www-form-urlencoded'],
    ['Content-Length', String(Buffer.byteLength(body))],
  ];
  return {
    file: `${name}.json`,
    event: proxyEvent(site, name, { method: 'POST', path, ...(request.query ? { query: request.query } : {}), headers, body }),
  };
}

/** What functions/authorizer/policy.ts puts in the context, as API Gateway passes it on (strings). */
function authorizerContext(name: string, scope: string): { principalId: string } & Record<string, string> {
  return { principalId: FIXTURES_CLIENT.clientId, clientId: FIXTURES_CLIENT.clientId, scope, jti: `fixture-${name}`, exp: FAR_FUTURE_EXP };
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before base64. */
export function basic(clientId: string, clientSecret: string): string {
  const encode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`, 'utf8').toString('base64')}`;
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/** Well-formed, unexpired, but naming a key no stack has, with a signature of the right length that verifies under none. */
function unknownKeyToken(claims: object): string {
  const input = `${b64url({ alg: 'RS256', typ: 'at+jwt', kid: 'not-a-key-of-this-stack' })}.${b64url(claims)}`;
  const signature = Buffer.concat(Array.from({ length: 8 }, (_, i) => createHash('sha256').update(`${input}/${i}`).digest()));
  return `${input}.${signature.toString('base64url')}`;
}

/** RFC 7521 §4.2 parameters of a client_credentials request authenticated with `assertion`. */
function assertionForm(assertion: string): Record<string, string> {
  return { grant_type: 'client_credentials', client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: assertion };
}

/** RFC 7523 §3 claims, dated 2100 so the refusal is always for the reason the fixture is named after. */
function assertionClaims(issuer: string, clientId: string, jti: string): object {
  return { iss: clientId, sub: clientId, aud: issuer, iat: 1767268800, exp: Number(FAR_FUTURE_EXP), jti: `fixture-${jti}` };
}

/** A signature of a plausible length that no key verifies, derived from the input so the bytes are stable. */
function unverifiableAssertion(header: object, claims: object): string {
  const input = `${b64url(header)}.${b64url(claims)}`;
  const blocks = (header as { alg?: string }).alg === 'ES256' ? 2 : 8;
  const signature = Buffer.concat(Array.from({ length: blocks }, (_, i) => createHash('sha256').update(`${input}/${i}`).digest()));
  return `${input}.${signature.toString('base64url')}`;
}

/** HS256 with a guessable secret: refused because the authorizer accepts RS256 only (RFC 8725 §3.1). */
function hs256Token(claims: object): string {
  const input = `${b64url({ alg: 'HS256', typ: 'at+jwt' })}.${b64url(claims)}`;
  return `${input}.${createHmac('sha256', 'not-a-secret').update(input).digest('base64url')}`;
}
