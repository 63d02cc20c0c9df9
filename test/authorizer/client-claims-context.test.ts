import { describe, expect, it } from 'vitest';
import { accessTokenClaimsCheck } from '#shared/access-token/access-token-claims.js';
import { MAX_CLIENT_CLAIMS, MAX_CLIENT_CLAIMS_BYTES } from '#shared/clients/client-claims.js';
import { authorizerAnswer, MAX_AUTHORIZER_RESULT_BYTES } from '../../functions/authorizer/policy.js';

/** A client's fixed claims reach the backend as flat `claim_<name>` strings, never over the server's keys. */
const ISSUER = 'https://as.example.com/v1';
const AUDIENCE = 'urn:oauth-cc:products';
const check = accessTokenClaimsCheck({ audience: AUDIENCE, clockSkewSeconds: 0 });
const now = 2_000_000_000;
const standard = { iss: ISSUER, sub: 'svc', client_id: 'svc', aud: AUDIENCE, scope: 'products:read', iat: now, exp: now + 300, jti: 'jti-1' };
const policy = { Version: '2012-10-17', Statement: [] };

describe('client claims in the authorizer context', () => {
  it('passes each client claim as claim_<name> beside the keys the server sets', () => {
    const verified = check({ ...standard, tenant: 'acme', env: 'prod' }, ISSUER, now);
    expect(authorizerAnswer(policy, verified).context).toEqual({
      clientId: 'svc',
      scope: 'products:read',
      jti: 'jti-1',
      exp: String(now + 300),
      claim_tenant: 'acme',
      claim_env: 'prod',
    });
  });

  it('passes on no claim that is not a client claim: non-strings, reserved names, names API Gateway refuses', () => {
    const verified = check(
      { ...standard, clientId: 'forged', ClientID: 'forged', nested: { a: 1 }, count: 3, 'x-dash': 'no', nbf: now - 1 },
      ISSUER,
      now,
    );
    expect(authorizerAnswer(policy, verified).context).toEqual({ clientId: 'svc', scope: 'products:read', jti: 'jti-1', exp: String(now + 300) });
  });

  it('stays under the result bound with the most claims registration allows', () => {
    const perClaim = Math.floor(MAX_CLIENT_CLAIMS_BYTES / MAX_CLIENT_CLAIMS);
    const claims = Object.fromEntries(
      Array.from({ length: MAX_CLIENT_CLAIMS }, (_, i) => {
        const name = `c${String(i).padStart(2, '0')}`;
        return [name, 'v'.repeat(perClaim - name.length)];
      }),
    );
    const answer = authorizerAnswer(policy, check({ ...standard, ...claims }, ISSUER, now));
    expect(Object.keys(answer.context)).toHaveLength(4 + MAX_CLIENT_CLAIMS);
    expect(Buffer.byteLength(JSON.stringify(answer))).toBeLessThan(MAX_AUTHORIZER_RESULT_BYTES);
  });
});
