/**
 * Errors of the token endpoint, one class per RFC 6749 §5.2 error code (plus RFC 8707 invalid_target
 * and the §4.1.2.1 temporarily_unavailable code, used here for dependency outages).
 * The mapping to HTTP lives in one place: shared/http/oauth-error-response.ts.
 */
export abstract class OAuthError extends Error {
  abstract readonly error: string;
  readonly status: number = 400;
  /**
   * What the server logs about this refusal (client id, the real reason behind a uniform answer, …).
   * Never sent to the client, and never a secret, a header value, a body or a token.
   */
  context: Readonly<Record<string, string | number | undefined>> = {};

  constructor(readonly description: string) {
    super(description);
  }

  withContext(context: Readonly<Record<string, string | number | undefined>>): this {
    this.context = { ...this.context, ...context };
    return this;
  }
}

export class InvalidRequest extends OAuthError {
  override readonly name = 'InvalidRequest';
  readonly error = 'invalid_request';
}

/** RFC 6749 §5.2: 401, and a WWW-Authenticate challenge matching the scheme the client tried. */
export class InvalidClient extends OAuthError {
  override readonly name = 'InvalidClient';
  readonly error = 'invalid_client';
  override readonly status = 401;

  constructor(
    description: string,
    readonly usedBasicAuth: boolean,
  ) {
    super(description);
  }
}

export class UnauthorizedClient extends OAuthError {
  override readonly name = 'UnauthorizedClient';
  readonly error = 'unauthorized_client';
}

/**
 * An authenticated client that may not use this endpoint (the introspection endpoint for a client without
 * the permission). 403, like RFC 6750 §3.1's insufficient_scope: the credentials are fine, the grant is not.
 */
export class EndpointNotPermitted extends OAuthError {
  override readonly name = 'EndpointNotPermitted';
  readonly error = 'unauthorized_client';
  override readonly status = 403;
}

export class UnsupportedGrantType extends OAuthError {
  override readonly name = 'UnsupportedGrantType';
  readonly error = 'unsupported_grant_type';
}

export class InvalidScope extends OAuthError {
  override readonly name = 'InvalidScope';
  readonly error = 'invalid_scope';
}

/** RFC 8707 §2: the requested resource is not one this client may get a token for. */
export class InvalidTarget extends OAuthError {
  override readonly name = 'InvalidTarget';
  readonly error = 'invalid_target';
}

/** A dependency (DynamoDB, KMS) failed; the client may retry after `retryAfterSeconds`. */
export class TemporarilyUnavailable extends OAuthError {
  override readonly name = 'TemporarilyUnavailable';
  readonly error = 'temporarily_unavailable';
  override readonly status = 503;

  constructor(
    description: string,
    readonly retryAfterSeconds: number = 1,
    options?: { cause?: unknown },
  ) {
    super(description);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** The only description a 500 ever carries: what went wrong is for the log, not for the client. */
export const UNEXPECTED_CONDITION = 'The authorization server encountered an unexpected condition';

export class ServerError extends OAuthError {
  override readonly name = 'ServerError';
  readonly error = 'server_error';
  override readonly status = 500;
}
