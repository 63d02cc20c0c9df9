import fc from 'fast-check';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeAccessTokenVerifier } from '#shared/access-token/access-token-verifier.js';
import { makeRoutePolicyBuilder } from '../../functions/authorizer/route-policy.js';
import { makeTokenAuthorizer } from '../../functions/authorizer/token-authorizer.js';
import { accessRules, readAccessRules } from '#shared/access/access-rules.js';
import { AUDIENCE, ISSUER, METHOD_ARN, NOW, STAGE_ARN, accessTokenClaims, generateTestKey, signAccessToken, signByHand, rs256 } from '../support/access-token-fixtures.js';
import { memoryRevocations } from '../support/memory-revocations.js';
import { recordingLogger } from '../support/recording-logger.js';
import { fuzz } from './support/fuzz-runs.js';
import { scopeString, scopeTokens, text } from './support/token-arbitraries.js';

/**
 * Property-based tests of the TOKEN authorizer's parsers: the Authorization header (RFC 6750 §2.1), the
 * compact JWS (RFC 7515 §7.1) and the claims (RFC 9068 §2.2, §4). The authorizer must end every request
 * in an Allow policy or in exactly Error('Unauthorized') — anything else thrown becomes a 500 at API
 * Gateway — and it must allow only what an independent model of the RFCs allows.
 */
const SKEW = 30;
const ours = generateTestKey();
const log = recordingLogger();
const policyFor = makeRoutePolicyBuilder(readAccessRules(accessRules));
const authorize = makeTokenAuthorizer({
  loadVerifier: async () =>
    makeAccessTokenVerifier({ keys: [ours.verificationKey], issuer: ISSUER, audience: AUDIENCE, clockSkewSeconds: SKEW, clock: () => new Date(NOW * 1000) }),
  policyFor,
  revocations: memoryRevocations(),
  logger: log.logger,
});

type Decision = { allowed: true; result: APIGatewayAuthorizerResult } | { allowed: false };

async function decide(authorizationToken: string): Promise<Decision> {
  log.entries.length = 0;
  const event: APIGatewayTokenAuthorizerEvent = { type: 'TOKEN', methodArn: METHOD_ARN, authorizationToken };
  let decision: Decision;
  try {
    decision = { allowed: true, result: await authorize(event) };
  } catch (error) {
    // Exactly the error API Gateway turns into 401; a subclass or another message would be a 500.
    expect(Object.getPrototypeOf(error)).toBe(Error.prototype);
    expect((error as Error).message).toBe('Unauthorized');
    decision = { allowed: false };
  }
  expect(log.entries).toHaveLength(decision.allowed ? 0 : 1);
  // Whatever is logged about a refusal, it is never the credential itself.
  if (authorizationToken.length >= 24) expect(log.text()).not.toContain(authorizationToken.slice(7));
  return decision;
}

function expectAllowed(decision: Decision, scope: string): void {
  expect(decision.allowed).toBe(true);
  if (!decision.allowed) return;
  // The rule table's policy for exactly the token's scopes (test/authorizer/route-policy.test.ts proves those right).
  expect(decision.result.policyDocument).toEqual(policyFor(STAGE_ARN, scope));
  expect(decision.result.context).toMatchObject({ scope });
}

let valid: string;
beforeAll(async () => {
  valid = await signAccessToken(ours);
});

describe('Authorization header (RFC 6750 §2.1)', () => {
  it('refuses anything that is not a bearer token of ours with exactly Error("Unauthorized")', async () => {
    const headers = fc.oneof(
      text({ maxLength: 120 }),
      fc.tuple(fc.constantFrom('Bearer ', 'bearer ', 'Bearer  ', 'Bearer\t', 'Basic ', ''), fc.string({ unit: 'binary-ascii', maxLength: 200 })).map((parts) => parts.join('')),
      fc.tuple(fc.constantFrom('Bearer '), fc.array(fc.base64String({ maxLength: 80 }), { minLength: 1, maxLength: 5 })).map(([scheme, segments]) => scheme + segments.join('.')),
      fc.nat(12_000).map((length) => `Bearer ${'a'.repeat(length)}`),
    );
    await fuzz('bearerHeaderJunk', headers, async (header) => {
      expect((await decide(header)).allowed).toBe(false);
    });
  });
});

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Edits of a valid token, and whether the result must still be accepted. */
type Mutation = { describe: string; apply(token: string): string; stillValid: boolean };

