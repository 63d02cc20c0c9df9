import { expect } from 'vitest';
import { basicAuthorization, testStack } from './stack-clients.js';

export type AuthMethod = 'client_secret_basic' | 'client_secret_post';
export const AUTH_METHODS: readonly AuthMethod[] = ['client_secret_basic', 'client_secret_post'];

const FORM = 'application/x-www-form-urlencoded';

/**
 * A token request with the client authenticated as RFC 6749 §2.3.1 allows: HTTP Basic, or client_id and
 * client_secret in the form body. `params` come after grant_type=client_credentials and may replace it.
 */
export function tokenRequest(
  method: AuthMethod,
  client: { clientId: string; clientSecret: string },
  params: Record<string, string> = {},
): Promise<Response> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', ...params });
  const headers: Record<string, string> = { 'content-type': FORM };
  if (method === 'client_secret_basic') headers.authorization = basicAuthorization(client.clientId, client.clientSecret);
  else {
    form.set('client_id', client.clientId);
    form.set('client_secret', client.clientSecret);
  }
  return fetch(testStack().tokenEndpoint, { method: 'POST', headers, body: form });
}

/** A raw POST to the token endpoint: the body and headers exactly as given. */
export function postToTokenEndpoint(body: string | Uint8Array, headers: Record<string, string> = { 'content-type': FORM }, path = ''): Promise<Response> {
  return fetch(`${testStack().tokenEndpoint}${path}`, { method: 'POST', headers, body });
}

/**
 * The challenge a client receives. API Gateway REST APIs hand a Lambda proxy response's WWW-Authenticate on
 * only as `x-amzn-Remapped-WWW-Authenticate` (the local gateway does exactly the same), while the
 * gateway's own responses (template.yaml GatewayResponses) carry WWW-Authenticate itself: so the
 * function-set challenges are read from the remapped header.
 */
export function challengeOf(response: Response): string | null {
  return response.headers.get('www-authenticate') ?? response.headers.get('x-amzn-remapped-www-authenticate');
}

export const BASIC_CHALLENGE = /^Basic realm="[^"]+", charset="UTF-8"$/;

// RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E.
const DESCRIPTION = /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/;

/** RFC 6749 §5.2: the status, a JSON object of exactly `error` and `error_description`, never cached. */
export async function expectOAuthError(response: Response, status: number, error: string): Promise<{ error: string; error_description: string }> {
  const body = (await response.json()) as Record<string, unknown>;
  expect({ status: response.status, error: body.error }, JSON.stringify(body)).toEqual({ status, error });
  expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
  expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
  expect(body.error_description).toMatch(DESCRIPTION);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('pragma')).toBe('no-cache');
  return body as { error: string; error_description: string };
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

/** RFC 6749 §5.1: 200, the token members and nothing else, `Cache-Control: no-store` and `Pragma: no-cache`. */
export async function expectTokenResponse(response: Response): Promise<TokenResponse> {
  const body = (await response.json()) as TokenResponse;
  expect(response.status, JSON.stringify(body)).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json\b/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('pragma')).toBe('no-cache');
  expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
  expect(body.token_type).toBe('Bearer');
  expect(body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  expect(challengeOf(response)).toBeNull();
  return body;
}

/** template.yaml's ACCESS_DENIED gateway response: what a token lacking a route's scope gets (RFC 6750 §3.1). */
export const GATEWAY_INSUFFICIENT_SCOPE = {
  challenge: 'Bearer error="insufficient_scope", error_description="The access token lacks a scope this route requires"',
  description: 'The access token lacks a scope this route requires',
};
