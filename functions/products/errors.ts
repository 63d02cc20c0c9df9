/**
 * What can go wrong in the products API. One place, error-response.ts, turns these into HTTP answers;
 * nothing else picks a status code for a failure.
 */

/** No verified caller in the authorizer context, or its token has expired since the decision was cached. */
export class NotAuthenticated extends Error {
  override readonly name = 'NotAuthenticated';
}

/** RFC 6750 §3.1 insufficient_scope: the token is fine but lacks the scope this route needs. */
export class InsufficientScope extends Error {
  override readonly name = 'InsufficientScope';

  constructor(readonly scope: string) {
    super(`This request needs the "${scope}" scope`);
  }
}

/** The request is malformed; the message names the offending field and is shown to the client. */
export class InvalidRequest extends Error {
  override readonly name = 'InvalidRequest';
}

export class UnsupportedMediaType extends Error {
  override readonly name = 'UnsupportedMediaType';
}

export class RouteNotFound extends Error {
  override readonly name = 'RouteNotFound';
}

export class ProductNotFound extends Error {
  override readonly name = 'ProductNotFound';
}

/** The store could not be reached or refused to work; the client may retry. */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
}

/** An item in the table does not look like a product: a bug or a manual edit, not the client's doing. */
export class CorruptProduct extends Error {
  override readonly name = 'CorruptProduct';
}
