import { createHash } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { sha256Hashing, type SecretHashing } from '#shared/clients/client-secrets.js';
import type { ClientStore } from '#shared/clients/client-store.js';
import { TemporarilyUnavailable } from '#shared/errors/oauth-errors.js';
import type { TokenConfig } from '../../functions/token/config.js';
import { tokenEndpoint } from '../../functions/token/token-endpoint.js';
import { issuerFromMethodArn } from '#shared/oauth/issuer.js';
import { basic, CUSTOM_DOMAIN, DERIVED_ISSUER, form, lambdaContext, REGION, STAGE, tokenEvent, type TokenEventOptions } from './support/proxy-events.js';
import { memoryClientStore, NOW, PRODUCTS, registeredClient, REPORTS, storedSecret } from './support/registered-clients.js';
import { rsaTestSigner } from './support/rsa-signer.js';

const signer = rsaTestSigner();

const alice = registeredClient({ clientId: 'alice' });
const oldSecret = 'old-secret-being-rotated-out';
const newSecret = 'new-secret-just-issued';
const rotating = registeredClient({
  clientId: 'rotating',
  secrets: [storedSecret(oldSecret, new Date(NOW.getTime() + 3_600_000)), storedSecret(newSecret)],
});
const expired = registeredClient({ clientId: 'expired', secrets: [storedSecret('expired-secret', new Date(NOW.getTime() - 1000))] }, 'expired-secret');
const disabled = registeredClient({ clientId: 'disabled', status: 'disabled' });
// RFC 6749 §2.3.1: characters that mean something in Basic credentials or in form encoding.
const awkward = registeredClient({ clientId: 'my:client id+%/é' }, 'p+ss %:wörd');
const noDefaults = registeredClient({ clientId: 'no-defaults', defaultScopes: [] });
const longLived = registeredClient({ clientId: 'long-lived', tokenLifetimeSeconds: 172_800 });

const baseConfig: TokenConfig = { clientsTable: 'clients', signingKeyId: 'test-key', maxTokenLifetimeSeconds: 86_400, issuer: undefined, clientAssertionsTable: undefined, clockSkewSeconds: 30, region: REGION };

let logger: Logger;
let store: ClientStore;

function endpoint(overrides: { config?: Partial<TokenConfig>; clients?: ClientStore; signer?: typeof signer } = {}) {
  return tokenEndpoint({
    config: { ...baseConfig, ...overrides.config },
    logger,
    clock: () => NOW,
    clients: overrides.clients ?? store,
    signer: overrides.signer ?? signer,
  });
}

async function post(options: TokenEventOptions, handler = endpoint()): Promise<APIGatewayProxyResult> {
  return handler(tokenEvent(options), lambdaContext());
}

const grant = (extra: Record<string, string> = {}) => form({ grant_type: 'client_credentials', ...extra });
const asAlice = { Authorization: basic('alice', alice.secret) };
const bodyOf = (response: APIGatewayProxyResult) => JSON.parse(response.body) as Record<string, unknown>;
const tokenOf = (response: APIGatewayProxyResult) => {
  expect(response.statusCode).toBe(200);
  return bodyOf(response).access_token as string;
};
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
const loggedWithLevel = (level: 'info' | 'error', message: string) => vi.mocked(logger[level]).mock.calls.filter(([m]) => m === message).map(([, fields]) => fields);
const loggedWith = (message: string) => vi.mocked(logger.info).mock.calls.filter(([m]) => m === message).map(([, fields]) => fields);

beforeEach(() => {
  logger = new Logger({ logLevel: 'SILENT' });
  vi.spyOn(logger, 'info');
  vi.spyOn(logger, 'warn');
  vi.spyOn(logger, 'error');
  store = memoryClientStore(alice.client, rotating.client, expired.client, disabled.client, awkward.client, noDefaults.client, longLived.client);
});

