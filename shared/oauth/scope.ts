/**
 * RFC 6749 §3.3: scope = scope-token *( SP scope-token ); scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
 * Exactly one space between tokens, no leading or trailing space.
 */
const SCOPE_STRING = /^[\x21\x23-\x5B\x5D-\x7E]+(?: [\x21\x23-\x5B\x5D-\x7E]+)*$/;
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** True when `value` is a well-formed, non-empty scope string (no allocation; for hot paths). */
export function isValidScope(value: string): boolean {
  return SCOPE_STRING.test(value);
}

export function isValidScopeToken(token: string): boolean {
  return SCOPE_TOKEN.test(token);
}

/** Parses a scope parameter; undefined when the syntax is invalid. Duplicates collapse (order kept). */
export function parseScope(value: string): string[] | undefined {
  if (!SCOPE_STRING.test(value)) return undefined;
  return [...new Set(value.split(' '))];
}

export function formatScope(scopes: readonly string[]): string {
  return scopes.join(' ');
}
