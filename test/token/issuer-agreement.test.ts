import { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { makeAccessTokenVerifier } from '#shared/access-token/access-token-verifier.js';
import { makeDiscoveryApi } from '../../functions/discovery/discovery-api.js';
import { tokenEndpoint } from '../../functions/token/token-endpoint.js';
import { API_ID, basic, CUSTOM_DOMAIN, form, lambdaContext, STAGE, tokenEvent } from './support/proxy-events.js';
import { memoryClientStore, NOW, PRODUCTS, registeredClient } from './support/registered-clients.js';
import { rsaTestSigner } from './support/rsa-signer.js';

/**
 * With ISSUER empty, three functions derive the issuer on their own: the token function (iss), the
 * discovery function (RFC 8414 issuer) and the authorizer (the iss it requires, RFC 9068 §4). They must
 * agree for every way a caller reaches the stage — its execute-api domain or a custom domain — or every
 * token is refused.
 */
const signer = rsaTestSigner();
const alice = registeredClient({ clientId: 'alice' });

async function issuedVia(region: string, domainName: string | undefined) {
  const endpoint = tokenEndpoint({
    config: { clientsTable: 'clients', signingKeyId: 'test-key', maxTokenLifetimeSeconds: 3600, issuer: undefined, clientAssertionsTable: undefined, clockSkewSeconds: 30, region },
    logger: new Logger({ logLevel: 'SILENT' }),
    clock: () => NOW,
    clients: memoryClientStore(alice.client),
    signer,
  });
  const event = tokenEvent({ headers: { Authorization: basic('alice', alice.secret) }, body: form({ grant_type: 'client_credentials' }), ...(domainName !== undefined && { customDomain: domainName }) });
  const response = await endpoint(event, lambdaContext());
  expect(response.statusCode).toBe(200);
  return { token: (JSON.parse(response.body) as { access_token: string }).access_token, event };
}

async function discoveredIssuer(region: string, requestContext: APIGatewayProxyEvent['requestContext']): Promise<unknown> {
  const discovery = makeDiscoveryApi({ loadKeys: async () => [], issuer: undefined, region, scopesSupported: ['products:read'], logger: { error: () => undefined } });
  const event = { resource: '/.well-known/oauth-authorization-server', path: '/.well-known/oauth-authorization-server', httpMethod: 'GET', headers: { Host: requestContext.domainName }, requestContext };
  return (JSON.parse((await discovery(event as unknown as APIGatewayProxyEvent)).body) as { issuer: unknown }).issuer;
}

describe.each([
  ['eu-west-1', 'aws'],
  ['cn-north-1', 'aws-cn'],
])('one issuer in %s without ISSUER', (region, partition) => {
  const methodArn = `arn:${partition}:execute-api:${region}:123456789012:${API_ID}/${STAGE}/GET/products`;
  const verifier = makeAccessTokenVerifier({
    keys: [{ kid: signer.thumbprint, publicKey: signer.publicKey }],
    issuer: undefined,
    audience: PRODUCTS,
    clockSkewSeconds: 0,
    clock: () => NOW,
  });

  it.each([
    ['the execute-api domain', undefined],
    ['a custom domain (Host and requestContext.domainName name it)', CUSTOM_DOMAIN],
  ])('the authorizer accepts a token issued through %s, and discovery names the same issuer', async (_, domainName) => {
    const { token, event } = await issuedVia(region, domainName);
    if (domainName !== undefined) expect([event.headers.Host, event.requestContext.domainName]).toEqual([domainName, domainName]);
    const verified = await verifier(token, methodArn);
    expect(verified).toMatchObject({ clientId: 'alice' });
    const iss = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { iss: string }).iss;
    expect(iss).toMatch(new RegExp(`^https://${API_ID}\\.execute-api\\.${region}\\.amazonaws\\.com(\\.cn)?/${STAGE}$`));
    expect(await discoveredIssuer(region, event.requestContext)).toBe(iss);
  });
});
