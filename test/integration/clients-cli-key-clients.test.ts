import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { clientKeyPair, jwksOf } from '../support/client-assertions.js';
import { expectOAuthError, expectTokenResponse } from '../support/oauth-responses.js';
import { runNpmScript } from '../support/project-process.js';
import { testStack } from '../support/stack-clients.js';
import { JWT_BEARER_ASSERTION_TYPE } from '#shared/client-auth/client-credentials.js';

/**
 * `npm run clients` for private_key_jwt clients against the running stack: create with --jwks, show the
 * method and key ids, print assertions with `assertion` (the curl / Postman path), rotate with set-keys,
 * and per-client claims with --claim / set-claims.
 */
const SLOW = 120_000;
let dir: string;
let stackFile: string;

const cli = async (args: string[]) => runNpmScript('clients', [...args, '--stack-file', stackFile]);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'key-clients-'));
  stackFile = join(testStack().dataDir, 'stack.json');
});

async function writeJson(name: string, value: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(value));
  return file;
}

function postAssertion(assertion: string): Promise<Response> {
  return fetch(testStack().tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_assertion: assertion }),
  });
}

describe('npm run clients for private_key_jwt clients', () => {
  it(
    'creates a key client, prints assertions that get tokens once each, and rotates its keys',
    async () => {
      const first = clientKeyPair('ES256');
      const second = clientKeyPair('PS256');
      const jwks = await writeJson('jwks.json', jwksOf(first));
      // The private key as a client holds it: a PEM file for one, a JWK (with d) for the other.
      const firstKey = join(dir, 'first.pem');
      await writeFile(firstKey, first.privateKey.export({ format: 'pem', type: 'pkcs8' }));
      const secondKey = await writeJson('second.jwk', { ...second.privateKey.export({ format: 'jwk' }), kid: second.kid });

      const created = await cli(['create', '--json', '--name', 'cli key client', '--scopes', 'products:read', '--auth-method', 'private_key_jwt', '--jwks', jwks, '--claim', 'tenant=acme']);
      expect(created.code, created.stderr).toBe(0);
      const view = JSON.parse(created.stdout) as { clientId: string; authMethod: string; keys: { kid: string }[]; secrets: unknown[]; claims: unknown };
      expect(view).toMatchObject({ authMethod: 'private_key_jwt', keys: [{ kid: first.kid, kty: 'EC' }], secrets: [], claims: { tenant: 'acme' } });
      expect(created.stdout).not.toMatch(/client_secret/);
      const { clientId } = view;

      const shown = await cli(['show', clientId]);
      expect(shown.stdout).toMatch(/auth method: +private_key_jwt/);
      expect(shown.stdout).toContain(`    ${first.kid}  EC`);
      expect(shown.stdout).toContain('    tenant = "acme"');
      expect(shown.stderr).toBe('');

      const assertion = (await cli(['assertion', clientId, '--key', firstKey])).stdout.trim();
      const token = await expectTokenResponse(await postAssertion(assertion));
      expect(JSON.parse(Buffer.from(token.access_token.split('.')[1]!, 'base64url').toString())).toMatchObject({ client_id: clientId, tenant: 'acme' });
      await expectOAuthError(await postAssertion(assertion), 401, 'invalid_client');

      const notRegistered = await cli(['assertion', clientId, '--key', secondKey]);
      expect(notRegistered.code).toBe(2);
      expect(notRegistered.stderr).toMatch(/is not one of the keys of client/);

      const both = await cli(['set-keys', clientId, '--jwks', await writeJson('both.json', jwksOf(first, second))]);
      expect(both.code, both.stderr).toBe(0);
      await expectTokenResponse(await postAssertion((await cli(['assertion', clientId, '--key', firstKey])).stdout.trim()));
      const json = JSON.parse((await cli(['assertion', clientId, '--key', secondKey, '--alg', 'PS256', '--json'])).stdout) as Record<string, unknown>;
      expect(json).toMatchObject({ client_assertion_type: JWT_BEARER_ASSERTION_TYPE, client_id: clientId, aud: testStack().issuer, kid: second.kid, alg: 'PS256' });
      await expectTokenResponse(await postAssertion(json.client_assertion as string));
    },
    SLOW,
  );

  it(
    'refuses private keys, reserved claim names, and secret commands for a key client',
    async () => {
      const pair = clientKeyPair('RS256');
      const privateJwks = await writeJson('private.json', { keys: [{ ...pair.privateKey.export({ format: 'jwk' }), kid: 'k' }] });
      const refusedKeys = await cli(['create', '--name', 'n', '--scopes', 'products:read', '--auth-method', 'private_key_jwt', '--jwks', privateJwks]);
      expect(refusedKeys.code).toBe(2);
      expect(refusedKeys.stderr).toMatch(/--jwks: keys\[0\]: holds private key material \(d, p, q, dp, dq, qi\)/);

      const reserved = await cli(['create', '--name', 'n', '--scopes', 'products:read', '--claim', 'sub=someone-else', '--claim', 'x-team=a']);
      expect(reserved.code).toBe(2);
      expect(reserved.stderr).toMatch(/--claim: "sub" is a reserved claim name/);
      expect(reserved.stderr).toMatch(/"x-team" is not a valid claim name/);

      const created = await cli(['create', '--json', '--name', 'n', '--scopes', 'products:read', '--auth-method', 'private_key_jwt', '--jwks', await writeJson('ok.json', jwksOf(pair))]);
      const { clientId } = JSON.parse(created.stdout) as { clientId: string };
      const rotate = await cli(['rotate-secret', clientId]);
      expect(rotate.code).toBe(1);
      expect(rotate.stderr).toMatch(/authenticates with private_key_jwt, so it has no secrets/);

      const claims = await cli(['set-claims', clientId, '--claim', 'team=payments']);
      expect(claims.code, claims.stderr).toBe(0);
      expect(claims.stdout).toContain('team = "payments"');
      const cleared = await cli(['set-claims', clientId, '--clear']);
      expect(cleared.stdout).not.toContain('claims:');
    },
    SLOW,
  );
});
