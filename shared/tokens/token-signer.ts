/**
 * What the token endpoint needs to sign: the key's `kid` and an RS256 signature (RFC 7518 §3.3,
 * RSASSA-PKCS1-v1_5 with SHA-256). The private key never leaves the signer (KMS in production).
 */
export interface TokenSigner {
  /** RFC 7638 thumbprint of the signing key's public JWK, as published in the JWKS. */
  kid(): Promise<string>;
  /** The signature over the JWS signing input, ASCII(BASE64URL(header) "." BASE64URL(payload)). */
  sign(signingInput: Uint8Array): Promise<Uint8Array>;
}
