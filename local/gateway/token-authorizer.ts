// REST API Lambda TOKEN authorizers as API Gateway runs them ("Use API Gateway Lambda authorizers"): no
// token → 401 without calling the function; the function's `Unauthorized` error → 401; any other error, a
// timeout or a malformed answer → the AUTHORIZER_CONFIGURATION_ERROR gateway response (500,
// `x-amzn-ErrorType: AuthorizerConfigurationException`, `{"message": null}`, as reported from AWS in
// serverless/examples#305 and auth0-samples/jwt-rsa-aws-custom-authorizer#6); the returned policy decides
// between the integration and ACCESS_DENIED (403), whose templates can read the policy's context.
// Decisions are cached per token for ReauthorizeEvery seconds, and a cached policy is judged again for
// each method ARN, so a policy naming one route denies the others until the cache entry expires.
import type { LambdaAuthorizerDescription } from '../template/index.js';
import { HandlerError } from '../runtime/errors.js';
import type { InvokeOutcome } from '../runtime/function-runtime.js';
import { evaluatePolicy, readPolicyDocument, type PolicyStatement } from './iam-policy.js';

/** What the integration sees at `event.requestContext.authorizer`. */
export type AuthorizerContext = { principalId: string; integrationLatency: number } & Record<string, string | number>;

export type AuthorizerOutcome =
  | { kind: 'allow'; context: AuthorizerContext }
  | { kind: 'unauthorized' }
  | { kind: 'access-denied'; message: string; context: AuthorizerContext }
  | { kind: 'configuration-error' };

export type Invoke = (functionId: string, event: unknown) => Promise<InvokeOutcome>;

interface Decision {
  principalId: string;
  statements: PolicyStatement[];
  context: Record<string, string>;
}

// Bounds the cache when a benchmark mints tokens by the thousand; expired entries go first.
const MAX_CACHE_ENTRIES = 10_000;

export class TokenAuthorizers {
  readonly #cache = new Map<string, { expiresAt: number; decision: Decision }>();

  constructor(
    private readonly invoke: Invoke,
    private readonly now: () => number = Date.now,
  ) {}

  async authorize(authorizer: LambdaAuthorizerDescription, token: string | undefined, methodArn: string): Promise<AuthorizerOutcome> {
    if (!token) return { kind: 'unauthorized' };
    if (authorizer.validationExpression !== undefined && !new RegExp(`^(?:${authorizer.validationExpression})$`).test(token)) {
      return { kind: 'unauthorized' };
    }
    const key = `${authorizer.name}\u0000${token}`;
    const cached = this.#cache.get(key);
    if (cached && cached.expiresAt > this.now()) return judge(cached.decision, methodArn, 0);

    const started = performance.now();
    let result: unknown;
    try {
      ({ result } = await this.invoke(authorizer.functionLogicalId, { type: 'TOKEN', authorizationToken: token, methodArn }));
    } catch (error) {
      return error instanceof HandlerError && error.message === 'Unauthorized' ? { kind: 'unauthorized' } : { kind: 'configuration-error' };
    }
    const decision = readDecision(result);
    if (!decision) return { kind: 'configuration-error' };
    if (authorizer.reauthorizeEverySeconds > 0) this.#remember(key, decision, authorizer.reauthorizeEverySeconds);
    return judge(decision, methodArn, Math.round(performance.now() - started));
  }

  #remember(key: string, decision: Decision, ttlSeconds: number): void {
    const now = this.now();
    if (this.#cache.size >= MAX_CACHE_ENTRIES) {
      for (const [entryKey, entry] of this.#cache) if (entry.expiresAt <= now) this.#cache.delete(entryKey);
      if (this.#cache.size >= MAX_CACHE_ENTRIES) this.#cache.delete(this.#cache.keys().next().value!);
    }
    this.#cache.set(key, { expiresAt: now + ttlSeconds * 1000, decision });
  }
}

function judge(decision: Decision, methodArn: string, integrationLatency: number): AuthorizerOutcome {
  const context = { ...decision.context, principalId: decision.principalId, integrationLatency };
  switch (evaluatePolicy(decision.statements, methodArn)) {
    case 'allow':
      return { kind: 'allow', context };
    case 'explicit-deny':
      return { kind: 'access-denied', message: 'User is not authorized to access this resource with an explicit deny', context };
    case 'implicit-deny':
      return { kind: 'access-denied', message: 'User is not authorized to access this resource', context };
  }
}

// API Gateway requires principalId and a policy; context values may only be strings, numbers or
// booleans, and reach the integration as strings.
function readDecision(result: unknown): Decision | undefined {
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return undefined;
  const { principalId, policyDocument, context } = result as Record<string, unknown>;
  if (typeof principalId !== 'string') return undefined;
  const statements = readPolicyDocument(policyDocument);
  if (!statements) return undefined;
  const values: Record<string, string> = {};
  if (context !== undefined && context !== null) {
    if (typeof context !== 'object' || Array.isArray(context)) return undefined;
    for (const [name, value] of Object.entries(context)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
      values[name] = String(value);
    }
  }
  return { principalId, statements, context: values };
}
