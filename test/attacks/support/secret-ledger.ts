/**
 * Every credential the attack catalogue puts on the wire — client secrets (real and guessed), whole
 * Authorization header values, access tokens and their segments — so the catalogue can prove at the end
 * that none of them was written to a log line or echoed in a response.
 *
 * Short values are not recorded: "x" appears in any log by chance. Client secrets are 43 characters,
 * guessed ones are made at least MIN_LENGTH long, and token segments shorter than that are public JSON
 * such as `{"alg":"none"}`.
 */
const MIN_LENGTH = 12;

export interface Leak {
  label: string;
  value: string;
}

export class SecretLedger {
  readonly #values = new Map<string, string>();

  get size(): number {
    return this.#values.size;
  }

  remember(label: string, value: string | undefined): void {
    if (value !== undefined && value.length >= MIN_LENGTH && !this.#values.has(value)) this.#values.set(value, label);
  }

  /** The header value itself and what it carries: the decoded Basic credentials and secret, or the token. */
  rememberAuthorization(value: string): void {
    this.remember('Authorization header', value);
    const [scheme = '', ...rest] = value.split(' ');
    const credentials = rest.join(' ').trim();
    if (scheme.toLowerCase() === 'basic') {
      const decoded = Buffer.from(credentials, 'base64').toString('utf8');
      const secret = decoded.slice(decoded.indexOf(':') + 1);
      // Without a secret of some length, "id:" is only the client id, which the logs may name.
      if (secret.length >= MIN_LENGTH) {
        this.remember('decoded Basic credentials', decoded);
        this.remember('Basic client secret', secret);
      }
    } else if (scheme.toLowerCase() === 'bearer') {
      this.rememberToken(credentials);
    }
  }

  rememberToken(token: string): void {
    this.remember('access token', token);
    for (const segment of token.split('.')) this.remember('access token segment', segment);
  }

  /** Every recorded value that occurs in `text`. */
  leaksIn(text: string): Leak[] {
    const leaks: Leak[] = [];
    for (const [value, label] of this.#values) if (text.includes(value)) leaks.push({ label, value });
    return leaks;
  }
}
