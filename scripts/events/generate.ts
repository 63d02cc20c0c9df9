import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sdkLimits } from '#shared/aws/sdk-limits.js';
import { ClientNotFound } from '#shared/clients/client-registry-errors.js';
import { makeClientRegistry, untilNewTokensWork, type ClientRegistry, type IssuedSecret } from '#shared/clients/client-registry.js';
import { dynamoClientRepository } from '#shared/clients/dynamo-client-repository.js';
import { kmsTokenSigner } from '#shared/tokens/kms-token-signer.js';
import { accessTokenClaims, signAccessToken } from '../../functions/token/access-token.js';
import { dynamoProductStore } from '../../functions/products/dynamo-product-store.js';
import type { StackInfo } from '../../local/stack-info.js';
import { localResolutionInputs, LOCAL_ACCOUNT, LOCAL_REGION, runningStackFunctions } from '../../local/stack/local-stack.js';
import { loadTemplate, type LoadedTemplate } from '../../local/template/index.js';
import { generateKeyPairSync } from 'node:crypto';
import { MAX_ASSERTION_LIFETIME_SECONDS } from '#shared/client-auth/client-authentication.js';
import { derivedKid, makeClientAssertion } from '../clients/client-assertion.js';
import {
  basic,
  FIXTURE_PRODUCT,
  FIXTURES_CLIENT,
  FIXTURES_KEY_CLIENT,
  liveFixtures,
  STABLE_HOST,
  STABLE_RECEIVED_AT,
  stableFixtures,
  type Fixture,
} from './fixtures.js';
import { eventSite } from './gateway-events.js';
import { dynamoRevocationStore } from '#shared/revocation/dynamo-revocation-store.js';

// The emulators accept any credentials; fixed ones keep a developer's real AWS profile out of local runs.
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
/** How a container started by `sam local` reaches the host: Docker Desktop defines it; on Linux pass sam `--add-host`. */
export const DOCKER_HOST = 'host.docker.internal';

/** The token endpoint refused the fixtures client, so no live token could be had. */
export class TokenRequestFailed extends Error {
  override readonly name = 'TokenRequestFailed';
}

/** The commit-stable fixtures; no stack needed (their key slot is a placeholder no fixture mentions). */
export async function generateStableFixtures(templatePath: string): Promise<Fixture[]> {
  const keyId = '00000000-0000-4000-8000-000000000000';
  const placeholderKey = { keyId, arn: `arn:aws:kms:${LOCAL_REGION}:${LOCAL_ACCOUNT}:key/${keyId}`, state: 'active' as const };
  const issuer = `http://${STABLE_HOST}`;
  const template = await loadTemplate(templatePath, localResolutionInputs(issuer, { A: placeholderKey }));
  const audience = String(template.parameters.DefaultAudience?.value);
  return stableFixtures(eventSite(template, STABLE_HOST, STABLE_RECEIVED_AT), issuer, audience);
}

export interface LiveGeneration {
  fixtures: Fixture[];
  /** `sam local invoke --env-vars` content pointing a container at this stack. */
  envVars: Record<string, Record<string, string>>;
  clientId: string;
}

/**
 * Fixtures that need the running stack: the fixtures client gets a new secret (only hashes are stored, so
 * an old one cannot be read back), a token is requested from the stack's token endpoint, an expired token
 * is signed with the stack's signing key, and the product delete.json deletes is put (back) in place.
 */
export async function generateLiveFixtures(stack: StackInfo, templatePath: string, now: Date = new Date()): Promise<LiveGeneration> {
  const { template } = await runningStackFunctions(stack, templatePath);
  const sdk = { ...sdkLimits, region: stack.region, credentials: LOCAL_CREDENTIALS };
  const dynamodb = new DynamoDBClient({ ...sdk, endpoint: stack.dynamodbEndpoint });
  const kms = new KMSClient({ ...sdk, endpoint: stack.kmsEndpoint });
  try {
    const documents = DynamoDBDocumentClient.from(dynamodb, { marshallOptions: { removeUndefinedValues: true } });
    const registry = makeClientRegistry({
      repository: dynamoClientRepository({ documentClient: documents, tableName: stack.clientsTable }),
      revocations: dynamoRevocationStore(documents, stack.revocationsTable),
      defaults: { audience: stack.audience },
    });
    const { client, clientSecret } = await issueFixturesSecret(registry);
    const accessToken = await requestToken(stack.tokenEndpoint, client.clientId, clientSecret);
    const signer = kmsTokenSigner(kms, stack.signingKeyId);
    const expiredToken = await signAccessToken(
      signer,
      await signer.kid(),
      accessTokenClaims({
        issuer: stack.issuer,
        clientId: client.clientId,
        audience: stack.audience,
        scopes: FIXTURES_CLIENT.scopes,
        issuedAt: new Date(now.getTime() - 2 * 3600_000),
        lifetimeSeconds: 3600,
      }),
    );
    await dynamoProductStore({ client: documents, tableName: stack.productsTable }).put({ ...FIXTURE_PRODUCT });
    const clientAssertion = await issueFixturesAssertion(registry, stack.issuer, now);

    const site = eventSite(template, new URL(stack.apiUrl).host, now);
    return {
      fixtures: liveFixtures(site, { clientId: client.clientId, clientSecret, accessToken, expiredToken, clientAssertion }),
      envVars: dockerEnvVars(template, stack),
      clientId: client.clientId,
    };
  } finally {
    dynamodb.destroy();
    kms.destroy();
  }
}

