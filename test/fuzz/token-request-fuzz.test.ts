import fc from 'fast-check';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '#shared/http/form-body.js';
import { basic, tokenEvent } from '../token/support/proxy-events.js';
import { fuzz } from './support/fuzz-runs.js';
import { basicCredentials, formParameters, junkAuthorization, junkFormBody, scopeString, scopeTokens, text } from './support/token-arbitraries.js';
import { ALICE, ALLOWED_AUDIENCES, expectWellFormedAnswer, tokenEndpointHarness } from './support/token-endpoint-harness.js';

/**
 * Property-based tests of every parser the token endpoint puts in front of untrusted input: the Basic
 * header (RFC 7617 + RFC 6749 §2.3.1 form-encoding), the form body (RFC 6749 §3.2, Appendix B), the
 * scope parameter (§3.3) and the API Gateway event itself. Where an outcome can be predicted, an
 * independent model of the RFC predicts it; everywhere, the answer must be a well-formed OAuth answer.
 */
const endpoint = tokenEndpointHarness();
const asAlice = basic(ALICE.client.clientId, ALICE.secret);
const ALICE_ALLOWED = new Set(ALICE.client.allowedScopes);

describe('Basic client credentials (RFC 7617, RFC 6749 §2.3.1)', () => {
  it('accepts exactly the registered id and secret, however legally encoded, and nothing else', async () => {
    let accepted = 0;
    await fuzz('basicHeaderEncodings', basicCredentials, async (credentials) => {
      const response = await endpoint.call(tokenEvent({ headers: { Authorization: credentials.header }, body: 'grant_type=client_credentials' }));
      const answer = expectWellFormedAnswer(response, credentials.registered ? [200] : [401]);
      if (answer.status === 401) expect(answer.body.error).toBe('invalid_client');
      else accepted += 1;
      // The secret never reaches a log line, whether it was right or wrong.
      expect(endpoint.lastLog()).not.toContain(credentials.secret);
    });
    expect(accepted).toBeGreaterThan(200);
  });

  it('answers anything else in the Authorization header with 400 or 401, never a token and never a 5xx', async () => {
    await fuzz('basicHeaderJunk', junkAuthorization, async (authorization) => {
      const response = await endpoint.call(tokenEvent({ headers: { Authorization: authorization }, body: 'grant_type=client_credentials' }));
      expectWellFormedAnswer(response, [400, 401]);
    });
  });
});

type Outcome = { status: 200; scope: string } | { status: 400 | 401; error: string };

/**
 * RFC 6749 §3.2, §4.4.2, §3.3, §5.2 and RFC 8707 §2, in the order the endpoint reveals them: request
 * syntax, then the grant type, then what an authenticated client may have.
 */
function expectedOutcome(parameters: readonly [string, string][], body: string): Outcome {
  const invalid = (error: string): Outcome => ({ status: 400, error });
  if (Buffer.byteLength(body, 'utf8') > MAX_BODY_BYTES) return invalid('invalid_request');
  const byName = new Map<string, string[]>();
  for (const [name, value] of parameters) byName.set(name, [...(byName.get(name) ?? []), value]);
  if ([...byName].some(([name, values]) => values.length > 1 && name !== 'resource')) return invalid('invalid_request');
  const parameter = (name: string) => (byName.get(name)?.[0] === '' ? undefined : byName.get(name)?.[0]);
  if (parameter('client_secret') !== undefined) return invalid('invalid_request');
  const postedId = parameter('client_id');
  if (postedId !== undefined && postedId !== ALICE.client.clientId) return invalid('invalid_request');
  const grantType = parameter('grant_type');
  if (grantType === undefined) return invalid('invalid_request');
  if (grantType !== 'client_credentials') return invalid('unsupported_grant_type');
  const requested = parameter('scope');
  const scopes = requested === undefined ? ALICE.client.defaultScopes : scopeTokens(requested);
  if (scopes === undefined || scopes.some((scope) => !ALICE_ALLOWED.has(scope))) return invalid('invalid_scope');
  const resources = (byName.get('resource') ?? []).filter((value) => value !== '');
  // RFC 8707 §2: several resources are one token for all of them, so each must be allowed.
  if (resources.some((resource) => !ALLOWED_AUDIENCES.includes(resource))) return invalid('invalid_target');
  return { status: 200, scope: scopes.join(' ') };
}

