import { beforeEach, describe, expect, it } from 'vitest';
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import { onceSucceeded } from '#shared/async/once-succeeded.js';
import { loadVerificationKeys, type PublicKeySource } from '#shared/keys/verification-key.js';
import { makeAccessTokenVerifier, type AccessTokenVerifier } from '#shared/access-token/access-token-verifier.js';
import { MAX_TOKEN_LENGTH } from '../../functions/authorizer/bearer-header.js';
import { makeRoutePolicyBuilder } from '../../functions/authorizer/route-policy.js';
import { CANNOT_DECIDE, makeTokenAuthorizer } from '../../functions/authorizer/token-authorizer.js';
import { accessRules, readAccessRules } from '#shared/access/access-rules.js';
import {
  AUDIENCE,
  CLIENT_ID,
  ISSUER,
  METHOD_ARN,
  NOW,
  STAGE_ARN,
  accessTokenClaims,
  b64url,
  generateTestKey,
  hs256,
  rs256,
  signAccessToken,
  signByHand,
  unsigned,
} from '../support/access-token-fixtures.js';
import { memoryRevocations } from '../support/memory-revocations.js';
import { recordingLogger } from '../support/recording-logger.js';

const ours = generateTestKey();
const rotated = generateTestKey();
const attacker = generateTestKey();

const SKEW = 30;
const pinnedClock = () => new Date(NOW * 1000);

function verifierFor(issuer: string | undefined = ISSUER): AccessTokenVerifier {
  return makeAccessTokenVerifier({
    keys: [ours.verificationKey, rotated.verificationKey],
    issuer,
    audience: AUDIENCE,
    clockSkewSeconds: SKEW,
    clock: pinnedClock,
  });
}

const policyFor = makeRoutePolicyBuilder(readAccessRules(accessRules));
let revocations = memoryRevocations();

function authorizerWith(verifier: AccessTokenVerifier) {
  const log = recordingLogger();
  const authorize = makeTokenAuthorizer({ loadVerifier: async () => verifier, policyFor, revocations, logger: log.logger });
  return { authorize, log };
}

const event = (authorizationToken: string | undefined, methodArn = METHOD_ARN): APIGatewayTokenAuthorizerEvent =>
  ({ type: 'TOKEN', methodArn, authorizationToken }) as APIGatewayTokenAuthorizerEvent;

async function allow(authorization: string, verifier = verifierFor(), methodArn = METHOD_ARN) {
  const { authorize } = authorizerWith(verifier);
  return authorize(event(authorization, methodArn));
}

/**
 * Refused exactly as API Gateway needs: Error('Unauthorized') (401) for a bad token, any other message (500
 * AuthorizerConfigurationException, which the template answers with 503) when the authorizer cannot decide.
 * Returns the logged reason.
 */
async function refusal(authorization: string | undefined, verifier = verifierFor(), methodArn = METHOD_ARN, expectedMessage = 'Unauthorized') {
  const { authorize, log } = authorizerWith(verifier);
  const outcome = await authorize(event(authorization, methodArn)).then(
    (result) => ({ allowed: result }),
    (error: unknown) => ({ error }),
  );
  expect(outcome).not.toHaveProperty('allowed');
  const { error } = outcome as { error: Error };
  expect(Object.getPrototypeOf(error)).toBe(Error.prototype);
  expect(error.message).toBe(expectedMessage);
  expect(log.entries).toHaveLength(1);
  if (authorization !== undefined && authorization.length > 20) {
    // Neither the header nor any part of the token reaches the log.
    for (const part of authorization.slice(7).split('.').filter((p) => p.length > 8)) expect(log.text()).not.toContain(part);
  }
  const fields = log.entries[0]?.fields[0] as { reason: string; kid?: string; jti?: string; clientId?: string };
  return { reason: fields.reason, level: log.entries[0]?.level, fields };
}

const bearer = (token: string) => `Bearer ${token}`;