/**
 * Every function's declared variables with this stack's values, the emulator endpoints rewritten to the
 * Docker host. SAM applies only variables the template declares, which is why the template declares the
 * endpoint variables (empty, so deployed functions use the SDK's defaults).
 */
export function dockerEnvVars(template: LoadedTemplate, stack: Pick<StackInfo, 'dynamodbEndpoint' | 'kmsEndpoint'>): Record<string, Record<string, string>> {
  const endpoints = {
    AWS_ENDPOINT_URL_DYNAMODB: viaDockerHost(stack.dynamodbEndpoint),
    AWS_ENDPOINT_URL_KMS: viaDockerHost(stack.kmsEndpoint),
  };
  return Object.fromEntries(Object.values(template.functions).map((fn) => [fn.logicalId, { ...fn.environment, ...endpoints }]));
}

function viaDockerHost(endpoint: string): string {
  const url = new URL(endpoint);
  url.hostname = DOCKER_HOST;
  return url.origin;
}

/** Reuses the client (enabling it and restoring its scopes if someone changed them) or creates it. */
async function issueFixturesSecret(registry: ClientRegistry): Promise<IssuedSecret> {
  try {
    const existing = await registry.getClient(FIXTURES_CLIENT.clientId);
    const sameScopes = existing.allowedScopes.length === FIXTURES_CLIENT.scopes.length && FIXTURES_CLIENT.scopes.every((scope) => existing.allowedScopes.includes(scope));
    if (sameScopes && existing.canIntrospect === FIXTURES_CLIENT.canIntrospect) {
      if (existing.status !== 'active') await registry.enableClient(FIXTURES_CLIENT.clientId);
      return await registry.resetSecrets(FIXTURES_CLIENT.clientId);
    }
    await registry.deleteClient(FIXTURES_CLIENT.clientId);
    const issued = await registry.createClient({ ...FIXTURES_CLIENT, scopes: [...FIXTURES_CLIENT.scopes] });
    await untilNewTokensWork();
    return issued;
  } catch (error) {
    if (!(error instanceof ClientNotFound)) throw error;
  }
  return registry.createClient({ ...FIXTURES_CLIENT, scopes: [...FIXTURES_CLIENT.scopes] });
}

/**
 * The fixtures key client gets a new P-256 key (only its public half is stored) and one assertion made
 * with it: single use, valid for the longest the token endpoint accepts.
 */
async function issueFixturesAssertion(registry: ClientRegistry, issuer: string, now: Date): Promise<string> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = derivedKid(publicKey);
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid }] };
  try {
    await registry.deleteClient(FIXTURES_KEY_CLIENT.clientId);
  } catch (error) {
    if (!(error instanceof ClientNotFound)) throw error;
  }
  await registry.createKeyClient({ ...FIXTURES_KEY_CLIENT, claims: { ...FIXTURES_KEY_CLIENT.claims }, jwks });
  return makeClientAssertion({
    key: privateKey,
    kid,
    alg: 'ES256',
    clientId: FIXTURES_KEY_CLIENT.clientId,
    audience: issuer,
    now,
    lifetimeSeconds: MAX_ASSERTION_LIFETIME_SECONDS,
  }).clientAssertion;
}

async function requestToken(tokenEndpoint: string, clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { authorization: basic(clientId, clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; error?: unknown };
  if (response.status !== 200 || typeof body.access_token !== 'string') {
    throw new TokenRequestFailed(`${tokenEndpoint} answered ${response.status} ${JSON.stringify(body.error ?? '')} for ${clientId}`);
  }
  return body.access_token;
}
