import type { Scope } from '../arn.js';
import type { KeyStore } from '../key-store.js';
import type { RequestBody } from '../params.js';

export interface OperationContext {
  store: KeyStore;
  /** Region from the request's SigV4 credential scope, account from the emulator's options. */
  scope: Scope;
  /** Epoch milliseconds. */
  now: () => number;
}

/** The response body; undefined for operations KMS answers with an empty body. */
export type OperationResult = Record<string, unknown> | undefined;

export type Operation = (body: RequestBody, context: OperationContext) => Promise<OperationResult>;