describe('successful token response (RFC 6749 §5.1)', () => {
  it('issues a Bearer token to a client authenticating with client_secret_basic', async () => {
    const response = await post({ headers: asAlice, body: grant() });

    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    const body = bodyOf(response);
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'products:read' });
  });

  it('issues a token to a client authenticating with client_secret_post', async () => {
    const response = await post({ body: grant({ client_id: 'alice', client_secret: alice.secret }) });
    expect(claimsOf(tokenOf(response))).toMatchObject({ client_id: 'alice', sub: 'alice' });
  });

  it('signs a JWS whose header is exactly {alg: RS256, typ: at+jwt, kid: RFC 7638 thumbprint}', async () => {
    const token = tokenOf(await post({ headers: asAlice, body: grant() }));
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as unknown;
    expect(header).toStrictEqual({ alg: 'RS256', typ: 'at+jwt', kid: signer.thumbprint });
    expect(decodeProtectedHeader(token)).toStrictEqual(header);
  });

  it('carries exactly the RFC 9068 §2.2 claims', async () => {
    const token = tokenOf(await post({ headers: asAlice, body: grant() }));
    const iat = NOW.getTime() / 1000;
    expect(claimsOf(token)).toStrictEqual({
      iss: DERIVED_ISSUER,
      sub: 'alice',
      client_id: 'alice',
      aud: PRODUCTS,
      scope: 'products:read',
      iat,
      exp: iat + 900,
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{22,}$/),
    });
  });

  it('verifies with jose against the public key as an RS256 at+jwt for the issuer and audience', async () => {
    const token = tokenOf(await post({ headers: asAlice, body: grant({ scope: 'products:write' }) }));
    const { payload, protectedHeader } = await jwtVerify(token, signer.publicKey, {
      algorithms: ['RS256'],
      typ: 'at+jwt',
      issuer: DERIVED_ISSUER,
      audience: PRODUCTS,
      currentDate: NOW,
      requiredClaims: ['iss', 'sub', 'client_id', 'aud', 'scope', 'iat', 'exp', 'jti'],
    });
    expect(protectedHeader.kid).toBe(signer.thumbprint);
    expect(payload.scope).toBe('products:write');
  });

  it('gives every token a distinct jti of at least 128 random bits', async () => {
    const handler = endpoint();
    const jtis = await Promise.all(
      Array.from({ length: 50 }, async () => claimsOf(tokenOf(await post({ headers: asAlice, body: grant() }, handler))).jti as string),
    );
    expect(new Set(jtis).size).toBe(50);
    for (const jti of jtis) expect(Buffer.from(jti, 'base64url').length).toBeGreaterThanOrEqual(16);
  });

  it('names the stage URL as issuer when the request came through a custom domain and ISSUER is empty', async () => {
    const token = tokenOf(await post({ headers: asAlice, body: grant(), customDomain: CUSTOM_DOMAIN }));
    expect(claimsOf(token).iss).toBe(DERIVED_ISSUER);
  });

  it('derives an issuer the authorizer accepts: the one it derives from the method ARN of the same stage', async () => {
    const token = tokenOf(await post({ headers: asAlice, body: grant(), customDomain: CUSTOM_DOMAIN }));
    const methodArn = `arn:aws:execute-api:${REGION}:123456789012:k7x2m9q4ab/${STAGE}/GET/products`;
    expect(claimsOf(token).iss).toBe(issuerFromMethodArn(undefined, methodArn));
  });

  it('answers 500 when the issuer must be derived and AWS_REGION is missing', async () => {
    const response = await post({ headers: asAlice, body: grant() }, endpoint({ config: { region: undefined } }));
    expect(response.statusCode).toBe(500);
    expect(loggedWithLevel('error', 'Request failed')).toEqual([expect.objectContaining({ reason: 'issuer_unknown' })]);
  });

  it('uses the configured issuer when ISSUER is set', async () => {
    const handler = endpoint({ config: { issuer: 'https://auth.example.com/' } });
    const token = tokenOf(await post({ headers: asAlice, body: grant() }, handler));
    expect(claimsOf(token).iss).toBe('https://auth.example.com');
  });

  it('logs the issuance with client id, jti, scope and audience', async () => {
    const token = tokenOf(await post({ headers: asAlice, body: grant() }));
    expect(loggedWith('Access token issued')).toEqual([
      { clientId: 'alice', jti: claimsOf(token).jti, scope: 'products:read', aud: PRODUCTS, expiresIn: 900 },
    ]);
  });
});

