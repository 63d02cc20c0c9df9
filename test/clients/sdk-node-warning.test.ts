import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findFreePort } from '../../local/net/free-port.js';
import { PROJECT_ROOT } from '../support/project-process.js';

/**
 * The AWS SDK warns on every process that Node < 22 will lose support; the functions run on nodejs22.x, so
 * for the project's own scripts on a developer's Node 20 it is noise on every run. Each entry point that builds
 * an SDK client runs here with the variable that silences it removed from its environment, against an endpoint
 * that refuses connections (so it fails fast, after the client has been built). On Node 22+ the SDK never warns.
 */
async function run(script: string, args: string[], env: Record<string, string>): Promise<string> {
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    ...env,
  };
  delete childEnv.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: PROJECT_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? reject(new Error(`expected a connection failure:\n${output}`)) : resolve(output)));
  });
}

describe('AWS SDK Node-version warning', () => {
  it('is not printed by npm run clients', { timeout: 60_000 }, async () => {
    const closed = `http://127.0.0.1:${await findFreePort()}`;
    const output = await run('scripts/clients.ts', ['list', '--aws', '--table', 'clients', '--region', 'eu-west-1'], { AWS_ENDPOINT_URL_DYNAMODB: closed });
    expect(output).toContain('clients');
    expect(output).not.toContain('NodeVersionSupportWarning');
  });

  it('is not printed by npm run after-deploy', { timeout: 60_000 }, async () => {
    const closed = `http://127.0.0.1:${await findFreePort()}`;
    const output = await run('scripts/after-deploy.ts', ['--stack-name', 'shop-auth', '--region', 'eu-west-1'], { AWS_ENDPOINT_URL_CLOUDFORMATION: closed });
    expect(output).toContain('shop-auth');
    expect(output).not.toContain('NodeVersionSupportWarning');
  });
});
