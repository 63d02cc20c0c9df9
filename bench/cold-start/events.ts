import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeClientRegistry } from '../../shared/clients/client-registry.js';
import { dynamoClientRepository } from '../../shared/clients/dynamo-client-repository.js';
import { dynamoRevocationStore } from '../../shared/revocation/dynamo-revocation-store.js';
import type { RunningLocalStack } from '../../local/stack/local-stack.js';
import type { LoadedTemplate } from '../../local/template/index.js';
import { eventSite, proxyEvent, tokenAuthorizerEvent } from '../../scripts/events/gateway-events.js';
import { basicCredentials, TOKEN_REQUEST_BODY } from '../lib/token-request.js';

interface Credentials {
  clientId: string;
  clientSecret: string;
}

async function issueToken(tokenEndpoint: string, client: Credentials): Promise<{ accessToken: string; scope: string; jti: string; exp: number }> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { authorization: basicCredentials(client.clientId, client.clientSecret), 'content-type': 'application/x-www-form-urlencoded' },
    body: TOKEN_REQUEST_BODY,
  });
  if (response.status !== 200) throw new Error(`cold start: the stack's token endpoint answered ${response.status}`);
  const { access_token: accessToken, scope } = (await response.json()) as { access_token: string; scope: string };
  const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString()) as { jti: string; exp: number };
  return { accessToken, scope, ...claims };
}

/** A resource server allowed to introspect (RFC 7662 §4), registered on the stack as `npm run clients` would. */
async function createIntrospector(stack: RunningLocalStack): Promise<Credentials> {
  const { info } = stack;
  const documentClient = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: info.dynamodbEndpoint, region: info.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  try {
    const registry = makeClientRegistry({
      repository: dynamoClientRepository({ documentClient, tableName: info.clientsTable }),
      revocations: dynamoRevocationStore(documentClient, info.revocationsTable),
      defaults: { audience: info.audience },
    });
    const issued = await registry.createClient({ name: 'cold-start introspector', scopes: ['products:read'], canIntrospect: true });
    return { clientId: issued.client.clientId, clientSecret: issued.clientSecret };
  } finally {
    documentClient.destroy();
  }
}

/**
 * One event per function, each answered with success on every first invocation against the stack: a token
 * request, the authorizer and the products API with a live token, the JWKS, a revocation of the demo
 * client's own token (a second one, so the first stays live for the others; revoking again is the same
 * write) and an introspection of the live token by a client allowed to introspect.
 */
export async function firstInvocationEvents(stack: RunningLocalStack, template: LoadedTemplate): Promise<Record<string, unknown>> {
  const site = eventSite(template, new URL(stack.info.apiUrl).host, new Date());
  const demo = stack.demoClient;
  const [live, toRevoke, introspector] = await Promise.all([
    issueToken(stack.info.tokenEndpoint, demo),
    issueToken(stack.info.tokenEndpoint, demo),
    createIntrospector(stack),
  ]);
  const formPost = (name: string, path: string, client: Credentials, token: string) =>
    proxyEvent(site, name, {
      method: 'POST',
      path,
      headers: [
        ['Authorization', basicCredentials(client.clientId, client.clientSecret)],
        ['Content-Type', 'application/x-www-form-urlencoded'],
      ],
      body: new URLSearchParams({ token }).toString(),
    });
  return {
    TokenFunction: proxyEvent(site, 'cold-token', {
      method: 'POST',
      path: '/oauth2/token',
      headers: [
        ['Authorization', basicCredentials(demo.clientId, demo.clientSecret)],
        ['Content-Type', 'application/x-www-form-urlencoded'],
      ],
      body: TOKEN_REQUEST_BODY,
    }),
    AuthorizerFunction: tokenAuthorizerEvent(site, `Bearer ${live.accessToken}`, 'GET', '/products'),
    ProductsFunction: proxyEvent(site, 'cold-products', {
      method: 'GET',
      path: '/products',
      authorizer: { principalId: demo.clientId, clientId: demo.clientId, scope: live.scope, jti: live.jti, exp: String(live.exp) },
    }),
    DiscoveryFunction: proxyEvent(site, 'cold-jwks', { method: 'GET', path: '/.well-known/jwks.json' }),
    RevocationFunction: formPost('cold-revoke', '/oauth2/revoke', demo, toRevoke.accessToken),
    IntrospectionFunction: formPost('cold-introspect', '/oauth2/introspect', introspector, live.accessToken),
  };
}

/** What a successful first answer looks like: the authorizer allows, the others answer 200 (introspection: active). */
export function succeeded(logicalId: string, result: unknown): boolean {
  if (logicalId === 'AuthorizerFunction') return (result as { policyDocument?: { Statement?: { Effect?: string }[] } }).policyDocument?.Statement?.[0]?.Effect === 'Allow';
  const { statusCode, body } = result as { statusCode?: number; body?: string };
  if (logicalId === 'IntrospectionFunction') return statusCode === 200 && (JSON.parse(body ?? '{}') as { active?: boolean }).active === true;
  return statusCode === 200;
}