describe('form body (RFC 6749 §3.2, Appendix B)', () => {
  it('answers every combination of parameters exactly as the RFC model predicts', async () => {
    const seen = new Map<string, number>();
    await fuzz('formBodyModel', formParameters, async (parameters) => {
      const body = new URLSearchParams(parameters).toString();
      const response = await endpoint.call(tokenEvent({ headers: { Authorization: asAlice }, body }));
      const expected = expectedOutcome(parameters, body);
      const answer = expectWellFormedAnswer(response, [expected.status]);
      if (expected.status === 200) expect(answer.body.scope).toBe(expected.scope);
      else expect(answer.body.error).toBe(expected.error);
      const outcome = expected.status === 200 ? 'issued' : expected.error;
      seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
    });
    // Every branch of the model was reached, each many times.
    for (const outcome of ['issued', 'invalid_request', 'unsupported_grant_type', 'invalid_scope', 'invalid_target']) {
      expect(seen.get(outcome) ?? 0, outcome).toBeGreaterThan(20);
    }
  });

  it('answers malformed bodies, as text or base64, with a well-formed 200 or 400', async () => {
    const bodies = fc.oneof(
      junkFormBody.map((body) => ({ body, isBase64Encoded: false })),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ body: Buffer.from(bytes).toString('base64'), isBase64Encoded: true })),
      junkFormBody.map((body) => ({ body: Buffer.from(body, 'utf8').toString('base64'), isBase64Encoded: true })),
      fc.string({ maxLength: 16 }).map((body) => ({ body, isBase64Encoded: true })),
    );
    await fuzz('formBodyJunk', bodies, async ({ body, isBase64Encoded }) => {
      const response = await endpoint.call(tokenEvent({ headers: { Authorization: asAlice }, body, isBase64Encoded }));
      const answer = expectWellFormedAnswer(response, [200, 400]);
      if (answer.status === 200) expect(isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body).toContain('grant_type');
    });
  });
});

describe('scope parameter (RFC 6749 §3.3)', () => {
  it('grants exactly the requested well-formed, allowed scopes and refuses the rest with invalid_scope', async () => {
    await fuzz('scopeParameter', scopeString, async (scope) => {
      const body = new URLSearchParams({ grant_type: 'client_credentials', scope }).toString();
      const response = await endpoint.call(tokenEvent({ headers: { Authorization: asAlice }, body }));
      const expected = expectedOutcome([['grant_type', 'client_credentials'], ['scope', scope]], body);
      const answer = expectWellFormedAnswer(response, [expected.status]);
      if (expected.status !== 200) {
        expect(answer.body.error).toBe(expected.error);
        return;
      }
      expect(answer.body.scope).toBe(expected.scope);
      const claims = JSON.parse(Buffer.from((answer.body.access_token as string).split('.')[1] ?? '', 'base64url').toString('utf8')) as { scope: string };
      expect(claims.scope).toBe(expected.scope);
    });
  });
});

/** Header values as API Gateway never sends them, and as it does. */
const headerValue = fc.oneof(
  fc.constantFrom(asAlice, 'application/x-www-form-urlencoded', 'application/json', 'Basic', ''),
  text({ maxLength: 20 }),
  fc.array(fc.constantFrom(asAlice, 'application/x-www-form-urlencoded', 'x'), { maxLength: 3 }),
  fc.constantFrom(null, undefined, 42, true, {}),
);
const headerMap = fc.dictionary(fc.constantFrom('Authorization', 'authorization', 'AUTHORIZATION', 'Content-Type', 'content-type', 'Host', 'X-Other'), headerValue, { maxKeys: 4 });
const shapedEvents = fc.record(
  {
    headers: fc.oneof(headerMap, fc.constant(null)),
    multiValueHeaders: fc.oneof(headerMap, fc.constant(null)),
    body: fc.oneof(fc.constantFrom('grant_type=client_credentials', 'grant_type=client_credentials&scope=products:read', ''), junkFormBody, fc.constantFrom(null, 7, {}, ['a'])),
    isBase64Encoded: fc.constantFrom(true, false, 'true', null),
    queryStringParameters: fc.oneof(fc.constant(null), fc.constant({}), fc.dictionary(text({ maxLength: 6 }), text({ maxLength: 6 }), { maxKeys: 2 })),
    multiValueQueryStringParameters: fc.constantFrom(null, {}, { scope: ['a', 'b'] }),
    requestContext: fc.constantFrom(null, {}, { domainName: 'x.example', stage: 'v1' }, 'context'),
  },
  { requiredKeys: [] },
);

describe('the API Gateway event itself', () => {
  it('answers events of any shape with a well-formed OAuth answer, never a 5xx', async () => {
    const configured = tokenEndpointHarness({ issuer: 'https://issuer.example' });
    await fuzz('tokenEventShapes', shapedEvents, async (event) => {
      const response = await configured.call(event as unknown as APIGatewayProxyEvent);
      expectWellFormedAnswer(response, [200, 400, 401]);
    });
  });
});
