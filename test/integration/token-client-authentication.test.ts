import { describe, expect, it } from 'vitest';
import { generateClientSecret, generateSecretId, hashClientSecret } from '#shared/clients/client-secrets.js';
import type { RegisteredClient } from '#shared/clients/registered-client.js';
import { waitFor } from '../support/project-process.js';
import {
  AUTH_METHODS,
  BASIC_CHALLENGE,
  challengeOf,
  expectOAuthError,
  expectTokenResponse,
  postToTokenEndpoint,
  tokenRequest,
} from '../support/oauth-responses.js';
import { clientRegistryFor, clientRepositoryFor, createTestClient, stackRegistry, testStack } from '../support/stack-clients.js';

/** RFC 6749 §2.3.1 client authentication against the running stack: who gets a token, and who does not. */

/** application/x-www-form-urlencoded, as RFC 6749 §2.3.1 asks for each half of the Basic credentials. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice('v='.length);
}

function basicHeader(userPass: string): Record<string, string> {
  return { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}` };
}

const grant = 'grant_type=client_credentials';

/**
 * A client stored as another provisioning tool might have written it: the registry only hands out ids of
 * RFC 3986 unreserved characters, but the token endpoint authenticates whatever id the table holds.
 */
async function storeClientWithId(clientId: string): Promise<string> {
  const clientSecret = generateClientSecret();
  const now = new Date().toISOString();
  const client: RegisteredClient = {
    clientId,
    name: 'externally provisioned client',
    status: 'active',
    allowedScopes: ['products:read'],
    defaultScopes: ['products:read'],
    allowedAudiences: [testStack().audience],
    defaultAudience: testStack().audience,
    tokenLifetimeSeconds: 600,
    secrets: [{ secretId: generateSecretId(), hash: hashClientSecret(clientSecret), createdAt: now }],
    createdAt: now,
    updatedAt: now,
  };
  await clientRepositoryFor(testStack()).create(client);
  return clientSecret;
}

