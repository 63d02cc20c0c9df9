import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeClientRegistry, type ClientRegistry } from '#shared/clients/client-registry.js';
import { dynamoClientRepository } from '#shared/clients/dynamo-client-repository.js';
import { generateTestKey, type TestKey } from '../../support/access-token-fixtures.js';
import { accessTokenFor, stackRegistry, testStack } from '../../support/stack-clients.js';
import type { TestStack } from '../../support/test-stack.js';
import { kmsForger, type KmsForger } from './kms-forger.js';
import { sendRaw, type RawRequest, type RawResponse } from './raw-http.js';
import { SecretLedger } from './secret-ledger.js';
import { dynamoRevocationStore } from '#shared/revocation/dynamo-revocation-store.js';

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

/** A second resource (RFC 8707) the admin client may ask for: its tokens must not open the products API. */
export const OTHER_RESOURCE = 'https://reports.example.com/api';

export const READ = 'products:read';
export const WRITE = 'products:write';
export const DELETE = 'products:delete';

/** Every non-empty combination of the products scopes, as a space-delimited scope string. */
export const SCOPE_COMBINATIONS = [
  READ,
  WRITE,
  DELETE,
  `${READ} ${WRITE}`,
  `${READ} ${DELETE}`,
  `${WRITE} ${DELETE}`,
  `${READ} ${WRITE} ${DELETE}`,
] as const;
export type ScopeCombination = (typeof SCOPE_COMBINATIONS)[number];

export interface AttackFixtures {
  stack: TestStack;
  /** products:read only: the client that tries to escalate. */
  reader: Credentials;
  /** Every products scope, and OTHER_RESOURCE besides the products audience. */
  admin: Credentials;
  /** Disabled after it was created; its secret is right. */
  disabled: Credentials;
  /** Its only presented secret expired when it was rotated out. */
  expired: Credentials;
  /** A secret that was removed from the client (the client still exists with another one). */
  removed: Credentials;
  /** A client that no longer exists, with the secret it had. */
  deleted: Credentials;
  /** A genuine token, straight from the token endpoint, per scope combination. */
  tokens: Record<ScopeCombination, string>;
  /** A genuine token for OTHER_RESOURCE. */
  otherAudienceToken: string;
  forger: KmsForger;
  /** An RSA key that is not ours. */
  attacker: TestKey;
  ledger: SecretLedger;
  /** Products the catalogue created, removed again when it is done. */
  createdProducts: Set<string>;
  /** Sends a request to the stack, recording every credential it carries in the ledger first. */
  send(raw: RawRequest): Promise<RawResponse>;
  close(): void;
}

/** The stack's client registry with a clock of our choosing, to make secrets that are already expired. */
function registryAt(stack: TestStack, clock: () => Date): ClientRegistry {
  const documentClient = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: stack.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return makeClientRegistry({
    repository: dynamoClientRepository({ documentClient, tableName: stack.clientsTable }),
    revocations: dynamoRevocationStore(documentClient, stack.revocationsTable),
    defaults: { audience: stack.audience },
    clock,
  });
}

export async function setUpAttackFixtures(): Promise<AttackFixtures> {
  const stack = testStack();
  const registry = stackRegistry();
  const ledger = new SecretLedger();
  const issued = async (name: string, scopes: string[], audiences?: string[]): Promise<Credentials> => {
    const { client, clientSecret } = await registry.createClient({ name, scopes, ...(audiences && { audiences, defaultAudience: stack.audience }) });
    ledger.remember(`${name} secret`, clientSecret);
    return { clientId: client.clientId, clientSecret };
  };

  const [reader, admin, disabled, removedClient, deleted] = await Promise.all([
    issued('attack reader', [READ]),
    issued('attack admin', [READ, WRITE, DELETE], [stack.audience, OTHER_RESOURCE]),
    issued('attack disabled', [READ]),
    issued('attack removed-secret', [READ]),
    issued('attack deleted', [READ]),
  ]);
  await registry.disableClient(disabled.clientId);
  await registry.deleteClient(deleted.clientId);
  // Rotate, then remove the first secret: the client lives on with the new one only.
  const rotated = await registry.rotateSecret(removedClient.clientId);
  ledger.remember('rotated-in secret', rotated.clientSecret);
  const firstSecretId = rotated.client.secrets.find((secret) => secret.secretId !== rotated.secretId)?.secretId ?? '';
  await registry.removeSecret(removedClient.clientId, firstSecretId);

  // Made two days ago and rotated then with a one-minute grace: the first secret expired long since.
  const past = registryAt(stack, () => new Date(Date.now() - 2 * 86_400_000));
  const old = await past.createClient({ name: 'attack expired-secret', scopes: [READ] });
  ledger.remember('expired secret', old.clientSecret);
  const replacement = await past.rotateSecret(old.client.clientId, { expiresInSeconds: 60 });
  ledger.remember('replacement secret', replacement.clientSecret);
  const expired = { clientId: old.client.clientId, clientSecret: old.clientSecret };

  const tokenEntries = await Promise.all(
    SCOPE_COMBINATIONS.map(async (scope) => [scope, await accessTokenFor(admin, { scope })] as const),
  );
  const tokens = Object.fromEntries(tokenEntries) as Record<ScopeCombination, string>;
  const otherAudienceToken = await accessTokenFor(admin, { resource: OTHER_RESOURCE });
  for (const token of [...Object.values(tokens), otherAudienceToken]) ledger.rememberToken(token);

  const forger = await kmsForger(stack);
  return {
    stack,
    reader,
    admin,
    disabled,
    expired,
    removed: { clientId: removedClient.clientId, clientSecret: removedClient.clientSecret },
    deleted,
    tokens,
    otherAudienceToken,
    forger,
    attacker: generateTestKey(),
    ledger,
    createdProducts: new Set(),
    async send(raw) {
      for (const [name, value] of Object.entries(raw.headers ?? {})) {
        if (name.toLowerCase() !== 'authorization') continue;
        for (const one of Array.isArray(value) ? value : [value]) ledger.rememberAuthorization(one);
      }
      if (typeof raw.body === 'string') {
        for (const [name, value] of new URLSearchParams(raw.body)) if (name === 'client_secret') ledger.remember('posted client_secret', value);
      }
      const query = raw.path.split('?')[1];
      if (query !== undefined) for (const value of new URLSearchParams(query).getAll('client_secret')) ledger.remember('client_secret in the URI', value);
      const response = await sendRaw(stack.apiUrl, raw);
      // A token issued to a positive control must stay out of the logs just the same.
      const issued = (response.json as { access_token?: unknown } | undefined)?.access_token;
      if (typeof issued === 'string') ledger.rememberToken(issued);
      return response;
    },
    close: () => forger.close(),
  };
}