describe('client authentication (RFC 6749 §2.3.1)', () => {
  it('form-decodes Basic credentials, so ids and secrets may contain ":" "+" "%" " " and non-ASCII', async () => {
    const response = await post({ headers: { Authorization: basic('my:client id+%/é', 'p+ss %:wörd') }, body: grant() });
    expect(claimsOf(tokenOf(response)).client_id).toBe('my:client id+%/é');
  });

  it('does not accept the same credentials put into Basic without the form-encoding step', async () => {
    const raw = `Basic ${Buffer.from('my:client id+%/é:p+ss %:wörd').toString('base64')}`;
    // Unencoded, "%/é" is not form-urlencoding: the header is refused as a whole, before any lookup.
    const response = await post({ headers: { Authorization: raw }, body: grant() });
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toMatchObject({ error: 'invalid_request' });
  });

  it('accepts both secrets of a client during rotation', async () => {
    for (const secret of [oldSecret, newSecret]) {
      const response = await post({ headers: { Authorization: basic('rotating', secret) }, body: grant() });
      expect(response.statusCode).toBe(200);
    }
  });

  it('finds the Authorization header whatever the case of its name', async () => {
    const response = await post({ headers: { authorization: basic('alice', alice.secret) }, body: grant() });
    expect(response.statusCode).toBe(200);
  });

  it('tolerates a body client_id that repeats the Basic client id', async () => {
    const response = await post({ headers: asAlice, body: grant({ client_id: 'alice' }) });
    expect(response.statusCode).toBe(200);
  });

  // Shaped like a generated id (128-bit hex), so the log may name it.
  const mallory = '6d616c6c6f7279000000000000000000';
  const failures = {
    'an unknown client': { headers: { Authorization: basic(mallory, alice.secret) }, post: { client_id: mallory, client_secret: alice.secret } },
    'a wrong secret': { headers: { Authorization: basic('alice', 'not-the-secret') }, post: { client_id: 'alice', client_secret: 'not-the-secret' } },
    'a disabled client': { headers: { Authorization: basic('disabled', disabled.secret) }, post: { client_id: 'disabled', client_secret: disabled.secret } },
    'an expired secret': { headers: { Authorization: basic('expired', expired.secret) }, post: { client_id: 'expired', client_secret: expired.secret } },
  };

  it('answers invalid_client with 401 and WWW-Authenticate when Basic auth fails', async () => {
    const response = await post({ headers: failures['a wrong secret'].headers, body: grant() });
    expect(response.statusCode).toBe(401);
    expect(response.headers?.['WWW-Authenticate']).toBe('Basic realm="oauth2/token", charset="UTF-8"');
    expect(bodyOf(response)).toStrictEqual({ error: 'invalid_client', error_description: 'Client authentication failed' });
  });

  it('answers unknown client, wrong secret, disabled client and expired secret byte-identically (Basic)', async () => {
    const responses = await Promise.all(Object.values(failures).map(({ headers }) => post({ headers, body: grant() })));
    expect(new Set(responses.map((response) => JSON.stringify(response))).size).toBe(1);
    expect(responses[0]?.statusCode).toBe(401);
  });

  it('answers them byte-identically with client_secret_post too, without a Basic challenge', async () => {
    const responses = await Promise.all(Object.values(failures).map(({ post: credentials }) => post({ body: grant(credentials) })));
    expect(new Set(responses.map((response) => JSON.stringify(response))).size).toBe(1);
    expect(responses[0]?.statusCode).toBe(401);
    expect(responses[0]?.headers).not.toHaveProperty('WWW-Authenticate');
  });

  it('logs the real reason for each uniform refusal, with the client id and never the secret', async () => {
    for (const { headers } of Object.values(failures)) await post({ headers, body: grant() });
    const refusals = loggedWith('Request refused');
    expect(refusals.map((fields) => [(fields as { clientId: string }).clientId, (fields as { reason: string }).reason])).toEqual([
      [mallory, 'unknown_client'],
      ['alice', 'wrong_secret'],
      ['disabled', 'disabled'],
      ['expired', 'expired_secret'],
    ]);
    const logged = JSON.stringify(vi.mocked(logger.info).mock.calls);
    for (const secret of [alice.secret, disabled.secret, expired.secret, 'not-the-secret']) expect(logged).not.toContain(secret);
  });

  const sha256Prefix = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);

  it('logs an unknown client id that is not shaped like a registered one only as a fingerprint and a length', async () => {
    const hostileId = 'x'.repeat(10_000);
    await post({ headers: { Authorization: basic(hostileId, 'guess') }, body: grant() });
    const [refusal] = loggedWith('Request refused');
    expect(refusal).toMatchObject({ reason: 'unknown_client', clientIdSha256: sha256Prefix(hostileId), clientIdLength: 10_000 });
    expect(refusal).not.toHaveProperty('clientId');
  });

  it('does not log the secret of a client that swapped id and secret (curl -u secret:id)', async () => {
    await post({ headers: { Authorization: basic(alice.secret, 'alice') }, body: grant() });
    await post({ body: grant({ client_id: alice.secret, client_secret: 'alice' }) });
    await post({ body: grant({ client_id: alice.secret }) });
    const refusals = loggedWith('Request refused');
    expect(refusals).toHaveLength(3);
    for (const refusal of refusals) expect(refusal).toMatchObject({ clientIdSha256: sha256Prefix(alice.secret), clientIdLength: alice.secret.length });
    expect(JSON.stringify(vi.mocked(logger.info).mock.calls)).not.toContain(alice.secret);
  });

  it('logs a registered client id verbatim, whatever its shape', async () => {
    await post({ headers: { Authorization: basic('my:client id+%/é', 'not-the-secret') }, body: grant() });
    expect(loggedWith('Request refused')).toEqual([expect.objectContaining({ reason: 'wrong_secret', clientId: 'my:client id+%/é' })]);
  });

  it('still looks the client up, hashes the secret and compares every slot when the client is unknown', async () => {
    const memory = memoryClientStore(alice.client);
    const work: string[] = [];
    const secretHashing: SecretHashing = {
      digest: (secret) => (work.push('digest'), sha256Hashing.digest(secret)),
      equal: (a, b) => (work.push('equal'), sha256Hashing.equal(a, b)),
    };
    const handler = tokenEndpoint({ config: baseConfig, logger, clock: () => NOW, clients: memory, signer, secretHashing });
    const unknown = await post({ headers: { Authorization: basic('mallory', 'guess') }, body: grant() }, handler);
    const unknownWork = work.splice(0);
    const wrong = await post({ headers: { Authorization: basic('alice', 'guess') }, body: grant() }, handler);
    expect([unknown.statusCode, wrong.statusCode]).toEqual([401, 401]);
    expect(memory.lookups).toEqual(['mallory', 'alice']);
    expect(unknownWork).toEqual(['digest', 'equal', 'equal']);
    expect(work).toEqual(unknownWork);
  });

  it('answers 401 invalid_client without a challenge when the request has no client authentication (§5.2)', async () => {
    const response = await post({ body: grant() });
    expect(response.statusCode).toBe(401);
    expect(bodyOf(response).error).toBe('invalid_client');
    expect(response.headers).not.toHaveProperty('WWW-Authenticate');
    expect(loggedWith('Request refused')[0]).toMatchObject({ reason: 'no_client_authentication' });
  });

  it('answers 401 invalid_client to a client_id without a secret', async () => {
    const response = await post({ body: grant({ client_id: 'alice' }) });
    expect(response.statusCode).toBe(401);
    // Not looked up, and not shaped like a generated id: it could be a secret sent as the id.
    expect(loggedWith('Request refused')[0]).toMatchObject({ reason: 'no_client_secret', clientIdSha256: sha256Prefix('alice'), clientIdLength: 5 });
  });

  it('answers 401 invalid_client with a Basic challenge to an Authorization scheme it does not support', async () => {
    const response = await post({ headers: { Authorization: 'Bearer some.access.token' }, body: grant() });
    expect(response.statusCode).toBe(401);
    expect(response.headers?.['WWW-Authenticate']).toMatch(/^Basic realm=/);
  });

  it('does not look up client ids longer than any registered one', async () => {
    const memory = memoryClientStore();
    const response = await post({ body: grant({ client_id: 'x'.repeat(300), client_secret: 's' }) }, endpoint({ clients: memory }));
    expect(response.statusCode).toBe(401);
    expect(memory.lookups).toEqual([]);
  });
});