describe('Basic credentials are form-urlencoded before base64 (RFC 6749 §2.3.1)', () => {
  it('authenticates a registry client whose id the form encoding changes (~ becomes %7E)', async () => {
    const { clientId, clientSecret } = await createTestClient({ clientId: `svc~${crypto.randomUUID()}.ops_1-a` });
    expect(formEncode(clientId)).not.toBe(clientId);
    await expectTokenResponse(await postToTokenEndpoint(grant, basicHeader(`${formEncode(clientId)}:${formEncode(clientSecret)}`)));
    // '~' decodes to itself, so the unencoded form names the same client.
    await expectTokenResponse(await postToTokenEndpoint(grant, basicHeader(`${clientId}:${clientSecret}`)));
  });

  it('authenticates an id with + % : space and non-ASCII characters only in its encoded form', async () => {
    const clientId = `ops+team%2F:${crypto.randomUUID()} \u00e9`;
    const clientSecret = await storeClientWithId(clientId);
    const response = await postToTokenEndpoint(grant, basicHeader(`${formEncode(clientId)}:${formEncode(clientSecret)}`));
    const token = await expectTokenResponse(response);
    const claims = JSON.parse(Buffer.from(token.access_token.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string; client_id: string };
    expect(claims).toMatchObject({ sub: clientId, client_id: clientId });
    // client_secret_post carries the same id form-encoded in the body.
    await expectTokenResponse(await tokenRequest('client_secret_post', { clientId, clientSecret }));
  });

  it('does not authenticate the raw form of an id with + (decoded, + is a space)', async () => {
    const clientId = `svc+${crypto.randomUUID()}`;
    const clientSecret = await storeClientWithId(clientId);
    await expectTokenResponse(await postToTokenEndpoint(grant, basicHeader(`${formEncode(clientId)}:${clientSecret}`)));
    const raw = await postToTokenEndpoint(grant, basicHeader(`${clientId}:${clientSecret}`));
    await expectOAuthError(raw, 401, 'invalid_client');
    expect(challengeOf(raw)).toMatch(BASIC_CHALLENGE);
  });

  it('does not authenticate the raw form of an id with % (decoded, %41 is A; %zz is malformed)', async () => {
    const suffix = crypto.randomUUID();
    const escapeLike = `svc%41${suffix}`;
    const escapeLikeSecret = await storeClientWithId(escapeLike);
    await expectTokenResponse(await postToTokenEndpoint(grant, basicHeader(`${formEncode(escapeLike)}:${escapeLikeSecret}`)));
    await expectOAuthError(await postToTokenEndpoint(grant, basicHeader(`${escapeLike}:${escapeLikeSecret}`)), 401, 'invalid_client');

    const malformed = `svc%zz${suffix}`;
    const malformedSecret = await storeClientWithId(malformed);
    await expectTokenResponse(await postToTokenEndpoint(grant, basicHeader(`${formEncode(malformed)}:${malformedSecret}`)));
    await expectOAuthError(await postToTokenEndpoint(grant, basicHeader(`${malformed}:${malformedSecret}`)), 400, 'invalid_request');
  });
});

describe('client status and secrets', () => {
  it('refuses a disabled client with 401 invalid_client, and serves it again once enabled', async () => {
    const client = await createTestClient();
    for (const method of AUTH_METHODS) await expectTokenResponse(await tokenRequest(method, client));

    await stackRegistry().disableClient(client.clientId);
    for (const method of AUTH_METHODS) {
      const response = await tokenRequest(method, client);
      await expectOAuthError(response, 401, 'invalid_client');
      expect(challengeOf(response) !== null).toBe(method === 'client_secret_basic');
    }

    await stackRegistry().enableClient(client.clientId);
    for (const method of AUTH_METHODS) await expectTokenResponse(await tokenRequest(method, client));
  });

  it('accepts both secrets after a rotation, and only the new one once the old is removed', async () => {
    const client = await createTestClient();
    const rotated = await stackRegistry().rotateSecret(client.clientId);
    const next = { clientId: client.clientId, clientSecret: rotated.clientSecret };
    for (const method of AUTH_METHODS) {
      await expectTokenResponse(await tokenRequest(method, client));
      await expectTokenResponse(await tokenRequest(method, next));
    }

    await stackRegistry().removeSecret(client.clientId, client.issued.secretId);
    for (const method of AUTH_METHODS) {
      await expectOAuthError(await tokenRequest(method, client), 401, 'invalid_client');
      await expectTokenResponse(await tokenRequest(method, next));
    }
  });

  it('refuses a secret whose grace period has ended with 401 invalid_client', async () => {
    const client = await createTestClient();
    // Rotated "an hour ago" with a one-minute grace: the old secret expired 59 minutes ago.
    const anHourAgo = () => new Date(Date.now() - 3_600_000);
    const rotated = await clientRegistryFor(testStack(), anHourAgo).rotateSecret(client.clientId, { expiresInSeconds: 60 });
    const stored = await stackRegistry().getClient(client.clientId);
    expect(Date.parse(stored.secrets.find((secret) => secret.secretId === client.issued.secretId)!.expiresAt!)).toBeLessThan(Date.now());

    for (const method of AUTH_METHODS) {
      await expectOAuthError(await tokenRequest(method, client), 401, 'invalid_client');
      await expectTokenResponse(await tokenRequest(method, { clientId: client.clientId, clientSecret: rotated.clientSecret }));
    }
  });

  it('keeps the old secret working through a short grace period and refuses it once the period ends', async () => {
    const client = await createTestClient();
    await stackRegistry().rotateSecret(client.clientId, { expiresInSeconds: 4 });
    await expectTokenResponse(await tokenRequest('client_secret_basic', client));
    const refusal = await waitFor(
      'the old secret to expire',
      async () => {
        const response = await tokenRequest('client_secret_basic', client);
        return response.status === 200 ? undefined : response;
      },
      15_000,
      250,
    );
    await expectOAuthError(refusal, 401, 'invalid_client');
  });
});
