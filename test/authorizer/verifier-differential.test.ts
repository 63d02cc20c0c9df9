import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { KeyObject } from 'node:crypto';
import { jwtVerify, type JWTPayload } from 'jose';
import { isValidScope } from '#shared/oauth/scope.js';
import { makeAccessTokenVerifier, type AccessTokenVerifier } from '#shared/access-token/access-token-verifier.js';
import { AUDIENCE, ISSUER, METHOD_ARN, NOW, accessTokenClaims, generateTestKey, rs256, signByHand } from '../support/access-token-fixtures.js';
import { CORPUS_SKEW, hostileTokens, tokensOnlyWeRefuse, validTokens, type CorpusKeys, type CorpusToken } from './token-corpus.js';

/**
 * The authorizer verifies tokens with its own strict code around node:crypto's RS256 check. This holds it
 * to jose.jwtVerify configured the same way (plus the claim types jose leaves to the caller): on every
 * token, both accept or both refuse. Where it is deliberately stricter, the difference is listed below.
 */

const keys: CorpusKeys = { ours: generateTestKey(), rotated: generateTestKey(), attacker: generateTestKey() };
const pinnedClock = () => new Date(NOW * 1000);

const ours: AccessTokenVerifier = makeAccessTokenVerifier({
  keys: [keys.ours.verificationKey, keys.rotated.verificationKey],
  issuer: ISSUER,
  audience: AUDIENCE,
  clockSkewSeconds: CORPUS_SKEW,
  clock: pinnedClock,
});

const trusted = new Map<string, KeyObject>([keys.ours, keys.rotated].map((key) => [key.kid, key.verificationKey.publicKey]));

/** jose with the options the authorizer used before it verified by itself, and the checks it added after. */
async function joseAccepts(token: string): Promise<boolean> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(
      token,
      ({ kid }) => {
        const key = kid === undefined ? undefined : trusted.get(kid);
        if (key === undefined) throw new Error('unknown kid');
        return key;
      },
      {
        algorithms: ['RS256'],
        typ: 'at+jwt',
        issuer: ISSUER,
        audience: AUDIENCE,
        clockTolerance: CORPUS_SKEW,
        currentDate: pinnedClock(),
        requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti', 'scope'],
      },
    ));
  } catch {
    return false;
  }
  const { sub, client_id: clientId, jti, scope, iat, exp } = payload;
  const nonEmpty = (value: unknown) => typeof value === 'string' && value.length > 0;
  return (
    nonEmpty(sub) &&
    nonEmpty(clientId) &&
    nonEmpty(jti) &&
    typeof scope === 'string' &&
    (scope === '' || isValidScope(scope)) &&
    Number.isFinite(iat) &&
    Number.isFinite(exp)
  );
}

const weAccept = (token: string): Promise<boolean> => {
  try {
    ours(token, METHOD_ARN);
    return Promise.resolve(true);
  } catch {
    return Promise.resolve(false);
  }
};

let valid: CorpusToken[];
let hostile: CorpusToken[];
let stricter: CorpusToken[];

beforeAll(async () => {
  [valid, hostile, stricter] = await Promise.all([validTokens(keys), hostileTokens(keys), tokensOnlyWeRefuse(keys)]);
});

