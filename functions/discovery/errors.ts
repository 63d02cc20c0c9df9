/** Failures of the discovery routes; discovery-api.ts turns them into HTTP answers in one place. */

export class UnknownResource extends Error {
  override readonly name = 'UnknownResource';
}

/** The public keys could not be fetched from KMS; the client may retry. */
export class KeysUnavailable extends Error {
  override readonly name = 'KeysUnavailable';
}

/** No ISSUER configured and the request does not say which stage it reached: a deployment problem. */
export class IssuerUnknown extends Error {
  override readonly name = 'IssuerUnknown';
}
