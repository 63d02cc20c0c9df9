/** Every SigningAlgorithmSpec in the KMS API; a name outside this list is a ValidationException. */
export const SIGNING_ALGORITHM_SPECS = [
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
  'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512', 'ED25519_SHA_512', 'ED25519_PH_SHA_512',
  'ML_DSA_SHAKE_256', 'SM2DSA',
] as const;
export type SigningAlgorithmSpec = (typeof SIGNING_ALGORITHM_SPECS)[number];

export type HashName = 'sha256' | 'sha384' | 'sha512';

export interface RsaSigningAlgorithm {
  spec: SigningAlgorithmSpec;
  scheme: 'PKCS1_V1_5' | 'PSS';
  hash: HashName;
  /** Bytes of the hash output; a DIGEST message must be exactly this long. */
  digestLength: number;
}

/** In the order KMS lists them in KeyMetadata.SigningAlgorithms for RSA keys. */
export const RSA_SIGNING_ALGORITHMS: readonly RsaSigningAlgorithm[] = [
  { spec: 'RSASSA_PKCS1_V1_5_SHA_256', scheme: 'PKCS1_V1_5', hash: 'sha256', digestLength: 32 },
  { spec: 'RSASSA_PKCS1_V1_5_SHA_384', scheme: 'PKCS1_V1_5', hash: 'sha384', digestLength: 48 },
  { spec: 'RSASSA_PKCS1_V1_5_SHA_512', scheme: 'PKCS1_V1_5', hash: 'sha512', digestLength: 64 },
  { spec: 'RSASSA_PSS_SHA_256', scheme: 'PSS', hash: 'sha256', digestLength: 32 },
  { spec: 'RSASSA_PSS_SHA_384', scheme: 'PSS', hash: 'sha384', digestLength: 48 },
  { spec: 'RSASSA_PSS_SHA_512', scheme: 'PSS', hash: 'sha512', digestLength: 64 },
];

export const rsaSigningAlgorithm = (spec: SigningAlgorithmSpec): RsaSigningAlgorithm | undefined =>
  RSA_SIGNING_ALGORITHMS.find((algorithm) => algorithm.spec === spec);
