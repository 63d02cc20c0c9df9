import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ConnectionError,
  LocalStackNotRunning,
  resolveConnection,
  type ConnectionContext,
} from '../../scripts/clients/connection.js';
import { StackOutputsUnavailable, type StackOutputsSource } from '../../scripts/clients/stack-outputs.js';
import { readSamconfigStackName, samconfigStackName } from '../../scripts/samconfig/deploy-target.js';

const STACK = { region: 'eu-west-1', dynamodbEndpoint: 'http://127.0.0.1:4567', clientsTable: 'clients-local', revocationsTable: 'revocations-local', audience: 'urn:local:api' };

let root: string;
let context: ConnectionContext;
const noOutputs: StackOutputsSource = {
  read: async () => {
    throw new Error('not expected');
  },
};

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'clients-connection-'));
  context = { projectRoot: root, env: {}, stackOutputs: noOutputs };
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('local stack', () => {
  it('reads .local/stack.json under the project root, with emulator credentials', async () => {
    await writeFile(join(root, 'stack.json'), JSON.stringify({ ...STACK, pid: 1 }));
    const connection = await resolveConnection({ kind: 'local', stackFile: 'stack.json' }, context);
    expect(connection).toMatchObject({
      tableName: 'clients-local',
      dynamodb: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:4567', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
      defaults: { audience: 'urn:local:api' },
      local: true,
    });
  });

  it('takes the file from OAUTH_STACK_FILE, --stack-file winning over it', async () => {
    const file = join(root, 'elsewhere.json');
    await writeFile(file, JSON.stringify(STACK));
    await expect(resolveConnection({ kind: 'local' }, { ...context, env: { OAUTH_STACK_FILE: file } })).resolves.toMatchObject({ tableName: 'clients-local' });
    await expect(resolveConnection({ kind: 'local', stackFile: join(root, 'missing.json') }, { ...context, env: { OAUTH_STACK_FILE: file } })).rejects.toBeInstanceOf(
      LocalStackNotRunning,
    );
  });

  it('says the local stack is not running when there is no stack file', async () => {
    await expect(resolveConnection({ kind: 'local' }, context)).rejects.toThrow(
      `local stack not running: run npm start (no ${join(root, '.local', 'stack.json')})`,
    );
  });

  it('rejects a stack file that is not JSON, or lacks what the tool needs', async () => {
    await writeFile(join(root, 'broken.json'), '{');
    await expect(resolveConnection({ kind: 'local', stackFile: 'broken.json' }, context)).rejects.toThrow(/broken.json is not valid JSON/);
    await writeFile(join(root, 'partial.json'), JSON.stringify({ ...STACK, dynamodbEndpoint: undefined }));
    await expect(resolveConnection({ kind: 'local', stackFile: 'partial.json' }, context)).rejects.toSatisfy(
      (error) => error instanceof ConnectionError && /dynamodbEndpoint/.test(error.message),
    );
  });
});

describe('deployed stack (--aws)', () => {
  it('uses --table directly, with the default credential chain and no stack defaults', async () => {
    const connection = await resolveConnection({ kind: 'aws', table: 'prod-clients', region: 'us-west-2' }, context);
    expect(connection).toEqual({ tableName: 'prod-clients', dynamodb: { region: 'us-west-2' }, defaults: {}, description: 'table prod-clients', local: false });
  });

  it('reads table, audience and lifetime from the outputs of the samconfig.toml stack', async () => {
    await writeFile(join(root, 'samconfig.toml'), '[default.global.parameters]\nstack_name = "oauth-cc"\n');
    const read = vi.fn(async () => ({ ClientsTableName: 'oauth-cc-ClientsTable-1', DefaultAudience: 'urn:prod:api', DefaultTokenLifetimeSeconds: '1200' }));
    const connection = await resolveConnection({ kind: 'aws' }, { ...context, stackOutputs: { read } });
    expect(read).toHaveBeenCalledWith('oauth-cc', undefined);
    expect(connection).toMatchObject({ tableName: 'oauth-cc-ClientsTable-1', defaults: { audience: 'urn:prod:api', tokenLifetimeSeconds: 1200 } });
  });

  it('takes the region samconfig.toml deploys to when neither --region nor AWS_REGION gives one', async () => {
    await writeFile(join(root, 'samconfig.toml'), '[default.global.parameters]\nstack_name = "oauth-cc"\n\n[default.deploy.parameters]\nregion = "eu-central-1"\n');
    const read = vi.fn(async () => ({ ClientsTableName: 'oauth-cc-ClientsTable-1' }));
    const connection = await resolveConnection({ kind: 'aws' }, { ...context, stackOutputs: { read } });
    expect(read).toHaveBeenCalledWith('oauth-cc', 'eu-central-1');
    expect(connection.dynamodb).toEqual({ region: 'eu-central-1' });

    const fromEnv = await resolveConnection({ kind: 'aws' }, { ...context, env: { AWS_REGION: 'ap-south-1' }, stackOutputs: { read } });
    expect(fromEnv.dynamodb).toEqual({});
    const fromFlag = await resolveConnection({ kind: 'aws', region: 'us-west-2', table: 't' }, context);
    expect(fromFlag.dynamodb).toEqual({ region: 'us-west-2' });
  });

  it('fails clearly when the outputs cannot be read or lack the table', async () => {
    const unavailable: StackOutputsSource = {
      read: async () => {
        throw new StackOutputsUnavailable('reading stack outputs needs @aws-sdk/client-cloudformation');
      },
    };
    await expect(resolveConnection({ kind: 'aws', stackName: 's' }, { ...context, stackOutputs: unavailable })).rejects.toSatisfy(
      (error) => error instanceof ConnectionError && /client-cloudformation/.test(error.message),
    );
    const empty: StackOutputsSource = { read: async () => ({}) };
    await expect(resolveConnection({ kind: 'aws', stackName: 's' }, { ...context, stackOutputs: empty })).rejects.toThrow(/no ClientsTableName output/);
    await expect(resolveConnection({ kind: 'aws' }, context)).rejects.toThrow(/no stack name/);
  });
});

describe('readSamconfigStackName', () => {
  it('takes stack_name from the default environment only', () => {
    const toml = [
      'version = 0.1',
      '[prod.global.parameters]',
      'stack_name = "prod-stack"',
      '[default.global.parameters]',
      'stack_name = "oauth-cc" # the name sam deploy uses',
    ].join('\n');
    expect(readSamconfigStackName(toml)).toBe('oauth-cc');
    expect(readSamconfigStackName('[default.deploy.parameters]\nregion = "us-east-1"\n')).toBeUndefined();
  });

  it("finds this project's stack name", async () => {
    expect(await samconfigStackName(new URL('../..', import.meta.url).pathname)).toBe('oauth-cc');
  });
});