describe('TOKEN authorizer: accepted tokens', () => {
  it('allows a valid token with a policy naming exactly the routes its scopes open, and a flat string context', async () => {
    const token = await signAccessToken(ours);
    const result = await allow(bearer(token));
    expect(result).toEqual({
      principalId: CLIENT_ID,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: 'Allow',
            Resource: [`${STAGE_ARN}/GET/products`, `${STAGE_ARN}/GET/products/*`, `${STAGE_ARN}/POST/products`],
          },
        ],
      },
      context: {
        clientId: CLIENT_ID,
        scope: 'products:read products:write',
        jti: accessTokenClaims().jti,
        exp: String(NOW + 3600),
      },
    });
    for (const value of Object.values(result.context ?? {})) expect(typeof value).toBe('string');
  });

  it('gives the same policy whichever route was asked about, so a cached decision fits every route', async () => {
    const token = await signAccessToken(ours);
    const deleteArn = 'arn:aws:execute-api:eu-west-1:111122223333:abc123defg/v1/DELETE/products/42';
    const asked = await allow(bearer(token), verifierFor(), deleteArn);
    expect(asked.policyDocument).toEqual((await allow(bearer(token))).policyDocument);
  });

  it('passes whole seconds as digits when exp and iat are not integers (RFC 7519 §2 NumericDate)', async () => {
    const fractional = await allow(bearer(await signAccessToken(ours, { claims: { exp: NOW + 600.5 } })));
    expect(fractional.context.exp).toBe(String(NOW + 600));
    const huge = await allow(bearer(await signAccessToken(ours, { claims: { exp: 1e21 } })));
    expect(huge.context.exp).toBe('1000000000000000000000');
  });

  it('treats a fractional exp as ending at the whole second before it, as the backend does', async () => {
    const token = await signAccessToken(ours, { claims: { exp: NOW - SKEW + 0.5 } });
    expect((await refusal(bearer(token))).reason).toBe('TokenExpired');
  });

  it('explicitly denies every route to a token whose scopes open none', async () => {
    const result = await allow(bearer(await signAccessToken(ours, { claims: { scope: 'other:thing' } })));
    expect(result.policyDocument.Statement).toEqual([{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: `${STAGE_ARN}/*` }]);
  });

  it('selects the key by kid, so tokens of a second (rotated-in) key verify too', async () => {
    const result = await allow(bearer(await signAccessToken(rotated)));
    expect(result.principalId).toBe(CLIENT_ID);
  });

  it.each(['bearer', 'BEARER', 'bEaReR'])('accepts the scheme spelled %s (RFC 9110 §11.1: case-insensitive)', async (scheme) => {
    const result = await allow(`${scheme} ${await signAccessToken(ours)}`);
    expect(result.principalId).toBe(CLIENT_ID);
  });

  it.each(['at+jwt', 'application/at+jwt', 'AT+JWT', 'Application/At+Jwt'])('accepts typ %s (RFC 9068 §4)', async (typ) => {
    const result = await allow(bearer(await signAccessToken(ours, { header: { typ } })));
    expect(result.principalId).toBe(CLIENT_ID);
  });

  it('accepts an aud array that includes this API', async () => {
    const token = await signAccessToken(ours, { claims: { aud: ['urn:other', AUDIENCE] } });
    expect((await allow(bearer(token))).principalId).toBe(CLIENT_ID);
  });

  it('accepts a token expired by less than the clock skew', async () => {
    const token = await signAccessToken(ours, { claims: { exp: NOW - SKEW + 1 } });
    expect((await allow(bearer(token))).principalId).toBe(CLIENT_ID);
  });

  it('accepts nbf in the future by less than the clock skew', async () => {
    const token = await signAccessToken(ours, { claims: { nbf: NOW + SKEW - 1 } });
    expect((await allow(bearer(token))).principalId).toBe(CLIENT_ID);
  });

  it('ignores jku, x5u, jwk and x5c on a token our key signed (RFC 8725 §3.10: never fetched, never used)', async () => {
    const token = await signAccessToken(ours, {
      header: {
        jku: 'https://attacker.example/jwks.json',
        x5u: 'https://attacker.example/cert.pem',
        jwk: attacker.verificationKey.jwk,
        x5c: ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'],
      },
    });
    expect((await allow(bearer(token))).principalId).toBe(CLIENT_ID);
  });

  it('derives the issuer from the method ARN when none is configured', async () => {
    const token = await signAccessToken(ours);
    expect((await allow(bearer(token), verifierFor(undefined))).principalId).toBe(CLIENT_ID);
  });

  it('accepts a configured issuer written with a trailing slash', async () => {
    const token = await signAccessToken(ours);
    expect((await allow(bearer(token), verifierFor(`${ISSUER}/`))).principalId).toBe(CLIENT_ID);
  });
});

