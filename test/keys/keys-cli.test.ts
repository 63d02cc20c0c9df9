import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKeysCli } from '../../scripts/keys/run.js';
import { testStack } from '../support/stack-clients.js';

/** `npm run keys` on the running test stack (read-only commands only: other suites sign with its key). */
async function keys(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runKeysCli(argv, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), env }, { projectRoot: '/nonexistent' });
  return { code, stdout, stderr };
}

describe('npm run keys', () => {
  it('prints its usage for help, with exit 0', async () => {
    for (const argv of [['help'], ['--help']]) {
      const run = await keys(argv);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: npm run keys -- <command>');
    }
  });

  it('shows each slot with the kid the JWKS publishes and says what to do next', async () => {
    const stack = testStack();
    const jwks = (await (await fetch(stack.jwksUri)).json()) as { keys: { kid: string }[] };
    const run = await keys(['status', '--stack-file', join(stack.dataDir, 'stack.json')]);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    for (const { kid } of jwks.keys) expect(run.stdout).toContain(`kid ${kid}`);
    expect(run.stdout).toMatch(/^ {2}B {2}absent$/m);
    expect(run.stdout).toContain('Next: npm run keys -- add starts a rotation');
  });

  it('exits 2 when the local stack is not running, pointing at npm start and --aws', async () => {
    const run = await keys(['status', '--stack-file', '/nonexistent/stack.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: no running local stack (/nonexistent/stack.json not found): run npm start first, or pass --aws for the deployed stack.\n');
  });

  it.each([
    [['status', '--stack-fil', 'x'], 'unknown option --stack-fil (did you mean --stack-file?)'],
    [['retire', '--region', 'eu-west-1'], '--stack-name, --region and --config-env apply to the deployed stack: add --aws'],
    [['rotate'], 'unknown command "rotate"'],
    [[], 'which step? status, add, activate or retire'],
  ])('exits 2 with the problem and the usage for %j', async (argv, message) => {
    const run = await keys(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`error: ${message}\n`);
    expect(run.stderr).toContain('Usage: npm run keys');
  });

  it('refuses to act on the local stack when npm kept --aws for itself', async () => {
    const run = await keys(['retire'], { npm_lifecycle_event: 'keys', npm_config_aws: 'true' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: npm kept --aws for itself, so this script never saw it: put -- between the script name and its arguments');
  });
});