describe('malformed requests (invalid_request, RFC 6749 §5.2)', () => {
  const basicAlice = basic('alice', alice.secret);
  const cases: [string, TokenEventOptions, string][] = [
    ['a missing grant_type', { headers: asAlice, body: form({ scope: 'products:read' }) }, 'grant_type parameter is required'],
    ['an empty grant_type (§3.2: treated as omitted)', { headers: asAlice, body: 'grant_type=' }, 'grant_type parameter is required'],
    ['a repeated grant_type', { headers: asAlice, body: 'grant_type=client_credentials&grant_type=client_credentials' }, 'grant_type parameter must not be repeated'],
    ['a repeated scope', { headers: asAlice, body: grant() + '&scope=products:read&scope=products:write' }, 'scope parameter must not be repeated'],
    ['a repeated client_id', { body: grant() + `&client_id=alice&client_id=alice&client_secret=${alice.secret}` }, 'client_id parameter must not be repeated'],
    ['a repeated client_secret', { body: grant() + `&client_id=alice&client_secret=${alice.secret}&client_secret=x` }, 'client_secret parameter must not be repeated'],
    ['a repeated unknown parameter', { headers: asAlice, body: grant() + '&foo=1&foo=2' }, 'A request parameter is repeated'],
    ['credentials in the query string', { body: grant(), query: { client_id: 'alice', client_secret: alice.secret } }, 'not in the URI'],
    ['any parameter in the query string', { headers: asAlice, body: grant(), query: { scope: 'products:read' } }, 'not in the URI'],
    ['credentials in both the header and the body', { headers: asAlice, body: grant({ client_id: 'alice', client_secret: alice.secret }) }, 'one place only'],
    ['a body client_id that differs from the Basic one', { headers: asAlice, body: grant({ client_id: 'bob' }) }, 'does not match the Authorization header'],
    ['a client_secret without a client_id', { body: grant({ client_secret: alice.secret }) }, 'client_secret requires client_id'],
    ['another Authorization scheme alongside posted credentials', { headers: { Authorization: 'Bearer x' }, body: grant({ client_id: 'alice', client_secret: alice.secret }) }, 'one place only'],
    ['a JSON body', { headers: { ...asAlice, 'Content-Type': 'application/json' }, body: '{"grant_type":"client_credentials"}' }, 'must be application/x-www-form-urlencoded'],
    ['a text/plain body', { headers: { ...asAlice, 'Content-Type': 'text/plain' }, body: grant() }, 'must be application/x-www-form-urlencoded'],
    ['a multipart body', { headers: { ...asAlice, 'Content-Type': 'multipart/form-data; boundary=x' }, body: grant() }, 'must be application/x-www-form-urlencoded'],
    ['a form-like media type with a suffix', { headers: { ...asAlice, 'Content-Type': 'application/x-www-form-urlencodedx' }, body: grant() }, 'must be application/x-www-form-urlencoded'],
    ['no Content-Type', { headerLines: [['Authorization', basicAlice]], body: grant() }, 'must be application/x-www-form-urlencoded'],
    ['a repeated Content-Type', { headerLines: [['Content-Type', 'application/x-www-form-urlencoded'], ['content-type', 'application/x-www-form-urlencoded'], ['Authorization', basicAlice]], body: grant() }, 'Content-Type header must not be repeated'],
    ['a repeated Authorization header', { headerLines: [['Content-Type', 'application/x-www-form-urlencoded'], ['Authorization', basicAlice], ['Authorization', basic('bob', 'x')]], body: grant() }, 'Authorization header must not be repeated'],
    ['two Authorization headers differing only in case', { headerLines: [['Content-Type', 'application/x-www-form-urlencoded'], ['Authorization', basicAlice], ['authorization', basicAlice]], body: grant() }, 'Authorization header must not be repeated'],
    ['Basic credentials without a colon', { headers: { Authorization: `Basic ${Buffer.from('alice').toString('base64')}` }, body: grant() }, 'not valid Basic credentials'],
    ['Basic credentials that are not base64', { headers: { Authorization: 'Basic ***' }, body: grant() }, 'not valid Basic credentials'],
    ['Basic credentials with an empty secret', { headers: { Authorization: `Basic ${Buffer.from('alice:').toString('base64')}` }, body: grant() }, 'not valid Basic credentials'],
    ['Basic credentials with bad percent-encoding', { headers: { Authorization: `Basic ${Buffer.from('alice:%zz').toString('base64')}` }, body: grant() }, 'not valid Basic credentials'],
    ['a body with bad percent-encoding', { headers: asAlice, body: 'grant_type=client_credentials&scope=%E2%82' }, 'not well-formed'],
    ['a body over 4096 bytes', { headers: asAlice, body: grant({ pad: 'x'.repeat(4096) }) }, 'exceeds 4096 bytes'],
    ['a base64 body over 4096 bytes', { headers: asAlice, body: Buffer.from(grant({ pad: 'x'.repeat(4096) })).toString('base64'), isBase64Encoded: true }, 'exceeds 4096 bytes'],
    ['a base64 body that is not base64', { headers: asAlice, body: 'not base64!', isBase64Encoded: true }, 'not valid base64'],
    ['a base64 body with non-zero spare bits (RFC 4648 §3.5)', { headers: asAlice, body: Buffer.from(`${grant()}&a`).toString('base64').replace(/YQ==$/, 'YR=='), isBase64Encoded: true }, 'not valid base64'],
    ['a base64 body that is not UTF-8', { headers: asAlice, body: Buffer.from([0x61, 0x3d, 0xff]).toString('base64'), isBase64Encoded: true }, 'not valid UTF-8'],
  ];

  it.each(cases)('refuses %s', async (_, options, reason) => {
    const response = await post(options);
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response)).toStrictEqual({ error: 'invalid_request', error_description: expect.stringContaining(reason) });
    expect(response.headers).toMatchObject({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    expect(response.headers).not.toHaveProperty('WWW-Authenticate');
  });

  it('accepts a body of exactly 4096 bytes', async () => {
    const body = grant();
    const padded = `${body}&pad=${'x'.repeat(4096 - body.length - 5)}`;
    expect(Buffer.byteLength(padded)).toBe(4096);
    expect((await post({ headers: asAlice, body: padded })).statusCode).toBe(200);
  });

  it('accepts a base64-encoded body (isBase64Encoded)', async () => {
    const response = await post({ headers: asAlice, body: Buffer.from(grant()).toString('base64'), isBase64Encoded: true });
    expect(response.statusCode).toBe(200);
  });

  it('accepts the media type in any case and with a charset parameter', async () => {
    const response = await post({ headers: { ...asAlice, 'Content-Type': 'Application/X-WWW-Form-URLEncoded; charset=UTF-8' }, body: grant() });
    expect(response.statusCode).toBe(200);
  });

  it('ignores unknown parameters (§3.2)', async () => {
    expect((await post({ headers: asAlice, body: grant({ audience: 'x', foo: 'bar' }) })).statusCode).toBe(200);
  });

  // Events API Gateway never sends: refused as the request they amount to, or (no requestContext to
  // derive the issuer from) a clean server_error.
  it.each([
    ['null headers', { ...tokenEvent(), headers: null, multiValueHeaders: null }, 400, 'invalid_request'],
    ['a null body', { ...tokenEvent({ headers: asAlice }), body: null }, 400, 'invalid_request'],
    ['an empty event', {}, 400, 'invalid_request'],
    ['a numeric body', { ...tokenEvent({ headers: asAlice }), body: 42 }, 400, 'invalid_request'],
    ['a non-string header value', { ...tokenEvent(), headers: { 'Content-Type': ['application/x-www-form-urlencoded'] }, multiValueHeaders: null }, 400, 'invalid_request'],
    ['a non-string Authorization value', { ...tokenEvent({ body: grant() }), headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 7 }, multiValueHeaders: null }, 400, 'invalid_request'],
    ['a null requestContext', { ...tokenEvent({ headers: asAlice, body: grant() }), requestContext: null }, 500, 'server_error'],
  ])('answers %s with an OAuth error response instead of crashing', async (_, event, status, error) => {
    const response = await endpoint()(event as unknown as APIGatewayProxyEvent, lambdaContext());
    expect(response.statusCode).toBe(status);
    expect(Object.keys(bodyOf(response)).sort()).toEqual(['error', 'error_description']);
    expect(bodyOf(response)).toMatchObject({ error });
    expect(response.headers?.['Cache-Control']).toBe('no-store');
  });
});