/** Positions whose character carries six bits of the decoded bytes in every decoder: not a '.', not the last of a segment. */
function innerPositions(token: string): number[] {
  return [...token].flatMap((char, index) => (char !== '.' && index + 1 < token.length && token[index + 1] !== '.' ? [index] : []));
}

const mutations: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat(B64URL.length - 2)).map(([at, shift]): Mutation => ({
    describe: 'replace an inner character',
    apply: (token) => {
      const positions = innerPositions(token);
      const index = positions[at % positions.length] ?? 0;
      const replacement = B64URL[(B64URL.indexOf(token[index] ?? 'A') + 1 + shift) % B64URL.length];
      return `${token.slice(0, index)}${replacement}${token.slice(index + 1)}`;
    },
    stillValid: false,
  })),
  fc.nat().map((at): Mutation => ({
    describe: 'delete a character',
    apply: (token) => {
      const index = at % token.length;
      return token.slice(0, index) + token.slice(index + 1);
    },
    stillValid: false,
  })),
  fc.tuple(fc.nat(), fc.constantFrom(...B64URL, '.', '=', ' ', '+', '/', '~')).map(([at, char]): Mutation => ({
    describe: 'insert a character inside',
    apply: (token) => {
      const positions = innerPositions(token);
      const index = positions[at % positions.length] ?? 0;
      return token.slice(0, index) + char + token.slice(index);
    },
    stillValid: false,
  })),
  fc.constantFrom<Mutation>(
    { describe: 'swap header and payload', apply: (t) => { const [h, p, s] = t.split('.'); return `${p}.${h}.${s}`; }, stillValid: false },
    { describe: 'repeat the payload', apply: (t) => { const [h, p, s] = t.split('.'); return `${h}.${p}.${p}.${s}`; }, stillValid: false },
    { describe: 'drop the signature', apply: (t) => t.slice(0, t.lastIndexOf('.') + 1), stillValid: false },
    { describe: 'pad the signature with "=="', apply: (t) => `${t}==`, stillValid: false },
    { describe: 'append a dot', apply: (t) => `${t}.`, stillValid: false },
    { describe: 'unchanged', apply: (t) => t, stillValid: true },
  ),
);

describe('compact JWS (RFC 7515 §7.1)', () => {
  it('allows a token of ours only as it was signed: every edit is refused', async () => {
    const cases = fc.record({ mutation: mutations, scheme: fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEaReR') });
    await fuzz('bearerTokenMutations', cases, async ({ mutation, scheme }) => {
      const token = mutation.apply(valid);
      const decision = await decide(`${scheme} ${token}`);
      if (mutation.stillValid) expectAllowed(decision, accessTokenClaims().scope as string);
      else expect(decision.allowed, `${mutation.describe}: ${token}`).toBe(false);
    });
  });
});

/** A claim value of any JSON type. */
const anyJson = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), text({ maxLength: 8 }), fc.constant([]), fc.constant({}));
const SOON = NOW + 600;
const ABSENT = Symbol('absent');

/** Claims a token of ours may legitimately carry, with the variety RFC 9068 allows. */
const goodClaims = fc.record({
  iss: fc.constant(ISSUER),
  sub: fc.constantFrom('client-1', 'c'),
  client_id: fc.constantFrom('client-1', 'c'),
  aud: fc.constantFrom<unknown>(AUDIENCE, [AUDIENCE], ['urn:other', AUDIENCE]),
  scope: fc.constantFrom('products:read', 'products:read products:write', ''),
  iat: fc.constantFrom(NOW - 60, NOW, NOW + 5),
  exp: fc.constantFrom(SOON, NOW - SKEW + 1, NOW + 1),
  nbf: fc.constantFrom<unknown>(ABSENT, NOW - 10, NOW + SKEW),
  jti: fc.constantFrom('f4c1b0f0-8d1e-4c55-9d7b-6c1f3f0e2a11', 'j'),
});

