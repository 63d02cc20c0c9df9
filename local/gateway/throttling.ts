// Method throttling of a REST API stage, from the template's MethodSettings (ThrottlingRateLimit,
// ThrottlingBurstLimit), so a route's limits can be seen and tested locally.
//
// API Gateway throttles with the token bucket algorithm, a token per request: the burst limit is the
// bucket's size and the rate limit the tokens added per second; a request finding the bucket empty is
// answered 429 Too Many Requests (the THROTTLED gateway response). Stage and method limits apply to each
// method separately; a more specific MethodSettings entry (`/oauth2/token` POST) overrides the stage-wide
// `/*` `*` one. A method whose settings give only one of the two limits takes the other from the account
// level (10,000 requests per second, burst 5,000).
//   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
// The account-level limit shared by every API of an account and Region is not emulated.
import type { MethodSettingDescription } from '../template/index.js';

/** Account-level defaults per Region (API Gateway quotas). */
const ACCOUNT_RATE_LIMIT = 10_000;
const ACCOUNT_BURST_LIMIT = 5_000;

export interface ThrottleLimits {
  /** Tokens added per second. */
  rateLimit: number;
  /** Size of the bucket: the requests allowed at once after a quiet period. */
  burstLimit: number;
}

/** A token bucket that starts full; `now` is in milliseconds. */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  constructor(
    readonly limits: ThrottleLimits,
    private readonly now: () => number,
  ) {
    this.#tokens = limits.burstLimit;
    this.#updatedAt = now();
  }

  /** Takes a token for one request; false when none is left (the request is throttled). */
  take(): boolean {
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - this.#updatedAt) / 1000;
    this.#tokens = Math.min(this.limits.burstLimit, this.#tokens + elapsedSeconds * this.limits.rateLimit);
    this.#updatedAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** The buckets of one deployment of a stage, one per method that has limits. */
export class MethodThrottles {
  readonly #buckets = new Map<string, TokenBucket | null>();

  constructor(
    private readonly settings: readonly MethodSettingDescription[],
    private readonly now: () => number = Date.now,
  ) {}

  /** `resourcePath` is the template path (`/items/{id}`), `method` the request's. False: answer 429. */
  admit(resourcePath: string, method: string): boolean {
    const key = `${method} ${resourcePath}`;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      const limits = limitsFor(this.settings, resourcePath, method);
      bucket = limits ? new TokenBucket(limits, this.now) : null;
      this.#buckets.set(key, bucket);
    }
    return bucket === null || bucket.take();
  }
}

/** The limits that apply to a method, or undefined when no MethodSettings entry throttles it. */
export function limitsFor(settings: readonly MethodSettingDescription[], resourcePath: string, method: string): ThrottleLimits | undefined {
  let rateLimit: number | undefined;
  let burstLimit: number | undefined;
  // Stage-wide entries first, so a method's own entry overrides them limit by limit.
  for (const setting of [...settings].sort((a, b) => specificity(a) - specificity(b))) {
    if (!appliesTo(setting, resourcePath, method)) continue;
    rateLimit = numberOr(setting.settings.ThrottlingRateLimit, rateLimit);
    burstLimit = numberOr(setting.settings.ThrottlingBurstLimit, burstLimit);
  }
  if (rateLimit === undefined && burstLimit === undefined) return undefined;
  return { rateLimit: rateLimit ?? ACCOUNT_RATE_LIMIT, burstLimit: burstLimit ?? ACCOUNT_BURST_LIMIT };
}

function appliesTo(setting: MethodSettingDescription, resourcePath: string, method: string): boolean {
  const pathMatches = setting.resourcePath === '/*' || settingPath(setting.resourcePath) === resourcePath;
  const methodMatches = setting.httpMethod === '*' || setting.httpMethod.toUpperCase() === method.toUpperCase();
  return pathMatches && methodMatches;
}

// MethodSettings name a resource path as `/` followed by the path with its slashes escaped as `~1`
// (`/~1oauth2~1token` is /oauth2/token), or `/*` for every resource.
function settingPath(path: string): string {
  const unescaped = path.replace(/^\//, '').replaceAll('~1', '/');
  return unescaped.startsWith('/') ? unescaped : `/${unescaped}`;
}

function specificity(setting: MethodSettingDescription): number {
  return (setting.resourcePath === '/*' ? 0 : 2) + (setting.httpMethod === '*' ? 0 : 1);
}

function numberOr(value: unknown, fallback: number | undefined): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : fallback;
}
