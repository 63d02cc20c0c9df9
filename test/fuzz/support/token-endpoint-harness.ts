import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { expect, vi } from 'vitest';
import { isValidScope } from '#shared/oauth/scope.js';
import type { TokenSigner } from '#shared/tokens/token-signer.js';
import { tokenEndpoint } from '../../../functions/token/token-endpoint.js';
import { lambdaContext, REGION } from '../../token/support/proxy-events.js';
import { memoryClientStore, NOW, PRODUCTS, registeredClient, REPORTS } from '../../token/support/registered-clients.js';

/**
 * The token endpoint as deployed (middy, error middleware, security headers) over an in-memory client
 * store and a constant signer: every generated request goes through the real parsing and refusal code,
 * thousands of times a second.
 */
export const ALICE = registeredClient({ clientId: 'alice', allowedScopes: ['products:read', 'products:write'], defaultScopes: ['products:read'] }, 'alice-secret-0123456789-abcdefghij');
/** An id and secret made of the characters Basic credentials and form-encoding give meaning to. */
export const AWKWARD = registeredClient({ clientId: 'my:client id+%/é', allowedScopes: ['products:read'], defaultScopes: ['products:read'] }, 'p+ss %:wörd&=?');
export const REGISTERED = [ALICE, AWKWARD].map(({ client, secret }) => ({ clientId: client.clientId, secret }));
export const ALLOWED_AUDIENCES = [PRODUCTS, REPORTS];

/** RFC 6749 §5.2 errors this endpoint may answer, by status. */
const ERRORS_BY_STATUS: Record<number, readonly string[]> = {
  400: ['invalid_request', 'invalid_scope', 'invalid_target', 'unsupported_grant_type', 'unauthorized_client'],
  401: ['invalid_client'],
};
// RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E.
const DESCRIPTION = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

/** Signing is not under test here (test/token covers it); a constant signature keeps thousands of requests fast. */
const constantSigner: TokenSigner = { kid: async () => 'fuzz-kid', sign: async () => new Uint8Array(256).fill(7) };

export function tokenEndpointHarness(options: { issuer?: string } = {}) {
  const logger = new Logger({ logLevel: 'SILENT' });
  const logged = [vi.spyOn(logger, 'info'), vi.spyOn(logger, 'warn'), vi.spyOn(logger, 'error')];
  const handler = tokenEndpoint({
    config: { clientsTable: 'clients', signingKeyId: 'fuzz-key', maxTokenLifetimeSeconds: 3600, issuer: options.issuer, clientAssertionsTable: undefined, clockSkewSeconds: 30, region: REGION },
    logger,
    clock: () => NOW,
    clients: memoryClientStore(ALICE.client, AWKWARD.client),
    signer: constantSigner,
  });
  return {
    async call(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
      for (const spy of logged) spy.mockClear();
      return handler(event, lambdaContext());
    },
    /** Everything logged during the last call, as one string. */
    lastLog: () => JSON.stringify(logged.map((spy) => spy.mock.calls)),
  };
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The invariants of every answer, whatever was asked: a status from the expected set (never a 5xx), a
 * JSON body of exactly the RFC 6749 §5.1 or §5.2 members, never cacheable.
 */
export function expectWellFormedAnswer(response: APIGatewayProxyResult, allowedStatuses: readonly number[]): TokenAnswer {
  expect(allowedStatuses, response.body).toContain(response.statusCode);
  expect(response.headers).toMatchObject({ 'Content-Type': 'application/json', 'Cache-Control': 'no-store', Pragma: 'no-cache' });
  const body = JSON.parse(response.body) as Record<string, unknown>;
  if (response.statusCode === 200) {
    expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
    expect(body.token_type).toBe('Bearer');
    expect(isValidScope(body.scope as string)).toBe(true);
    expect((body.access_token as string).split('.')).toHaveLength(3);
  } else {
    expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
    expect(ERRORS_BY_STATUS[response.statusCode]).toContain(body.error);
    expect(body.error_description).toMatch(DESCRIPTION);
  }
  return { status: response.statusCode, body };
}
