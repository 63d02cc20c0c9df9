import fc from 'fast-check';
import { ALICE, ALLOWED_AUDIENCES, REGISTERED } from './token-endpoint-harness.js';

const LONE_SURROGATE = /\p{Surrogate}/u;

/** Any string that can travel as UTF-8 (no lone surrogates). */
export const text = (constraints: { minLength?: number; maxLength?: number } = {}) =>
  fc.string({ unit: 'binary', maxLength: 24, ...constraints }).filter((value) => !LONE_SURROGATE.test(value));

/** Every way RFC 6749 §2.3.1 / WHATWG form-encoding lets one character be written. */
const WRITINGS = 3;

/**
 * `value` form-encoded with a per-character choice of writing: raw, %XX or %xx (and '+' or %20 for a
 * space). Characters that mean something in the Basic user-pass or in form decoding ('%', '+', and ':'
 * in the client id) are always escaped, so the result decodes back to exactly `value`.
 */
export function formEncodedVariant(value: string, choices: readonly number[], escapeColon: boolean): string {
  return [...value]
    .map((char, index) => {
      const choice = choices[index % choices.length] ?? 0;
      if (char === ' ') return choice % 2 === 0 ? '+' : '%20';
      const mustEscape = char === '%' || char === '+' || (escapeColon && char === ':');
      if (choice === 0 && !mustEscape) return char;
      const hex = [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
      return choice === 2 ? hex : hex.toUpperCase();
    })
    .join('');
}

export interface BasicCredentials {
  clientId: string;
  secret: string;
  /** True when clientId and secret are a registered client's. */
  registered: boolean;
  header: string;
}

/** A client id and secret (registered, near misses, or random), Basic-encoded any legal way. */
export const basicCredentials: fc.Arbitrary<BasicCredentials> = fc
  .record({
    pair: fc.oneof(
      fc.constantFrom(...REGISTERED),
      fc.record({ clientId: text({ minLength: 1 }), secret: text({ minLength: 1 }).map((secret) => `fz-secret-${secret}`) }),
      fc.record({ clientId: fc.constant(ALICE.client.clientId), secret: fc.constantFrom(`${ALICE.secret} `, ALICE.secret.slice(1), `${ALICE.secret}x`, ALICE.secret.toUpperCase()) }),
      fc.record({ clientId: fc.constantFrom('Alice', 'alice ', 'alic', 'my:client id+%/e'), secret: fc.constantFrom(...REGISTERED.map((client) => client.secret)) }),
    ),
    choices: fc.array(fc.nat(WRITINGS - 1), { minLength: 1, maxLength: 64 }),
    scheme: fc.constantFrom('Basic', 'basic', 'BASIC', 'bAsIc'),
    spaces: fc.integer({ min: 1, max: 3 }),
  })
  .map(({ pair, choices, scheme, spaces }) => {
    const userPass = `${formEncodedVariant(pair.clientId, choices, true)}:${formEncodedVariant(pair.secret, [...choices].reverse(), false)}`;
    return {
      ...pair,
      registered: REGISTERED.some((client) => client.clientId === pair.clientId && client.secret === pair.secret),
      header: `${scheme}${' '.repeat(spaces)}${Buffer.from(userPass, 'utf8').toString('base64')}`,
    };
  });

/** Authorization values that are mostly not valid Basic credentials at all. */
export const junkAuthorization: fc.Arbitrary<string> = fc.oneof(
  text({ maxLength: 80 }),
  fc.tuple(fc.constantFrom('Basic', 'basic', 'Bearer', 'Digest', 'B\u00e4sic', ''), fc.constantFrom(' ', '  ', '\t', ''), text({ maxLength: 60 })).map((parts) => parts.join('')),
  fc.uint8Array({ maxLength: 60 }).map((bytes) => `Basic ${Buffer.from(bytes).toString('base64')}`),
  fc.base64String({ maxLength: 60 }).map((value) => `Basic ${value}`),
  fc
    .tuple(fc.stringMatching(/^[%:+a-z0-9éA-F ]{0,20}$/), fc.stringMatching(/^[%:+a-z0-9éA-F ]{0,20}$/))
    .map(([id, secret]) => `Basic ${Buffer.from(`${id}:${secret}`, 'utf8').toString('base64')}`),
  fc.base64String({ minLength: 4, maxLength: 60 }).map((value) => `Basic ${value.replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '')}`),
);

/** Scope strings from the RFC 6749 §3.3 alphabet and just outside it. */
export const scopeString: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('products:read', 'products:write', 'products:delete', 'openid', 'admin', 'products:*') },
      { weight: 2, arbitrary: fc.constantFrom(' ', '  ', '\t', '\n', '"', '\\', '\u0000', '\u007f', 'é', '\u00a0') },
      { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 6 }) },
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

