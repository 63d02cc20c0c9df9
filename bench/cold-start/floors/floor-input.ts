// What the floors read from their event and environment, with nothing but Node: the same inputs the
// functions read, without their parsing, validation or error handling (that is what a floor leaves out).

export interface FloorProxyEvent {
  headers: Record<string, string | undefined> | null;
  body: string | null;
  isBase64Encoded?: boolean;
}

export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`floor: ${name} is not set`);
  return value;
}

export const keyIds = () => env('VERIFY_KEY_IDS').split(',');

/** The client id of `Authorization: Basic …` (RFC 6749 §2.3.1: form-urlencoded before base64). */
export function basicClientId(event: FloorProxyEvent): string {
  const header = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization')?.[1] ?? '';
  const decoded = Buffer.from(header.replace(/^Basic /, ''), 'base64').toString();
  return decodeURIComponent(decoded.slice(0, decoded.indexOf(':')).replaceAll('+', ' '));
}

/** The `token` form parameter (RFC 7009 §2.1, RFC 7662 §2.1). */
export function formToken(event: FloorProxyEvent): string {
  const body = event.isBase64Encoded === true ? Buffer.from(event.body ?? '', 'base64').toString() : (event.body ?? '');
  return new URLSearchParams(body).get('token') ?? '';
}

interface TokenClaims {
  jti: string;
  client_id: string;
  iat: number;
  exp: number;
}

/** The claims the remote calls need, read without verifying (the floor makes the calls, not the checks). */
export function unverifiedClaims(jwt: string): TokenClaims {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as TokenClaims;
}

/** Every floor answers like a proxy integration that succeeded, once its calls have returned what they should. */
export function answered(...results: unknown[]): { statusCode: 200; body: string } {
  if (results.some((result) => result === undefined)) throw new Error('floor: a remote call returned nothing');
  return { statusCode: 200, body: '' };
}
