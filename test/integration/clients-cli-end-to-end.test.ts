import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runNpmScript } from '../support/project-process.js';
import { expectOAuthError, expectTokenResponse, tokenRequest } from '../support/oauth-responses.js';
import { testStack } from '../support/stack-clients.js';

/**
 * The admin CLI and the token endpoint agree: a client made with `npm run clients` against the running
 * stack's stack.json gets tokens at once, and `disable` stops that. (The CLI's own behaviour is tested in
 * test/clients.)
 */
const SLOW = 90_000;

it(
  'issues tokens to a client created with npm run clients, and stops once it is disabled',
  async () => {
    const stackFile = join(testStack().dataDir, 'stack.json');
    const created = await runNpmScript('clients', ['create', '--json', '--stack-file', stackFile, '--name', 'made by the CLI', '--scopes', 'products:read products:write']);
    expect(created.code, created.stderr).toBe(0);
    const { client_id: clientId, client_secret: clientSecret } = JSON.parse(created.stdout) as { client_id: string; client_secret: string };
    const client = { clientId, clientSecret };

    const issued = await expectTokenResponse(await tokenRequest('client_secret_basic', client));
    expect(issued.scope).toBe('products:read products:write');
    const products = await fetch(`${testStack().apiUrl}/products`, { headers: { authorization: `Bearer ${issued.access_token}` } });
    expect(products.status).toBe(200);

    const disabled = await runNpmScript('clients', ['disable', clientId, '--stack-file', stackFile]);
    expect(disabled.code, disabled.stderr).toBe(0);
    await expectOAuthError(await tokenRequest('client_secret_basic', client), 401, 'invalid_client');
    await expectOAuthError(await tokenRequest('client_secret_post', client), 401, 'invalid_client');
  },
  SLOW,
);
