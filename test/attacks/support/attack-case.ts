import { expect } from 'vitest';
import { GATEWAY_INSUFFICIENT_SCOPE } from '../../support/oauth-responses.js';
import type { AttackFixtures } from './attack-fixtures.js';
import type { RawRequest, RawResponse } from './raw-http.js';

/**
 * What the server must answer to one hostile request. Every kind is a refusal; what differs is which
 * layer answers and in which standard shape:
 * - `oauth`: the token endpoint, RFC 6749 §5.2 `{error, error_description}`, never cached;
 * - `invalid_token`: API Gateway's UNAUTHORIZED response after the authorizer refused, RFC 6750 §3.1;
 * - `insufficient_scope`: API Gateway's ACCESS_DENIED response, the authorizer's policy (from the access
 *   rules) having refused the route before the products API ran, RFC 6750 §3.1;
 * - `api`: the products API refusing the request itself (400, 404, 415) in the same JSON error shape;
 * - `gateway`: API Gateway's own answer before any function runs (unknown method, payload quota).
 */
export type Expectation =
  | { kind: 'oauth'; status: number; error: string; challenge: 'Basic' | 'none' }
  | { kind: 'invalid_token'; status: 401 }
  | { kind: 'insufficient_scope'; status: 403; scope: string }
  | { kind: 'api'; status: number; error: string }
  | { kind: 'gateway'; status: number; message: string; mayCloseEarly?: true };

export const oauthError = (status: number, error: string, challenge: 'Basic' | 'none' = 'none'): Expectation => ({ kind: 'oauth', status, error, challenge });
export const invalidToken: Expectation = { kind: 'invalid_token', status: 401 };
export const insufficientScope = (scope: string): Expectation => ({ kind: 'insufficient_scope', status: 403, scope });
export const apiError = (status: number, error: string): Expectation => ({ kind: 'api', status, error });
export const gatewayAnswer = (status: number, message: string): Expectation => ({ kind: 'gateway', status, message });
/**
 * The gateway's answer to a request it refuses before the body is in (over the payload quota): it writes
 * the answer and closes the connection while the client is still sending, so the client reads either
 * that answer or, when the reset overtakes it, a closed connection. Nothing else is acceptable.
 */
export const gatewayAnswerOrClose = (status: number, message: string): Expectation => ({ kind: 'gateway', status, message, mayCloseEarly: true });

/** One hostile input, named after the attack it stands for. */
export interface AttackCase {
  attack: string;
  request(fixtures: AttackFixtures): RawRequest | Promise<RawRequest>;
  expect: Expectation;
}

/** A request the server must accept: the other side of a refusal, so a catalogue of 401s cannot pass by breaking everything. */
export interface Control {
  name: string;
  request(fixtures: AttackFixtures): RawRequest | Promise<RawRequest>;
  status: number;
  /** Further checks on an accepted response. */
  verify?(response: RawResponse, fixtures: AttackFixtures): void;
}

// RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E.
const DESCRIPTION = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

/**
 * A challenge a function sets, as the client receives it. API Gateway REST APIs pass a Lambda proxy
 * response's WWW-Authenticate on as `x-amzn-Remapped-WWW-Authenticate` (the gateway emulator does the
 * same), so only the gateway's own UNAUTHORIZED/ACCESS_DENIED responses can carry the real header.
 * The function's challenge is asserted under the name clients actually get, and the plain header is
 * asserted absent: should that ever change, these expectations must be revisited (docs/threats.md).
 */
function functionChallenge(response: RawResponse): { remapped: unknown; plain: unknown } {
  return { remapped: response.headers['x-amzn-remapped-www-authenticate'], plain: response.headers['www-authenticate'] };
}

export function expectRefusal(response: RawResponse, expected: Expectation): void {
  if (response.closedEarly && response.status === 0 && expected.kind === 'gateway' && expected.mayCloseEarly) return;
  const context = `${response.status} ${response.text.slice(0, 300)}`;
  expect(response.status, context).toBe(expected.status);
  expect(response.status >= 200 && response.status < 300, 'a hostile request was accepted').toBe(false);
  const body = response.json as Record<string, unknown> | undefined;
  expect(body, `not a JSON body: ${context}`).toBeTypeOf('object');
  expect(body).not.toHaveProperty('access_token');
  const challenge = response.headers['www-authenticate'];
  const fromFunction = functionChallenge(response);

  switch (expected.kind) {
    case 'oauth':
      expect(Object.keys(body ?? {}).sort(), context).toEqual(['error', 'error_description']);
      expect(body?.error, context).toBe(expected.error);
      expect(body?.error_description).toMatch(DESCRIPTION);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.pragma).toBe('no-cache');
      expect(fromFunction).toStrictEqual({
        remapped: expected.challenge === 'Basic' ? 'Basic realm="oauth2/token", charset="UTF-8"' : undefined,
        plain: undefined,
      });
      break;
    case 'invalid_token':
      expect(body).toStrictEqual({ message: 'Unauthorized' });
      expect(challenge).toBe('Bearer error="invalid_token"');
      expect(response.headers['cache-control']).toBe('no-store');
      break;
    case 'insufficient_scope':
      // Refused at the gateway (ACCESS_DENIED) from the access rules: a real challenge, not a remapped one.
      expect(body, context).toMatchObject({ error: 'insufficient_scope', error_description: GATEWAY_INSUFFICIENT_SCOPE.description });
      expect(challenge, context).toBe(GATEWAY_INSUFFICIENT_SCOPE.challenge);
      expect(fromFunction.remapped).toBeUndefined();
      expect(response.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      break;
    case 'api':
      expect(body?.error, context).toBe(expected.error);
      expect(body?.error_description).toBeTypeOf('string');
      expect(response.headers['cache-control']).toBe('no-store');
      break;
    case 'gateway':
      expect(body).toStrictEqual({ message: expected.message });
      break;
  }
}