describe('our verifier and jose.jwtVerify agree', () => {
  it('on every valid token of the corpus: both accept', async () => {
    for (const { label, token } of valid) {
      expect({ label, ours: await weAccept(token), jose: await joseAccepts(token) }).toEqual({ label, ours: true, jose: true });
    }
  });

  it('on every hostile token of the corpus: both refuse', async () => {
    for (const { label, token } of hostile) {
      expect({ label, ours: await weAccept(token), jose: await joseAccepts(token) }).toEqual({ label, ours: false, jose: false });
    }
  });

  it('on tokens our key signs over arbitrary headers and claims', async () => {
    // Each member is usually valid and sometimes not, so about a third of the tokens are acceptable
    // and most of the others are wrong in exactly one place.
    const member = (valid: unknown[], invalid: unknown[]) =>
      fc.oneof({ arbitrary: fc.constantFrom(...valid), weight: 12 }, { arbitrary: fc.constantFrom(...invalid), weight: 1 });
    const absent = undefined;
    const header = fc.record({
      alg: member(['RS256'], ['RS512', 'none', 'HS256', 'rs256', '', 256, absent]),
      typ: member(['at+jwt', 'application/at+jwt', 'AT+jwt'], ['JWT', 'jwt', 'text/at+jwt', 'at+jwt ', '', 0, null, absent]),
      kid: member([keys.ours.kid], [keys.rotated.kid, keys.attacker.kid, '', 1, null, absent]),
      crit: member([absent], [[], ['exp'], ['b64'], 'b64', null]),
      b64: member([absent, false], ['true', 0]),
    });
    const claims = fc.record({
      iss: member([ISSUER], [`${ISSUER}/`, 'https://evil.example', '', 1, null, absent]),
      aud: member([AUDIENCE, [AUDIENCE], ['urn:x', AUDIENCE]], [['urn:x'], 'urn:x', [], {}, 1, null, absent]),
      sub: member(['c'], ['', 1, [], null, absent]),
      client_id: member(['c'], ['', 1, {}, null, absent]),
      scope: member(['products:read', 'a b', ''], [' a', 'a  b', 'a\tb', ['a'], 1, null, absent]),
      jti: member(['j'], ['', 0, null, absent]),
      iat: member([NOW, NOW + 10_000, -1, 0.5], ['1', null, absent]),
      exp: member([NOW + 60, NOW - CORPUS_SKEW + 1, 1e300], [NOW - CORPUS_SKEW, 1.5, '9', null, absent]),
      nbf: member([absent, NOW, NOW + CORPUS_SKEW], [NOW + CORPUS_SKEW + 1, '1', null]),
    });
    let accepted = 0;
    const signer = fc.oneof({ arbitrary: fc.constant(keys.ours), weight: 12 }, { arbitrary: fc.constant(keys.attacker), weight: 1 });
    await fc.assert(
      fc.asyncProperty(header, claims, signer, async (h, c, key) => {
        // crit ["b64"] with b64 true is one of the listed differences; keep it out of the agreement.
        fc.pre(!(Array.isArray(h.crit) && h.crit.includes('b64') && h.b64 === true));
        const token = signByHand(withoutAbsent(h), withoutAbsent(c), rs256(key.privateKey));
        const verdict = await weAccept(token);
        expect(verdict).toBe(await joseAccepts(token));
        if (verdict) accepted++;
      }),
      { numRuns: 300 },
    );
    // The property means little unless both outcomes occur often.
    expect(accepted).toBeGreaterThan(30);
    expect(accepted).toBeLessThan(270);
  });

  it('on every one-character edit of valid tokens (no whitespace or padding introduced)', async () => {
    const tokens = valid.map(({ token }) => token).filter((token) => token.length < 2000);
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+/~'.split('');
    const edit = fc.record({
      token: fc.constantFrom(...tokens),
      at: fc.nat(),
      kind: fc.constantFrom('replace', 'insert', 'delete'),
      char: fc.constantFrom(...chars),
    });
    await fc.assert(
      fc.asyncProperty(edit, async ({ token, at, kind, char }) => {
        // The last character of a signature carries spare bits that jose ignores: a listed difference.
        const index = at % (token.length - 1);
        const edited =
          kind === 'replace'
            ? token.slice(0, index) + char + token.slice(index + 1)
            : kind === 'insert'
              ? token.slice(0, index) + char + token.slice(index)
              : token.slice(0, index) + token.slice(index + 1);
        fc.pre(edited !== token);
        expect(await weAccept(edited)).toBe(await joseAccepts(edited));
      }),
      { numRuns: 300 },
    );
  });
});

describe('where our verifier is deliberately stricter than jose', () => {
  it('refuses non-canonical base64url, whitespace, crit b64 and a BOM, which jose lets through', async () => {
    expect(stricter.length).toBeGreaterThan(0);
    for (const { label, token } of stricter) {
      // jose accepts each of these (asserted so this list stays true); the authorizer never does.
      expect({ label, ours: await weAccept(token), jose: await joseAccepts(token) }).toEqual({ label, ours: false, jose: true });
    }
  });

  it('would otherwise accept the same claims when they are encoded canonically', async () => {
    const token = signByHand({ alg: 'RS256', typ: 'at+jwt', kid: keys.ours.kid }, accessTokenClaims(), rs256(keys.ours.privateKey));
    expect(await weAccept(token)).toBe(true);
  });
});

function withoutAbsent(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
