/**
 * Failures of client administration, one class each, so the CLI (and the local stack) can tell a typo in
 * a client id from a lost race or an unreachable table without parsing messages.
 */
export abstract class ClientRegistryError extends Error {
  abstract override readonly name: string;
}

export class ClientNotFound extends ClientRegistryError {
  override readonly name = 'ClientNotFound';
  constructor(readonly clientId: string) {
    super(`client "${clientId}" does not exist`);
  }
}

export class ClientAlreadyExists extends ClientRegistryError {
  override readonly name = 'ClientAlreadyExists';
  constructor(readonly clientId: string) {
    super(`client "${clientId}" already exists`);
  }
}

/** The requested settings are not acceptable; `issues` names each offending field. */
export class ValidationError extends ClientRegistryError {
  override readonly name = 'ValidationError';
  constructor(readonly issues: readonly string[]) {
    super(`invalid client settings: ${issues.join('; ')}`);
  }
}

export class SecretNotFound extends ClientRegistryError {
  override readonly name = 'SecretNotFound';
  constructor(
    readonly clientId: string,
    readonly secretId: string,
  ) {
    super(`client "${clientId}" has no secret "${secretId}"`);
  }
}

/** Rotation adds a secret beside the current one; with two live secrets one must go first. */
export class SecretLimitReached extends ClientRegistryError {
  override readonly name = 'SecretLimitReached';
  constructor(
    readonly clientId: string,
    readonly limit: number,
  ) {
    super(`client "${clientId}" already has ${limit} secrets; remove one first`);
  }
}

/** Removing this secret would leave the client without any secret that still works. */
export class LastSecretProtected extends ClientRegistryError {
  override readonly name = 'LastSecretProtected';
  constructor(
    readonly clientId: string,
    readonly secretId: string,
  ) {
    super(
      `removing secret "${secretId}" would leave client "${clientId}" without a working secret, so it could no longer ` +
        'get tokens; rotate first, or force the removal',
    );
  }
}

/**
 * The operation belongs to the other way of authenticating: secrets for a private_key_jwt client, keys for a
 * secret client. A client keeps the method it was registered with.
 */
export class WrongAuthMethod extends ClientRegistryError {
  override readonly name = 'WrongAuthMethod';
  constructor(
    readonly clientId: string,
    readonly authMethod: string,
    what: string,
  ) {
    super(`client "${clientId}" authenticates with ${authMethod}, so it has no ${what}`);
  }
}

/** Someone else changed or deleted the client between our read and our write (optimistic concurrency). */
export class ConcurrentModification extends ClientRegistryError {
  override readonly name = 'ConcurrentModification';
  constructor(readonly clientId: string) {
    super(`client "${clientId}" was changed or deleted by someone else meanwhile; try again`);
  }
}

/** The store could not be reached or refused the request (network, credentials, missing table). */
export class ClientStorageUnavailable extends ClientRegistryError {
  override readonly name = 'ClientStorageUnavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
