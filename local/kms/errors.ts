/**
 * The KMS error family. `type` is the wire name the AWS SDK reads from `__type` /
 * `x-amzn-ErrorType` to pick its exception class, so it must match the service model exactly.
 * KMS answers every client error over the JSON protocol with HTTP 400; only internal faults are 500.
 */
export class KmsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** Not modelled by @aws-sdk/client-kms: the SDK surfaces it as KMSServiceException named ValidationException. */
export class ValidationError extends KmsError {
  constructor(message: string) {
    super('ValidationException', message);
  }
}

/** The body could not be read as the JSON object the protocol requires. */
export class SerializationError extends KmsError {
  constructor(message: string) {
    super('SerializationException', message);
  }
}

export class UnknownOperationError extends KmsError {
  constructor(target: string | undefined) {
    super('UnknownOperationException', target ? `Operation ${target} is not supported` : 'Missing X-Amz-Target header');
  }
}

/** Request bodies above the cap are refused before parsing; 413 tells plain HTTP clients why. */
export class RequestTooLargeError extends KmsError {
  constructor(limitBytes: number) {
    super('ValidationException', `Request body exceeds ${limitBytes} bytes`, 413);
  }
}

export class NotFoundError extends KmsError {
  constructor(message: string) {
    super('NotFoundException', message);
  }
}

export class AlreadyExistsError extends KmsError {
  constructor(message: string) {
    super('AlreadyExistsException', message);
  }
}

export class DisabledError extends KmsError {
  constructor(keyArn: string) {
    super('DisabledException', `${keyArn} is disabled.`);
  }
}

export class InvalidStateError extends KmsError {
  constructor(message: string) {
    super('KMSInvalidStateException', message);
  }
}

export class InvalidKeyUsageError extends KmsError {
  constructor(message: string) {
    super('InvalidKeyUsageException', message);
  }
}

export class InvalidSignatureError extends KmsError {
  constructor() {
    super('KMSInvalidSignatureException', 'The signature is not valid for the message and key.');
  }
}

export class InvalidAliasNameError extends KmsError {
  constructor(message: string) {
    super('InvalidAliasNameException', message);
  }
}

export class InvalidMarkerError extends KmsError {
  constructor() {
    super('InvalidMarkerException', 'The marker is not valid for this request.');
  }
}

export class TagError extends KmsError {
  constructor(message: string) {
    super('TagException', message);
  }
}

/** A valid KMS request this emulator deliberately does not implement (e.g. symmetric keys). */
export class UnsupportedOperationError extends KmsError {
  constructor(message: string) {
    super('UnsupportedOperationException', message);
  }
}

export class DryRunError extends KmsError {
  constructor() {
    super('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
  }
}

export class InternalError extends KmsError {
  constructor() {
    super('KMSInternalException', 'An internal error occurred.', 500);
  }
}
