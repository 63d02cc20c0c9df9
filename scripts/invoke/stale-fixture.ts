// Why a live fixture (events/README.md: one carrying the fixtures client's secret or a token of the stack) can
// be refused for reasons that have nothing to do with the function: `npm run events` gives the fixtures client
// a new secret every run, a new stack has a new signing key, a fixture token lasts an hour. A 401 or
// "Unauthorized" from such a fixture says nothing about the code under test, so invoke says what went stale.
import { FIXTURES_CLIENT } from '../events/fixtures.js';
import type { Invocation } from './invoke-once.js';

export const REFRESH = 'Run npm run events (with the stack running): it writes fresh fixtures to .local/events/, which npm run invoke then uses in place of the committed copies.';

export interface StackKeys {
  /** The kids this stack's JWKS publishes; undefined when it could not be read. */
  kids: readonly string[] | undefined;
  now: Date;
}

/** A hint for stderr when a refusal is explained by a stale fixture; undefined otherwise. */
export function staleFixtureHint(functionId: string, event: unknown, invocation: Invocation, stack: StackKeys): string | undefined {
  if (!isRecord(event)) return undefined;
  if (event.type === 'TOKEN' && typeof event.authorizationToken === 'string') {
    if (invocation.exitCode !== 1 || invocation.error.errorMessage !== 'Unauthorized') return undefined;
    return staleToken(event.authorizationToken, stack);
  }
  if (functionId === 'TokenFunction' || event.resource === '/oauth2/token') {
    if (invocation.exitCode !== 0 || !isRecord(invocation.result) || invocation.result.statusCode !== 401) return undefined;
    return clientIdOf(event) === FIXTURES_CLIENT.clientId
      ? `note: ${FIXTURES_CLIENT.clientId} was refused: its secret in this fixture is not its current one (every npm run events issues a new one, and a new stack has none). ${REFRESH}`
      : undefined;
  }
  return undefined;
}

function staleToken(authorization: string, stack: StackKeys): string | undefined {
  const token = /^Bearer (\S+)$/.exec(authorization)?.[1];
  const [header, payload] = (token ?? '').split('.').map(decodeJson);
  if (!isRecord(header) || !isRecord(payload) || payload.client_id !== FIXTURES_CLIENT.clientId) return undefined;
  if (typeof header.kid === 'string' && stack.kids !== undefined && !stack.kids.includes(header.kid)) {
    return `note: the token in this fixture was signed by a key this stack does not have (kid ${header.kid}): it was made for another or an earlier stack. ${REFRESH}`;
  }
  if (typeof payload.exp === 'number' && payload.exp * 1000 <= stack.now.getTime()) {
    const expired = new Date(payload.exp * 1000).toISOString();
    return `note: the token in this fixture expired at ${expired} (expired-token.json is meant to; the others last an hour). ${REFRESH}`;
  }
  return undefined;
}

function clientIdOf(event: Record<string, unknown>): string | undefined {
  const headers = isRecord(event.headers) ? event.headers : {};
  const authorization = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  if (typeof authorization === 'string' && /^Basic /i.test(authorization)) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon < 0 ? undefined : formDecoded(decoded.slice(0, colon));
  }
  if (typeof event.body !== 'string') return undefined;
  const body = event.isBase64Encoded === true ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return new URLSearchParams(body).get('client_id') ?? undefined;
}

// RFC 6749 §2.3.1: the client id is form-urlencoded before it goes into Basic credentials.
function formDecoded(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
