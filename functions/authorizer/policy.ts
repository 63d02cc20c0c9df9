import type { APIGatewayAuthorizerResult, PolicyDocument } from 'aws-lambda';
import type { VerifiedAccessToken } from '#shared/access-token/access-token-claims.js';
import { CLIENT_CLAIM_CONTEXT_PREFIX } from '#shared/clients/client-claims.js';
import { secondsText } from '#shared/tokens/numeric-date.js';
import { AuthorizerUnavailable } from '#shared/access-token/token-errors.js';

/**
 * The context API Gateway hands to the integration as event.requestContext.authorizer (and to gateway
 * response templates as $context.authorizer.<key>). Only flat strings: API Gateway accepts nothing else
 * there, and backends read exactly these names. Times are whole seconds written as decimal digits
 * (shared/tokens/numeric-date.ts), the one representation every layer compares.
 */
export interface AuthorizerContext {
  clientId: string;
  scope: string;
  jti: string;
  exp: string;
  /** The client's fixed claims, each as `claim_<name>`: the prefix keeps them off the keys above. */
  [clientClaim: `${typeof CLIENT_CLAIM_CONTEXT_PREFIX}${string}`]: string;
}

/**
 * API Gateway documents an 8 KB limit on a Lambda authorizer's result for WebSocket APIs ("Quotas for
 * WebSocket APIs"); for REST APIs the documented bound is Lambda's response payload size. Staying under
 * the stricter figure keeps the answer valid on both and far from any cache-entry limit.
 */
export const MAX_AUTHORIZER_RESULT_BYTES = 8192;

export type AuthorizerAnswer = APIGatewayAuthorizerResult & { context: AuthorizerContext };

// A policy is built once per scope set (route-policy.ts), so its serialised size is measured once too.
const policyBytes = new WeakMap<PolicyDocument, number>();

export function authorizerAnswer(policyDocument: PolicyDocument, token: VerifiedAccessToken): AuthorizerAnswer {
  const fixed = { clientId: token.clientId, scope: token.scope, jti: token.jti, exp: secondsText(token.expiresAt) };
  const context: AuthorizerAnswer['context'] = token.clientClaims === undefined ? fixed : { ...clientClaimContext(token.clientClaims), ...fixed };
  let policySize = policyBytes.get(policyDocument);
  if (policySize === undefined) policyBytes.set(policyDocument, (policySize = Buffer.byteLength(JSON.stringify(policyDocument))));
  // The answer is {"principalId":…,"policyDocument":…,"context":…}: the parts plus their keys and punctuation.
  const answer = { principalId: token.clientId, policyDocument, context };
  if (answerBytesAtMost(answer, policySize) <= MAX_AUTHORIZER_RESULT_BYTES) return answer;
  const size = authorizerAnswerBytes(answer, policySize);
  if (size > MAX_AUTHORIZER_RESULT_BYTES) throw new AuthorizerUnavailable(`The authorizer result would be ${size} bytes`);
  return answer;
}

/**
 * A bound on authorizerAnswerBytes from lengths alone: JSON writes a UTF-16 code unit as at most 6 bytes
 * (`\u001f`; UTF-8 needs at most 3), so a string costs at most 6 per unit plus its quotes. Usual answers
 * are far under the limit by this bound and are not measured exactly.
 */
export function answerBytesAtMost(answer: AuthorizerAnswer, policySize: number): number {
  let units = answer.principalId.length;
  let entries = 0;
  for (const key in answer.context) {
    units += key.length + (answer.context[key as keyof AuthorizerContext] as string).length;
    entries++;
  }
  // Per entry: two quoted strings, a colon and a comma; plus the principal's quotes and the context's braces.
  return policySize + ANSWER_OVERHEAD_BYTES + MAX_JSON_BYTES_PER_UNIT * units + 6 * entries + 4;
}

const MAX_JSON_BYTES_PER_UNIT = 6;

/** UTF-8 bytes of JSON.stringify(answer), the policy's part measured once per policy. */
export function authorizerAnswerBytes(answer: AuthorizerAnswer, policySize = Buffer.byteLength(JSON.stringify(answer.policyDocument))): number {
  return policySize + jsonBytes(answer.principalId) + contextBytes(answer.context) + ANSWER_OVERHEAD_BYTES;
}

function clientClaimContext(claims: Readonly<Record<string, string>>): Record<string, string> {
  const context: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) context[`${CLIENT_CLAIM_CONTEXT_PREFIX}${name}`] = value;
  return context;
}

const ANSWER_OVERHEAD_BYTES = '{"principalId":,"policyDocument":,"context":}'.length;

// Printable ASCII without `"` or `\`: JSON writes it as is, between two quotes.
const PLAIN_JSON_TEXT = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

/** UTF-8 bytes of JSON.stringify(text), without building it for the usual plain strings. */
function jsonBytes(text: string): number {
  return PLAIN_JSON_TEXT.test(text) ? text.length + 2 : Buffer.byteLength(JSON.stringify(text));
}

/** UTF-8 bytes of JSON.stringify(context): `{"k":"v",…}`. */
function contextBytes(context: Readonly<Record<string, string | number | boolean | null | undefined>>): number {
  let bytes = 2;
  let first = true;
  for (const [key, value] of Object.entries(context)) {
    if (value === undefined) continue; // JSON.stringify leaves the key out
    bytes += (first ? 0 : 1) + jsonBytes(key) + 1 + (typeof value === 'string' ? jsonBytes(value) : Buffer.byteLength(JSON.stringify(value)));
    first = false;
  }
  return bytes;
}
