import { webcrypto } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import * as client from 'openid-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { stackRegistry, testStack } from '../support/stack-clients.js';

/**
 * Interoperability: two widely used client libraries authenticate with private_key_jwt against the
 * running stack, discovering the token endpoint and the supported methods from its metadata (RFC 8414).
 * Both sign with WebCrypto keys and put what they choose in aud, iat, jti; the server must accept that.
 * The local stack serves plain HTTP, which both refuse unless told otherwise.
 */
type Algorithm = 'RS256' | 'PS256' | 'ES256';

const KEY_PARAMETERS: Record<Algorithm, webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams> = {
  RS256: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
  PS256: { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
};

/** A key pair made as these libraries expect, and a private_key_jwt client registered with its public half. */
async function keyClient(alg: Algorithm): Promise<{ clientId: string; privateKey: oauth.CryptoKey; kid: string }> {
  const { privateKey, publicKey } = (await webcrypto.subtle.generateKey(KEY_PARAMETERS[alg], true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const kid = `${alg.toLowerCase()}-${crypto.randomUUID()}`;
  const jwk = { ...(await webcrypto.subtle.exportKey('jwk', publicKey)), kid };
  delete jwk.key_ops;
  delete jwk.ext;
  const registered = await stackRegistry().createKeyClient({
    name: `${alg} library client`,
    scopes: ['products:read'],
    jwks: { keys: [jwk] },
    claims: { library: 'yes' },
  });
  return { clientId: registered.clientId, privateKey: privateKey as oauth.CryptoKey, kid };
}

function claimsOf(accessToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function productsStatus(accessToken: string): Promise<number> {
  return (await fetch(`${testStack().apiUrl}/products`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
}

describe('openid-client PrivateKeyJwt', () => {
  it.each(['RS256', 'PS256', 'ES256'] as const)('obtains a token with an %s key through discovery', async (alg) => {
    const { clientId, privateKey, kid } = await keyClient(alg);
    const config = await client.discovery(new URL(testStack().issuer), clientId, { token_endpoint_auth_method: 'private_key_jwt' }, client.PrivateKeyJwt({ key: privateKey, kid }), {
      execute: [client.allowInsecureRequests],
    });
    expect(config.serverMetadata().token_endpoint_auth_methods_supported).toContain('private_key_jwt');

    const tokens = await client.clientCredentialsGrant(config, { scope: 'products:read' });
    expect(tokens.token_type).toBe('bearer');
    expect(claimsOf(tokens.access_token)).toMatchObject({ client_id: clientId, scope: 'products:read', library: 'yes' });
    expect(await productsStatus(tokens.access_token)).toBe(200);

    // A second grant signs a new assertion (new jti); each is single use, so this proves a fresh one works too.
    await expect(client.clientCredentialsGrant(config)).resolves.toMatchObject({ scope: 'products:read' });
  });
});

describe('oauth4webapi PrivateKeyJwt', () => {
  let as: oauth.AuthorizationServer;

  beforeAll(async () => {
    const issuer = new URL(testStack().issuer);
    const response = await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true });
    as = await oauth.processDiscoveryResponse(issuer, response);
  });

  it('reads the signing algorithms from the metadata', () => {
    expect(as.token_endpoint_auth_signing_alg_values_supported).toEqual(['RS256', 'PS256', 'ES256']);
  });

  it.each(['RS256', 'PS256', 'ES256'] as const)('obtains a token with an %s key', async (alg) => {
    const { clientId, privateKey, kid } = await keyClient(alg);
    const oauthClient: oauth.Client = { client_id: clientId, token_endpoint_auth_method: 'private_key_jwt' };
    const response = await oauth.clientCredentialsGrantRequest(as, oauthClient, oauth.PrivateKeyJwt({ key: privateKey, kid }), { scope: 'products:read' }, {
      [oauth.allowInsecureRequests]: true,
    });
    const tokens = await oauth.processClientCredentialsResponse(as, oauthClient, response);
    expect(claimsOf(tokens.access_token)).toMatchObject({ client_id: clientId, iss: testStack().issuer, library: 'yes' });
    expect(await productsStatus(tokens.access_token)).toBe(200);
  });

  it('is refused, as invalid_client, when it signs with a key the client did not register', async () => {
    const { clientId } = await keyClient('ES256');
    const { privateKey } = (await webcrypto.subtle.generateKey(KEY_PARAMETERS.ES256, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const oauthClient: oauth.Client = { client_id: clientId };
    const response = await oauth.clientCredentialsGrantRequest(as, oauthClient, oauth.PrivateKeyJwt(privateKey as oauth.CryptoKey), {}, { [oauth.allowInsecureRequests]: true });
    await expect(oauth.processClientCredentialsResponse(as, oauthClient, response)).rejects.toMatchObject({
      name: 'ResponseBodyError',
      error: 'invalid_client',
      status: 401,
    });
  });
});
