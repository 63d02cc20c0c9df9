/**
 * Why a request was refused. Every one of these becomes the same 401 at the edge (token-authorizer.ts): the
 * caller learns only that its token was not accepted (RFC 6750 §3.1 invalid_token), while the logs and
 * the tests can tell the cases apart.
 */
export abstract class TokenRejected extends Error {
  /** What identifies the token in logs (never the token itself); filled in when known. */
  readonly details: RejectionDetails = {};
}

export interface RejectionDetails {
  kid?: string | undefined;
  jti?: string | undefined;
  clientId?: string | undefined;
}

/** RFC 6750 §3.1: the request carried no credentials at all. */
export class MissingToken extends TokenRejected {
  override readonly name = 'MissingToken';
}

/** Not `Bearer <b64token>` (RFC 6750 §2.1), or some other scheme. */
export class MalformedAuthorization extends TokenRejected {
  override readonly name = 'MalformedAuthorization';
}

export class TokenTooLarge extends TokenRejected {
  override readonly name = 'TokenTooLarge';
}

/** Not a compact JWS carrying a JSON claims set (RFC 7515 §7.1, RFC 7519 §7.2). */
export class MalformedToken extends TokenRejected {
  override readonly name = 'MalformedToken';
}

/** RFC 8725 §3.1: only RS256 is accepted, whatever the header asks for. */
export class DisallowedAlgorithm extends TokenRejected {
  override readonly name = 'DisallowedAlgorithm';
}

/** The `kid` names none of the configured verification keys. */
export class UnknownKid extends TokenRejected {
  override readonly name = 'UnknownKid';
}

export class InvalidSignature extends TokenRejected {
  override readonly name = 'InvalidSignature';
}

/** RFC 9068 §4: `typ` must be `at+jwt` (or `application/at+jwt`). */
export class WrongTokenType extends TokenRejected {
  override readonly name = 'WrongTokenType';
}

export class WrongIssuer extends TokenRejected {
  override readonly name = 'WrongIssuer';
}

export class WrongAudience extends TokenRejected {
  override readonly name = 'WrongAudience';
}

export class TokenExpired extends TokenRejected {
  override readonly name = 'TokenExpired';
}

export class TokenNotYetValid extends TokenRejected {
  override readonly name = 'TokenNotYetValid';
}

/**
 * Revoked (RFC 7009), or issued to a client before its tokens were cut off (revoke-tokens, disable, delete).
 * RFC 6750 §3.1: "revoked" is one of the reasons for invalid_token.
 */
export class TokenRevoked extends TokenRejected {
  override readonly name = 'TokenRevoked';
}

/** A claim RFC 9068 §2.2 requires is missing or has the wrong type. */
export class InvalidClaim extends TokenRejected {
  override readonly name = 'InvalidClaim';

  constructor(readonly claim: string) {
    super(`"${claim}" claim missing or invalid`);
  }
}

/**
 * The authorizer cannot decide (keys not loaded, configuration unusable, issuer underivable, access rules
 * that no policy can express). Not the caller's fault, so not a 401 (token-authorizer.ts): a 503 the client
 * retries, and never an Allow.
 */
export class AuthorizerUnavailable extends Error {
  override readonly name = 'AuthorizerUnavailable';
}