describe('TOKEN authorizer: refused requests (all end in Error("Unauthorized") → 401)', () => {
  describe('Authorization header (RFC 6750 §2.1)', () => {
    it.each([
      ['no header', undefined, 'MissingToken'],
      ['an empty header', '', 'MissingToken'],
      ['another scheme', 'Basic dXNlcjpwYXNz', 'MalformedAuthorization'],
      ['the scheme alone', 'Bearer', 'MalformedAuthorization'],
      ['the scheme and a space', 'Bearer ', 'MalformedAuthorization'],
      ['no space after the scheme', 'Bearerabc.def.ghi', 'MalformedAuthorization'],
      ['two spaces', 'Bearer  abc.def.ghi', 'MalformedAuthorization'],
      ['a leading space', ' Bearer abc.def.ghi', 'MalformedAuthorization'],
      ['a trailing space', 'Bearer abc.def.ghi ', 'MalformedAuthorization'],
      ['a tab', 'Bearer\tabc.def.ghi', 'MalformedAuthorization'],
      ['characters outside b64token', 'Bearer abc.d"ef.ghi', 'MalformedAuthorization'],
      ['"=" inside the token', 'Bearer ab=c.def.ghi', 'MalformedAuthorization'],
      ['a comma-joined second credential', 'Bearer abc.def.ghi,Bearer abc.def.ghi', 'MalformedAuthorization'],
    ])('refuses %s', async (_label, header, reason) => {
      expect((await refusal(header)).reason).toBe(reason);
    });

    it('refuses two tokens', async () => {
      const token = await signAccessToken(ours);
      expect((await refusal(`Bearer ${token} ${token}`)).reason).toBe('MalformedAuthorization');
    });

    it('refuses a well-signed token longer than the cap before parsing it', async () => {
      const token = await signAccessToken(ours, { claims: { padding: 'x'.repeat(MAX_TOKEN_LENGTH) } });
      expect(token.length).toBeGreaterThan(MAX_TOKEN_LENGTH);
      expect((await refusal(bearer(token))).reason).toBe('TokenTooLarge');
    });
  });

  describe('token structure and algorithm', () => {
    it.each([
      ['one segment', 'abcdef'],
      ['two segments', 'abc.def'],
      ['four segments', 'a.b.c.d'],
      ['five segments (a JWE)', 'a.b.c.d.e'],
      ['non-JSON header', `${b64url('nope')}.${b64url('{}')}.c2ln`],
    ])('refuses %s', async (_label, token) => {
      expect((await refusal(bearer(token))).reason).toBe('MalformedToken');
    });

    it('refuses alg "none"', async () => {
      const token = signByHand({ alg: 'none', typ: 'at+jwt', kid: ours.kid }, accessTokenClaims(), unsigned);
      expect((await refusal(bearer(token))).reason).toBe('DisallowedAlgorithm');
    });

    it('refuses HS256 keyed with our public key (RFC 8725 §2.1 algorithm confusion)', async () => {
      const pem = ours.verificationKey.publicKey.export({ format: 'pem', type: 'spki' });
      const token = signByHand({ alg: 'HS256', typ: 'at+jwt', kid: ours.kid }, accessTokenClaims(), hs256(pem));
      expect((await refusal(bearer(token))).reason).toBe('DisallowedAlgorithm');
    });

    it.each(['RS384', 'RS512', 'PS256'])('refuses %s even when our key signed it', async (alg) => {
      const token = await signAccessToken(ours, { header: { alg } });
      expect((await refusal(bearer(token))).reason).toBe('DisallowedAlgorithm');
    });

    it('refuses a critical header parameter it does not understand (RFC 7515 §4.1.11)', async () => {
      const token = signByHand({ alg: 'RS256', typ: 'at+jwt', kid: ours.kid, crit: ['exp'], exp: 1 }, accessTokenClaims(), rs256(ours.privateKey));
      expect((await refusal(bearer(token))).reason).toBe('MalformedToken');
    });

    it('refuses a signed payload that is not a JSON object', async () => {
      const token = signByHand({ alg: 'RS256', typ: 'at+jwt', kid: ours.kid }, '["not","claims"]', rs256(ours.privateKey));
      expect((await refusal(bearer(token))).reason).toBe('MalformedToken');
    });
  });

  describe('keys and signatures', () => {
    it('refuses a kid that names no configured key', async () => {
      const { reason, fields } = await refusal(bearer(await signAccessToken(attacker)));
      expect(reason).toBe('UnknownKid');
      expect(fields.kid).toBe(attacker.kid);
    });

    it('refuses a token without kid', async () => {
      expect((await refusal(bearer(await signAccessToken(ours, { header: { kid: undefined } })))).reason).toBe('UnknownKid');
    });

    it('refuses a token another key signed under our kid', async () => {
      const token = signByHand({ alg: 'RS256', typ: 'at+jwt', kid: ours.kid }, accessTokenClaims(), rs256(attacker.privateKey));
      expect((await refusal(bearer(token))).reason).toBe('InvalidSignature');
    });

    it('refuses a token carrying the attacker key in its jwk header (RFC 8725 §3.10)', async () => {
      const header = { alg: 'RS256', typ: 'at+jwt', jwk: attacker.verificationKey.jwk };
      const withTheirKid = signByHand({ ...header, kid: attacker.kid }, accessTokenClaims(), rs256(attacker.privateKey));
      const withOurKid = signByHand({ ...header, kid: ours.kid }, accessTokenClaims(), rs256(attacker.privateKey));
      expect((await refusal(bearer(withTheirKid))).reason).toBe('UnknownKid');
      expect((await refusal(bearer(withOurKid))).reason).toBe('InvalidSignature');
    });

    it('refuses a token pointing at the attacker key through jku and x5u', async () => {
      const token = signByHand(
        { alg: 'RS256', typ: 'at+jwt', kid: ours.kid, jku: 'https://attacker.example/jwks', x5u: 'https://attacker.example/c' },
        accessTokenClaims(),
        rs256(attacker.privateKey),
      );
      expect((await refusal(bearer(token))).reason).toBe('InvalidSignature');
    });

    it('refuses a tampered payload', async () => {
      const [header, , signature] = (await signAccessToken(ours)).split('.');
      const widened = b64url(JSON.stringify({ ...accessTokenClaims(), scope: 'products:read products:write products:delete' }));
      expect((await refusal(bearer(`${header}.${widened}.${signature}`))).reason).toBe('InvalidSignature');
    });

    it('refuses a tampered signature', async () => {
      const [header, payload, signature = ''] = (await signAccessToken(ours)).split('.');
      // Flip a character in the middle: the last one may only carry padding bits.
      const middle = signature.length >> 1;
      const flipped = signature.slice(0, middle) + (signature[middle] === 'A' ? 'B' : 'A') + signature.slice(middle + 1);
      expect((await refusal(bearer(`${header}.${payload}.${flipped}`))).reason).toBe('InvalidSignature');
    });

    it('refuses a token with its signature removed', async () => {
      const [header, payload] = (await signAccessToken(ours)).split('.');
      expect((await refusal(bearer(`${header}.${payload}.`))).reason).toBe('InvalidSignature');
    });
  });

  describe('type, issuer, audience and time (RFC 9068 §4)', () => {
    it.each([
      ['JWT', { typ: 'JWT' }],
      ['application/jwt', { typ: 'application/jwt' }],
      ['missing', { typ: undefined }],
    ])('refuses typ %s', async (_label, header) => {
      expect((await refusal(bearer(await signAccessToken(ours, { header })))).reason).toBe('WrongTokenType');
    });

    it('refuses another issuer', async () => {
      const token = await signAccessToken(ours, { claims: { iss: 'https://evil.example' } });
      const { reason, fields } = await refusal(bearer(token));
      expect(reason).toBe('WrongIssuer');
      // The signature verified, so the log may name the token by jti and client id.
      expect(fields).toMatchObject({ kid: ours.kid, jti: accessTokenClaims().jti, clientId: CLIENT_ID });
    });

    it('refuses the issuer of another stage when the issuer is derived from the method ARN', async () => {
      const token = await signAccessToken(ours, { claims: { iss: 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/prod' } });
      expect((await refusal(bearer(token), verifierFor(undefined))).reason).toBe('WrongIssuer');
    });

    it('refuses another audience', async () => {
      const token = await signAccessToken(ours, { claims: { aud: 'urn:oauth-cc:billing' } });
      expect((await refusal(bearer(token))).reason).toBe('WrongAudience');
    });

    it('refuses an aud array without this API', async () => {
      const token = await signAccessToken(ours, { claims: { aud: ['urn:a', 'urn:b'] } });
      expect((await refusal(bearer(token))).reason).toBe('WrongAudience');
    });

    it('refuses a token expired by more than the clock skew', async () => {
      const token = await signAccessToken(ours, { claims: { exp: NOW - SKEW - 1 } });
      expect((await refusal(bearer(token))).reason).toBe('TokenExpired');
    });

    it('refuses a token whose exp is exactly now minus the skew (exp is exclusive, RFC 7519 §4.1.4)', async () => {
      const token = await signAccessToken(ours, { claims: { exp: NOW - SKEW } });
      expect((await refusal(bearer(token))).reason).toBe('TokenExpired');
    });

    it('refuses nbf further in the future than the clock skew', async () => {
      const token = await signAccessToken(ours, { claims: { nbf: NOW + SKEW + 1 } });
      expect((await refusal(bearer(token))).reason).toBe('TokenNotYetValid');
    });
  });

  describe('required claims (RFC 9068 §2.2)', () => {
    it.each(['iss', 'sub', 'client_id', 'aud', 'scope', 'iat', 'exp', 'jti'])('refuses a token without %s', async (claim) => {
      const token = await signAccessToken(ours, { claims: { [claim]: undefined } });
      expect((await refusal(bearer(token))).reason).toBe('InvalidClaim');
    });

    it.each([
      ['scope as an array', { scope: ['products:read'] }],
      ['scope with a double space', { scope: 'products:read  products:write' }],
      ['sub as a number', { sub: 42 }],
      ['an empty client_id', { client_id: '' }],
      ['jti as an object', { jti: { id: 1 } }],
      ['exp as a string', { exp: String(NOW + 60) }],
      ['iat as a string', { iat: String(NOW) }],
      ['nbf as a string', { nbf: String(NOW) }],
    ])('refuses %s', async (_label, claims) => {
      expect((await refusal(bearer(await signAccessToken(ours, { claims })))).reason).toBe('InvalidClaim');
    });
  });
});

beforeEach(() => {
  revocations = memoryRevocations();
});

describe('TOKEN authorizer: revoked tokens and clients', () => {
  it('refuses a revoked token with 401 (RFC 6750 §3.1 invalid_token), logging its jti and client', async () => {
    const token = await signAccessToken(ours);
    revocations.revoked.add(accessTokenClaims().jti as string);
    const { reason, fields } = await refusal(bearer(token));
    expect(reason).toBe('TokenRevoked');
    expect(fields).toMatchObject({ jti: accessTokenClaims().jti, clientId: CLIENT_ID });
  });

  it('refuses a token issued at or before its client\u2019s cut-off, and allows one issued after it', async () => {
    revocations.cutoffs.set(CLIENT_ID, NOW - 60);
    const before = await signAccessToken(ours, { claims: { iat: NOW - 60 } });
    expect((await refusal(bearer(before))).reason).toBe('TokenRevoked');
    const after = await signAccessToken(ours, { claims: { iat: NOW - 59 } });
    expect((await allow(bearer(after))).principalId).toBe(CLIENT_ID);
  });

  it('warm, asks the revocation store only about tokens that verified', async () => {
    const { authorize } = authorizerWith(verifierFor());
    await authorize(event(bearer(await signAccessToken(ours))));
    expect(revocations.asked).toMatchObject([{ jti: accessTokenClaims().jti, clientId: CLIENT_ID, issuedAt: NOW }]);
    await expect(authorize(event(bearer(await signAccessToken(attacker, { header: { kid: ours.kid } }))))).rejects.toThrow(/^Unauthorized$/);
    expect(revocations.asked).toHaveLength(1);
  });

  describe('on a cold start (keys still loading)', () => {
    /** An authorizer whose keys arrive only when `keysArrive` is called, recording what happened in which order. */
    function coldAuthorizer() {
      const order: string[] = [];
      let keysArrive: () => void = () => undefined;
      const keys = new Promise<void>((resolve) => (keysArrive = resolve));
      const asking: typeof revocations = Object.assign(Object.create(revocations) as typeof revocations, {
        isRevoked: (token: Parameters<typeof revocations.isRevoked>[0]) => {
          order.push(`read ${token.jti}`);
          return revocations.isRevoked(token);
        },
      });
      const log = recordingLogger();
      const authorize = makeTokenAuthorizer({
        loadVerifier: async () => {
          await keys;
          order.push('keys');
          return verifierFor();
        },
        policyFor,
        revocations: asking,
        logger: log.logger,
      });
      return { authorize, order, keysArrive: () => keysArrive(), log };
    }

    it('reads the revocation records while the keys load, once, and uses that answer', async () => {
      const cold = coldAuthorizer();
      const decision = cold.authorize(event(bearer(await signAccessToken(ours))));
      await new Promise((resolve) => setImmediate(resolve));
      expect(cold.order).toEqual([`read ${accessTokenClaims().jti}`]);
      cold.keysArrive();
      expect((await decision).principalId).toBe(CLIENT_ID);
      expect(cold.order).toEqual([`read ${accessTokenClaims().jti}`, 'keys']);
      expect(revocations.asked).toHaveLength(1);
    });

    it('refuses a revoked token from that early answer', async () => {
      revocations.revoked.add(String(accessTokenClaims().jti));
      const cold = coldAuthorizer();
      const decision = cold.authorize(event(bearer(await signAccessToken(ours))));
      cold.keysArrive();
      await expect(decision).rejects.toThrow(/^Unauthorized$/);
      expect(cold.log.entries[0]?.fields[0]).toMatchObject({ reason: 'TokenRevoked' });
    });

    const failingReads: [string, typeof revocations.isRevoked][] = [
      ['rejects', async () => Promise.reject(new Error('the early read failed'))],
      ['throws before it starts (its table unconfigured)', () => {
        throw new Error('REVOCATIONS_TABLE is not set');
      }],
    ];
    it.each(failingReads)('refuses a forged token as unauthorized when the early read %s: it decides nothing before verification', async (_how, failing) => {
      revocations.isRevoked = failing;
      const cold = coldAuthorizer();
      const decision = cold.authorize(event(bearer(await signAccessToken(attacker, { header: { kid: ours.kid } }))));
      cold.keysArrive();
      await expect(decision).rejects.toThrow(/^Unauthorized$/);
      expect(cold.log.entries[0]?.fields[0]).toMatchObject({ reason: 'InvalidSignature' });
    });
  });

  it('cannot decide (503, never an Allow) when the revocation store does not answer', async () => {
    revocations.isRevoked = async () => {
      throw Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' });
    };
    const { reason, level } = await refusal(bearer(await signAccessToken(ours)), verifierFor(), METHOD_ARN, CANNOT_DECIDE);
    expect(reason).toBe('ProvisionedThroughputExceededException');
    expect(level).toBe('error');
  });
});

describe('TOKEN authorizer: failing closed when it cannot decide (never 401, never an Allow)', () => {
  it('refuses with the cannot-decide error, and logs an error, when the method ARN cannot be understood', async () => {
    const token = await signAccessToken(ours);
    const { reason, level } = await refusal(bearer(token), verifierFor(), 'not-an-arn', CANNOT_DECIDE);
    expect(reason).toBe('AuthorizerUnavailable');
    expect(level).toBe('error');
  });

  it('refuses with the cannot-decide error when no issuer is configured and none can be derived', async () => {
    const token = await signAccessToken(ours);
    const arn = 'arn:aws:lambda:eu-west-1:111122223333:abc/v1/GET/x';
    expect((await refusal(bearer(token), verifierFor(undefined), arn, CANNOT_DECIDE)).reason).toBe('AuthorizerUnavailable');
  });

  it('still calls a header outside the Bearer grammar malformed (401) when it could not have decided anyway', async () => {
    // The grammar is checked only when a token fails (bearer-header.ts), so this is the order it must keep.
    expect((await refusal('Bearer abc.d"ef.ghi', verifierFor(), 'not-an-arn')).reason).toBe('MalformedAuthorization');
    const log = recordingLogger();
    const keysDown = makeTokenAuthorizer({ loadVerifier: () => Promise.reject(new Error('KMS down')), policyFor, revocations, logger: log.logger });
    await expect(keysDown(event('Bearer ab=c.def.ghi'))).rejects.toThrow(/^Unauthorized$/);
    expect(log.entries).toMatchObject([{ level: 'info', fields: [{ reason: 'MalformedAuthorization' }] }]);
  });

  it('refuses with the cannot-decide error when building the policy fails', async () => {
    const log = recordingLogger();
    const failingPolicy = () => {
      throw new TypeError('boom');
    };
    const authorize = makeTokenAuthorizer({ loadVerifier: async () => verifierFor(), policyFor: failingPolicy, revocations, logger: log.logger });
    await expect(authorize(event(bearer(await signAccessToken(ours))))).rejects.toThrow(new RegExp(`^${CANNOT_DECIDE}$`));
    expect(log.entries).toMatchObject([{ level: 'error', fields: [{ reason: 'TypeError' }] }]);
  });

  it('refuses with the cannot-decide error while the keys cannot be fetched, and allows once they can (the failure is not cached)', async () => {
    let calls = 0;
    const flakyKms: PublicKeySource = {
      async getPublicKey() {
        calls++;
        if (calls === 1) throw Object.assign(new Error('Service unavailable'), { name: 'KMSInternalException' });
        return ours.spki;
      },
    };
    const loadVerifier = onceSucceeded(async () =>
      makeAccessTokenVerifier({
        keys: await loadVerificationKeys(flakyKms, [ours.keyId]),
        issuer: ISSUER,
        audience: AUDIENCE,
        clockSkewSeconds: SKEW,
        clock: pinnedClock,
      }),
    );
    const log = recordingLogger();
    const authorize = makeTokenAuthorizer({ loadVerifier, policyFor, revocations, logger: log.logger });
    const token = await signAccessToken(ours);

    await expect(authorize(event(bearer(token)))).rejects.toThrow(new RegExp(`^${CANNOT_DECIDE}$`));
    expect(log.entries).toMatchObject([{ level: 'error', fields: [{ reason: 'KMSInternalException' }] }]);

    expect((await authorize(event(bearer(token)))).principalId).toBe(CLIENT_ID);
    expect((await authorize(event(bearer(token)))).principalId).toBe(CLIENT_ID);
    expect(calls).toBe(2);
    expect(log.text()).not.toContain(token.split('.')[2]);
  });

  it('refuses to build a verifier without keys', () => {
    expect(() =>
      makeAccessTokenVerifier({ keys: [], issuer: ISSUER, audience: AUDIENCE, clockSkewSeconds: SKEW }),
    ).toThrow('No verification keys configured');
  });
});