/** RFC 6749 §3.3, written independently of the implementation: 1*( %x21 / %x23-5B / %x5D-7E ) tokens joined by single spaces. */
export function scopeTokens(scope: string): string[] | undefined {
  const tokens = scope.split(' ');
  const tokenChar = (code: number) => code === 0x21 || (code >= 0x23 && code <= 0x5b) || (code >= 0x5d && code <= 0x7e);
  const valid = tokens.every((token) => token.length > 0 && [...token].every((char) => tokenChar(char.charCodeAt(0)) && char.length === 1));
  return valid ? [...new Set(tokens)] : undefined;
}

/** `arbitrary` in `present` out of `present + absent` cases, undefined otherwise. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, present: number, absent: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: present, arbitrary }, { weight: absent, arbitrary: fc.constant(undefined) });

/** A token request's form parameters, in any order: mostly one of each known name with telling values, sometimes repeats and noise. */
export const formParameters: fc.Arbitrary<[string, string][]> = fc
  .record({
    grantType: sometimes(fc.oneof({ weight: 3, arbitrary: fc.constant('client_credentials') }, fc.constantFrom('password', '', 'CLIENT_CREDENTIALS', 'client_credentials ')), 9, 1),
    scope: sometimes(fc.oneof(scopeString, fc.constantFrom('', 'products:read', 'products:write products:read')), 2, 1),
    resources: fc.oneof(
      { weight: 3, arbitrary: fc.constant<string[]>([]) },
      { weight: 2, arbitrary: fc.array(fc.constantFrom(...ALLOWED_AUDIENCES, '', 'https://evil.example/', '/relative', `${ALLOWED_AUDIENCES[0]}#frag`), { minLength: 1, maxLength: 2 }) },
    ),
    clientId: sometimes(fc.constantFrom(ALICE.client.clientId, 'bob', ''), 1, 4),
    clientSecret: sometimes(fc.constantFrom(ALICE.secret, 'guess', ''), 1, 8),
    noise: fc.array(fc.tuple(text({ maxLength: 8 }), text({ maxLength: 12 })), { maxLength: 2 }),
    repeated: sometimes(fc.constantFrom('grant_type', 'scope', 'client_id', 'x'), 1, 8),
  })
  .chain(({ grantType, scope, resources, clientId, clientSecret, noise, repeated }) => {
    const parameters: [string, string][] = [
      ...(grantType === undefined ? [] : [['grant_type', grantType] as [string, string]]),
      ...(scope === undefined ? [] : [['scope', scope] as [string, string]]),
      ...resources.map((resource): [string, string] => ['resource', resource]),
      ...(clientId === undefined ? [] : [['client_id', clientId] as [string, string]]),
      ...(clientSecret === undefined ? [] : [['client_secret', clientSecret] as [string, string]]),
      ...noise,
      ...(repeated === undefined ? [] : [[repeated, 'again'] as [string, string], [repeated, 'again'] as [string, string]]),
    ];
    return fc.shuffledSubarray(parameters, { minLength: parameters.length, maxLength: parameters.length });
  });

/** Bodies that are mostly not well-formed forms: stray '%', '&', '=', '+', BOMs, bytes that are not UTF-8. */
export const junkFormBody: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom('grant_type', 'client_credentials', 'scope', 'resource', '=', '&', '&&', '+', '%', '%2', '%zz', '%E2%82', '%FF', '%00', '%C0%AF', '\uFEFF', 'products:read', ';'),
      text({ maxLength: 4 }),
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(''));