/** Per claim: values that are almost right, of the wrong type, or missing. */
const badValues: Record<string, fc.Arbitrary<unknown>> = {
  iss: fc.constantFrom(`${ISSUER}/`, ISSUER.toUpperCase(), 'https://attacker.example', ''),
  sub: fc.constantFrom('', 7),
  client_id: fc.constantFrom('', 7, ['client-1']),
  aud: fc.constantFrom<unknown>('urn:other', ['urn:other'], [], `${AUDIENCE} `, { aud: AUDIENCE }),
  scope: fc.oneof(scopeString, fc.constantFrom<unknown>(['products:read'], 'products:read ', null)),
  iat: fc.constantFrom<unknown>('1750000000', null),
  exp: fc.constantFrom<unknown>(NOW - SKEW, NOW - SKEW - 1, String(SOON), null),
  nbf: fc.constantFrom<unknown>(NOW + SKEW + 1, String(NOW), null),
  jti: fc.constantFrom<unknown>('', 42),
};
const CLAIMS = Object.keys(badValues);

/** A valid claim set, mostly with one claim replaced by a bad value or removed, sometimes with two or three. */
const claimSets = fc
  .record({
    good: goodClaims,
    edited: fc.oneof(
      { weight: 1, arbitrary: fc.constant<string[]>([]) },
      { weight: 4, arbitrary: fc.constantFrom(...CLAIMS).map((claim) => [claim]) },
      { weight: 1, arbitrary: fc.subarray(CLAIMS, { minLength: 2, maxLength: 3 }) },
    ),
  })
  .chain(({ good, edited }) =>
    fc.tuple(...edited.map((claim) => fc.oneof({ weight: 3, arbitrary: badValues[claim] ?? anyJson }, anyJson, fc.constant(ABSENT)))).map((values) => {
      const claims: Record<string, unknown> = { ...good };
      edited.forEach((claim, index) => (claims[claim] = values[index]));
      return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== ABSENT));
    }),
  );
type ClaimSet = Record<string, unknown>;

const nonEmptyString = (value: unknown) => typeof value === 'string' && value.length > 0;
const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** RFC 9068 §4 and RFC 7519 §4.1, as this API applies them, written out claim by claim. */
function acceptable(claims: ClaimSet): boolean {
  const { iss, sub, client_id: clientId, aud, scope, iat, exp, nbf, jti } = claims;
  const audienceOk = aud === AUDIENCE || (Array.isArray(aud) && aud.includes(AUDIENCE));
  const scopeOk = typeof scope === 'string' && (scope === '' || scopeTokens(scope) !== undefined);
  const timeOk = isNumber(exp) && exp > NOW - SKEW && isNumber(iat) && (nbf === undefined || (isNumber(nbf) && nbf <= NOW + SKEW));
  return iss === ISSUER && audienceOk && scopeOk && timeOk && nonEmptyString(sub) && nonEmptyString(clientId) && nonEmptyString(jti);
}

describe('claims (RFC 9068 §2.2, §4)', () => {
  it('allows a token our key signed exactly when its claims satisfy the RFC model', async () => {
    const decisions = { allowed: 0, refused: 0 };
    await fuzz('accessTokenClaims', claimSets, async (claims) => {
      const token = signByHand({ alg: 'RS256', typ: 'at+jwt', kid: ours.kid }, claims, rs256(ours.privateKey));
      const decision = await decide(`Bearer ${token}`);
      if (acceptable(claims)) expectAllowed(decision, claims.scope as string);
      else expect(decision.allowed, JSON.stringify(claims)).toBe(false);
      decisions[decision.allowed ? 'allowed' : 'refused'] += 1;
    });
    // The generator reaches both sides of the boundary, often.
    expect(decisions.allowed).toBeGreaterThan(60);
    expect(decisions.refused).toBeGreaterThan(300);
  });

  it('passes a well-formed scope claim through unchanged and refuses any other', async () => {
    await fuzz('scopeClaim', scopeString, async (scope) => {
      const decision = await decide(`Bearer ${await signAccessToken(ours, { claims: { scope } })}`);
      if (scope === '' || scopeTokens(scope) !== undefined) expectAllowed(decision, scope);
      else expect(decision.allowed).toBe(false);
    });
  });
});
