import * as oauth from 'oauth4webapi';
import * as openid from 'openid-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessTokenFor, createTestClient, testStack, type TestClient } from '../support/stack-clients.js';

/**
 * Revocation (RFC 7009) and introspection (RFC 7662) as two independent client libraries do them, from the
 * discovery metadata (RFC 8414) onwards, against the local stack. The local issuer is plain http, which both
 * libraries refuse unless told otherwise.
 */
let resourceServer: TestClient;
let caller: TestClient;

beforeAll(async () => {
  [resourceServer, caller] = await Promise.all([
    createTestClient({ name: 'independent introspector', scopes: ['products:read'], canIntrospect: true }),
    createTestClient({ name: 'independent caller', scopes: ['products:read'] }),
  ]);
});

const productsStatus = async (token: string) => (await fetch(`${testStack().apiUrl}/products?limit=1`, { headers: { authorization: `Bearer ${token}` } })).status;

describe('oauth4webapi', () => {
  const insecure = { [oauth.allowInsecureRequests]: true };
  let as: oauth.AuthorizationServer;

  beforeAll(async () => {
    const issuer = new URL(testStack().issuer);
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  });

  it('introspects a live token, then revokes it with revocationRequest, and introspection says inactive', async () => {
    const token = await accessTokenFor(caller);
    const rs = { client_id: resourceServer.clientId };
    const rsAuth = oauth.ClientSecretBasic(resourceServer.clientSecret);
    const live = await oauth.processIntrospectionResponse(as, rs, await oauth.introspectionRequest(as, rs, rsAuth, token, insecure));
    expect(live).toMatchObject({ active: true, client_id: caller.clientId, scope: 'products:read', token_type: 'Bearer' });

    const owner = { client_id: caller.clientId };
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, owner, oauth.ClientSecretPost(caller.clientSecret), token, insecure));
    const revoked = await oauth.processIntrospectionResponse(as, rs, await oauth.introspectionRequest(as, rs, rsAuth, token, insecure));
    expect(revoked).toEqual({ active: false });
    expect(await productsStatus(token)).toBe(401);
  });
});

describe('openid-client', () => {
  const configFor = (client: TestClient) =>
    openid.discovery(new URL(testStack().issuer), client.clientId, client.clientSecret, openid.ClientSecretBasic(client.clientSecret), {
      algorithm: 'oauth2',
      execute: [openid.allowInsecureRequests],
    });

  it('gets a token with clientCredentialsGrant, introspects it, revokes it with tokenRevocation', async () => {
    const [callerConfig, rsConfig] = await Promise.all([configFor(caller), configFor(resourceServer)]);
    const { access_token: token } = await openid.clientCredentialsGrant(callerConfig, { scope: 'products:read' });
    expect(await openid.tokenIntrospection(rsConfig, token)).toMatchObject({ active: true, client_id: caller.clientId });
    await openid.tokenRevocation(callerConfig, token);
    expect(await openid.tokenIntrospection(rsConfig, token)).toEqual({ active: false });
    expect(await productsStatus(token)).toBe(401);
  });
});
