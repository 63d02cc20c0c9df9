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

describe('parseCliArgs for key clients and claims', () => {
  it('reads create with --auth-method private_key_jwt, --jwks and repeated --claim (values may hold "=")', () => {
    const { command } = parseCliArgs([
      'create', '--name', 'N', '--scopes', 'a', '--auth-method', 'private_key_jwt', '--jwks', 'keys.json', '--claim', 'tenant=acme', '--claim', 'query=a=b',
    ]);
    expect(command).toEqual({
      name: 'create',
      input: { name: 'N', scopes: ['a'], authMethod: 'private_key_jwt', jwksFile: 'keys.json', claims: { tenant: 'acme', query: 'a=b' } },
    });
  });

  it.each([
    [['create', '--name', 'N', '--scopes', 'a', '--auth-method', 'private_key_jwt'], /needs --jwks FILE/],
    [['create', '--name', 'N', '--scopes', 'a', '--jwks', 'k.json'], /--jwks applies only with --auth-method private_key_jwt/],
    [['create', '--name', 'N', '--scopes', 'a', '--auth-method', 'tls_client_auth'], /--auth-method must be one of/],
    [['create', '--name', 'N', '--scopes', 'a', '--claim', 'tenant'], /--claim expects NAME=VALUE, got "tenant"/],
    [['create', '--name', 'N', '--scopes', 'a', '--claim', 't=1', '--claim', 't=2'], /--claim t is given more than once/],
    [['set-keys', 'id'], /set-keys needs --jwks FILE/],
    [['set-claims', 'id'], /--clear to remove them all/],
    [['set-claims', 'id', '--clear', '--claim', 'a=b'], /not both/],
    [['assertion', 'id'], /assertion needs --key FILE/],
    [['assertion', 'id', '--key', 'k.pem', '--alg', 'HS256'], /--alg must be RS256, PS256 or ES256/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });

  it('reads set-keys, set-claims (--clear is an empty set) and assertion', () => {
    expect(parseCliArgs(['set-keys', 'id', '--jwks', 'k.json']).command).toEqual({ name: 'set-keys', clientId: 'id', jwksFile: 'k.json' });
    expect(parseCliArgs(['set-claims', 'id', '--clear']).command).toEqual({ name: 'set-claims', clientId: 'id', claims: {} });
    expect(parseCliArgs(['assertion', 'id', '--key', 'k.pem', '--aud', 'https://as.example', '--alg', 'PS256']).command).toEqual({
      name: 'assertion',
      clientId: 'id',
      keyFile: 'k.pem',
      audience: 'https://as.example',
      alg: 'PS256',
    });
  });
});