describe('grant type', () => {
  it.each(['password', 'authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'CLIENT_CREDENTIALS'])(
    'answers unsupported_grant_type to grant_type=%s',
    async (grantType) => {
      const response = await post({ headers: asAlice, body: form({ grant_type: grantType }) });
      expect(response.statusCode).toBe(400);
      expect(bodyOf(response).error).toBe('unsupported_grant_type');
    },
  );
});

describe('scope (RFC 6749 §3.3)', () => {
  const scopeOf = async (extra: Record<string, string>, clientId = 'alice', secret = alice.secret) =>
    bodyOf(await post({ headers: { Authorization: basic(clientId, secret) }, body: grant(extra) }));

  it("grants the client's default scopes when scope is omitted", async () => {
    expect(await scopeOf({})).toMatchObject({ scope: 'products:read' });
  });

  it('treats an empty scope parameter as omitted (§3.2)', async () => {
    expect(await scopeOf({ scope: '' })).toMatchObject({ scope: 'products:read' });
  });

  it('grants a requested subset of the allowed scopes, in the order asked, duplicates collapsed', async () => {
    const body = await scopeOf({ scope: 'products:write products:read products:write' });
    expect(body.scope).toBe('products:write products:read');
    expect(claimsOf(body.access_token as string).scope).toBe('products:write products:read');
  });

  it.each(['products:read  products:write', ' products:read', 'products:read ', 'products:"read"', 'products\\read', 'prodücts', 'a\tb'])(
    'answers invalid_scope to the malformed scope %j',
    async (scope) => {
      expect(await scopeOf({ scope })).toMatchObject({ error: 'invalid_scope' });
    },
  );

  it('answers invalid_scope to a scope the client is not allowed, instead of narrowing it', async () => {
    expect(await scopeOf({ scope: 'products:read products:delete' })).toMatchObject({ error: 'invalid_scope' });
    expect(loggedWith('Request refused')[0]).toMatchObject({ clientId: 'alice', reason: 'scope_not_allowed', refusedScope: 'products:delete' });
  });

  it('answers invalid_scope when the scope is omitted and the client has no default', async () => {
    expect(await scopeOf({}, 'no-defaults', noDefaults.secret)).toMatchObject({ error: 'invalid_scope' });
  });
});

describe('audience (RFC 8707 resource)', () => {
  const resources = (...values: string[]) => form([['grant_type', 'client_credentials'], ...values.map((value): [string, string] => ['resource', value])]);
  const audienceOf = async (body: string) => {
    const response = await post({ headers: asAlice, body });
    return response.statusCode === 200 ? claimsOf(tokenOf(response)).aud : bodyOf(response);
  };

  it("uses the client's default audience when no resource is named", async () => {
    expect(await audienceOf(grant())).toBe(PRODUCTS);
  });

  it('uses an allowed resource as the audience, as a single string', async () => {
    expect(await audienceOf(grant({ resource: REPORTS }))).toBe(REPORTS);
  });

  it('treats an empty resource parameter as omitted', async () => {
    expect(await audienceOf(grant({ resource: '' }))).toBe(PRODUCTS);
  });

  it.each([
    ['a resource the client may not use', grant({ resource: 'https://billing.example.com/' })],
    ['a relative URI', grant({ resource: '/products' })],
    ['a URI with a fragment', grant({ resource: `${REPORTS}#section` })],
    ['a URI with a space', grant({ resource: 'https://reports.example.com/a b' })],
    ['an allowed resource next to one the client may not use', resources(PRODUCTS, 'https://billing.example.com/')],
    ['an allowed resource next to a malformed one', resources(REPORTS, `${PRODUCTS}#fragment`)],
  ])('answers invalid_target to %s', async (_, body) => {
    expect(await audienceOf(body)).toMatchObject({ error: 'invalid_target' });
  });

  it('issues one token for several allowed resources, with aud an array of them in the order asked (RFC 8707 §2)', async () => {
    expect(await audienceOf(resources(REPORTS, PRODUCTS))).toEqual([REPORTS, PRODUCTS]);
  });

  it('collapses a repeated resource, so the same resource twice is a single-string aud', async () => {
    expect(await audienceOf(resources(REPORTS, REPORTS))).toBe(REPORTS);
    expect(await audienceOf(resources(PRODUCTS, REPORTS, PRODUCTS, ''))).toEqual([PRODUCTS, REPORTS]);
  });

  it('still refuses every other repeated parameter (RFC 6749 §3.2)', async () => {
    const response = await post({ headers: asAlice, body: `${resources(PRODUCTS, REPORTS)}&scope=products:read&scope=products:read` });
    expect(bodyOf(response)).toStrictEqual({ error: 'invalid_request', error_description: 'The scope parameter must not be repeated' });
  });
});

describe('token lifetime', () => {
  it("uses the client's lifetime when it is under the maximum", async () => {
    const response = await post({ headers: asAlice, body: grant() });
    const claims = claimsOf(tokenOf(response));
    expect(bodyOf(response).expires_in).toBe(900);
    expect((claims.exp as number) - (claims.iat as number)).toBe(900);
  });

  it('bounds it by MAX_TOKEN_LIFETIME_SECONDS', async () => {
    const handler = endpoint({ config: { maxTokenLifetimeSeconds: 3600 } });
    const response = await post({ headers: { Authorization: basic('long-lived', longLived.secret) }, body: grant() }, handler);
    const claims = claimsOf(tokenOf(response));
    expect(bodyOf(response).expires_in).toBe(3600);
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
  });
});

describe('error responses', () => {
  it('use the RFC 6749 §5.2 body, no-store caching and only §5.2 characters in error_description', async () => {
    const responses = await Promise.all([
      post({ body: grant() }),
      post({ headers: asAlice, body: 'grant_type=password' }),
      post({ headers: asAlice, body: grant({ scope: 'x y  z' }) }),
      post({ headers: asAlice, body: grant({ resource: 'nope' }) }),
      post({ headers: asAlice, body: grant() + '&grant_type=x' }),
    ]);
    for (const response of responses) {
      const body = bodyOf(response);
      expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
      expect(body.error_description).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]+$/);
      expect(response.headers).toMatchObject({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    }
  });

  it('answer 503 temporarily_unavailable with Retry-After when a port reports an outage', async () => {
    const down: ClientStore = {
      find: async () => {
        throw new TemporarilyUnavailable('The authorization server is temporarily unable to handle the request; retry later', 1);
      },
    };
    const response = await post({ headers: asAlice, body: grant() }, endpoint({ clients: down }));
    expect(response.statusCode).toBe(503);
    expect(response.headers).toMatchObject({ 'Retry-After': '1', 'Cache-Control': 'no-store' });
    expect(bodyOf(response).error).toBe('temporarily_unavailable');
  });

  it('answer anything unexpected with a generic 500 server_error and log it', async () => {
    const broken: ClientStore = {
      find: async () => {
        throw new Error('table schema mismatch at /internal/path');
      },
    };
    const response = await post({ headers: asAlice, body: grant() }, endpoint({ clients: broken }));
    expect(response.statusCode).toBe(500);
    expect(bodyOf(response)).toStrictEqual({ error: 'server_error', error_description: 'The authorization server encountered an unexpected condition' });
    expect(logger.error).toHaveBeenCalledWith('Unexpected error', expect.any(Error));
  });

  it('answer 500 when the issuer cannot be determined (no ISSUER and no stage in the request)', async () => {
    const event = { ...tokenEvent({ headers: asAlice, body: grant() }), requestContext: {} };
    const response = await endpoint()(event as unknown as APIGatewayProxyEvent, lambdaContext());
    expect(response.statusCode).toBe(500);
    expect(bodyOf(response).error).toBe('server_error');
  });
});

describe('security headers', () => {
  it('sends the headers that matter for a JSON API and none that are empty or meaningless', async () => {
    for (const response of [await post({ headers: asAlice, body: grant() }), await post({ body: grant() })]) {
      expect(response.headers).toMatchObject({
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Strict-Transport-Security': 'max-age=31536000',
      });
      for (const [name, value] of Object.entries(response.headers ?? {})) {
        expect(typeof value === 'string' && value !== '', name).toBe(true);
      }
      expect(response.headers).not.toHaveProperty('Reporting-Endpoints');
    }
  });
});
