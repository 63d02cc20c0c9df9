// The peer for the token endpoint benchmark: node-oidc-provider's client_credentials grant, configured to
// issue what this project issues — RFC 9068 JWT access tokens (typ at+jwt), RS256 with a 2048-bit RSA
// key, for one resource (RFC 8707) — to a client authenticating with client_secret_basic. Its in-memory
// adapter; one process. Bench-only: nothing here is part of the product.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { reportStartFailure, serveParent } from '../lib/child-server.js';

const AUDIENCE = 'urn:oauth-cc:products';
const SCOPES = 'products:read products:write';

try {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' };
  const client = { clientId: 'bench-client', clientSecret: randomBytes(32).toString('base64url') };

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: SCOPES,
      },
    ],
    jwks: { keys: [signingKey] },
    scopes: SCOPES.split(' '),
    ttl: { ClientCredentials: 3600 },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: SCOPES,
          audience: AUDIENCE,
          accessTokenTTL: 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  server.on('request', provider.callback());
  serveParent({ issuer, tokenEndpoint: `${issuer}/token`, ...client }, {}, () => new Promise<void>((resolve) => server.close(() => resolve())));
} catch (error) {
  reportStartFailure(error);
}
