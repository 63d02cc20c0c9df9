import { describe, expect, it } from 'vitest';
import { parseCliArgs, UsageError } from '../../scripts/clients/args.js';

describe('parseCliArgs', () => {
  it('reads create with every option, repeating --audience', () => {
    const request = parseCliArgs([
      'create', '--name', 'Reporting', '--scopes', 'products:read  products:write', '--default-scopes', 'products:read',
      '--audience', 'urn:a', '--audience', 'https://b.example', '--default-audience', 'urn:a', '--ttl', '600', '--json',
    ]);
    expect(request).toEqual({
      command: {
        name: 'create',
        input: {
          name: 'Reporting',
          scopes: ['products:read', 'products:write'],
          defaultScopes: ['products:read'],
          audiences: ['urn:a', 'https://b.example'],
          defaultAudience: 'urn:a',
          ttlSeconds: 600,
        },
      },
      target: { kind: 'local' },
      json: true,
    });
  });

  it('leaves optional create settings out so the stack defaults apply', () => {
    expect(parseCliArgs(['create', '--name', 'N', '--scopes', 'a']).command).toEqual({ name: 'create', input: { name: 'N', scopes: ['a'] } });
  });

  it.each([
    [['show', 'abc'], { name: 'show', clientId: 'abc' }],
    [['disable', 'abc'], { name: 'disable', clientId: 'abc' }],
    [['enable', 'abc'], { name: 'enable', clientId: 'abc' }],
    [['delete', 'abc'], { name: 'delete', clientId: 'abc' }],
    [['list'], { name: 'list' }],
    [['rotate-secret', 'abc'], { name: 'rotate-secret', clientId: 'abc' }],
    [['rotate-secret', 'abc', '--expires-in', '3600'], { name: 'rotate-secret', clientId: 'abc', expiresInSeconds: 3600 }],
    [['remove-secret', 'abc', 's1'], { name: 'remove-secret', clientId: 'abc', secretId: 's1', force: false }],
    [['remove-secret', '--force', 'abc', 's1'], { name: 'remove-secret', clientId: 'abc', secretId: 's1', force: true }],
    [['help'], { name: 'help' }],
    [['--help'], { name: 'help' }],
    [['list', '-h'], { name: 'help' }],
  ])('reads %j', (argv, command) => {
    expect(parseCliArgs(argv).command).toEqual(command);
  });

  it('reads the target options', () => {
    expect(parseCliArgs(['list', '--stack-file', '/tmp/s.json']).target).toEqual({ kind: 'local', stackFile: '/tmp/s.json' });
    expect(parseCliArgs(['list', '--aws']).target).toEqual({ kind: 'aws' });
    expect(parseCliArgs(['list', '--aws', '--table', 'T', '--region', 'eu-west-1']).target).toEqual({ kind: 'aws', table: 'T', region: 'eu-west-1' });
    expect(parseCliArgs(['list', '--aws', '--stack-name', 'S']).target).toEqual({ kind: 'aws', stackName: 'S' });
  });

  it.each([
    [[], /no command/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['list', '--bogus'], /^unknown option --bogus$/],
    [['create', '--name', 'N', '--scope', 'a'], /^unknown option --scope \(did you mean --scopes\?\)$/],
    [['create', '--name', 'N', '--scopes', 'a', '--default-scope', 'a'], /^unknown option --default-scope \(did you mean --default-scopes\?\)$/],
    [['list', '--jsno'], /^unknown option --jsno \(did you mean --json\?\)$/],
    [['list', '--json=yes'], /^--json takes no value$/],
    [['create', '--name'], /^--name needs a value$/],
    [['create', '--name', '--scopes', 'a'], /^--name needs a value, not the option --scopes \(a value starting with - is written --name=--scopes\)$/],
    [['create', '--scopes', 'a'], /needs --name/],
    [['create', '--name', 'N'], /needs --scopes/],
    [['create', '--name', 'N', '--name', 'M', '--scopes', 'a'], /--name may be given only once/],
    [['create', '--name', 'N', '--scopes', 'a', '--ttl', '1h'], /--ttl expects a whole number/],
    [['create', '--name', 'N', '--scopes', 'a', '--ttl', '-5'], /--ttl/],
    [['rotate-secret', 'abc', '--expires-in', '1.5'], /--expires-in expects a whole number/],
    [['list', '--ttl', '5'], /--ttl is not an option of "list"/],
    [['show', 'abc', '--force'], /--force is not an option of "show"/],
    [['show'], /"show" takes ID, got none/],
    [['show', 'a', 'b'], /"show" takes ID, got a b/],
    [['remove-secret', 'abc'], /takes ID SECRET_ID/],
    [['list', 'extra'], /"list" takes no arguments/],
    [['list', '--table', 'T'], /--table applies only with --aws/],
    [['list', '--aws', '--stack-file', 'f'], /cannot be combined with --aws/],
    [['list', '--aws', '--table', 'T', '--stack-name', 'S'], /either --table or --stack-name/],
  ])('rejects %j with a UsageError', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
