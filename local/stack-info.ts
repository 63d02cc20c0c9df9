/**
 * What a running local stack publishes in `.local/stack.json` (and hands to the test suite), so tools
 * and tests find it without guessing ports.
 */
export interface StackInfo {
  apiUrl: string;
  issuer: string;
  tokenEndpoint: string;
  jwksUri: string;
  region: string;
  dynamodbEndpoint: string;
  kmsEndpoint: string;
  clientsTable: string;
  productsTable: string;
  /** Revoked tokens and clients' token cut-offs. */
  revocationsTable: string;
  revocationEndpoint: string;
  introspectionEndpoint: string;
  /** The audit trail of registry changes (template AuditTable); absent from stacks started before it existed. */
  auditTable?: string;
  /** KMS key (ARN) that signs new tokens. */
  signingKeyId: string;
  /** KMS keys (ARNs) whose tokens are still accepted, the signing key included. */
  verifyKeyIds: string[];
  /** Audience the products API requires (the template's DefaultAudience). */
  audience: string;
  demoClientId: string;
  dataDir: string;
  pid: number;
}
