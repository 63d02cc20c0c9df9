/** Where a request is served: KMS keys and aliases are regional and owned by one account. */
export interface Scope {
  region: string;
  accountId: string;
}

export const keyArn = (scope: Scope, keyId: string): string => `arn:aws:kms:${scope.region}:${scope.accountId}:key/${keyId}`;

/** Alias names already carry their `alias/` prefix, so the ARN resource is the name itself. */
export const aliasArn = (scope: Scope, aliasName: string): string => `arn:aws:kms:${scope.region}:${scope.accountId}:${aliasName}`;

export interface KmsArn extends Scope {
  resource: string;
}

const KMS_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):(.+)$/;

export function parseKmsArn(value: string): KmsArn | undefined {
  const match = KMS_ARN.exec(value);
  if (!match) return undefined;
  const [, region = '', accountId = '', resource = ''] = match;
  return { region, accountId, resource };
}
