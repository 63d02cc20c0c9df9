import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readParameterOverrides, SamconfigError, setParameterOverrides } from '../../scripts/keys/samconfig-overrides.js';

const SAMCONFIG = readFileSync(new URL('../../samconfig.toml', import.meta.url), 'utf8');

function changedLines(before: string, after: string): [string, string][] {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b).toHaveLength(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]!] as [string, string]]));
}

describe('samconfig.toml parameter_overrides', () => {
  it('reads the key slots of the committed samconfig.toml', () => {
    expect(readParameterOverrides(SAMCONFIG)).toEqual({ StageName: 'v1', KeyAState: 'active', KeyBState: 'absent' });
  });

  it('changes only the slot values, keeping every other line, comment and parameter as written', () => {
    const edited = setParameterOverrides(SAMCONFIG, { KeyAState: 'previous', KeyBState: 'active' });
    expect(changedLines(SAMCONFIG, edited)).toEqual([
      [
        'parameter_overrides = "StageName=\\"v1\\" KeyAState=\\"active\\" KeyBState=\\"absent\\""',
        'parameter_overrides = "StageName=\\"v1\\" KeyAState=\\"previous\\" KeyBState=\\"active\\""',
      ],
    ]);
    expect(readParameterOverrides(edited)).toEqual({ StageName: 'v1', KeyAState: 'previous', KeyBState: 'active' });
    expect(setParameterOverrides(edited, { KeyAState: 'active', KeyBState: 'absent' })).toBe(SAMCONFIG);
  });

  it('keeps values with spaces and quotes, bare values, a trailing comment and CRLF line ends', () => {
    const toml = [
      '[default.deploy.parameters]',
      'parameter_overrides = "ScopesSupported=\\"a:read b:write\\" IssuerUrl=https://id.example.com Note=\\"say \\\\\\"hi\\\\\\"\\"" # mine',
      'region = "eu-west-1"',
      '',
    ].join('\r\n');
    expect(readParameterOverrides(toml)).toEqual({ ScopesSupported: 'a:read b:write', IssuerUrl: 'https://id.example.com', Note: 'say "hi"' });
    const edited = setParameterOverrides(toml, { KeyBState: 'previous' });
    expect(edited.split('\r\n')).toHaveLength(4);
    expect(edited).toMatch(/# mine\r\nregion = "eu-west-1"\r\n$/);
    expect(readParameterOverrides(edited)).toEqual({
      ScopesSupported: 'a:read b:write',
      IssuerUrl: 'https://id.example.com',
      Note: 'say "hi"',
      KeyBState: 'previous',
    });
  });

  it('adds parameter_overrides to the environment section that lacks it, and edits only that environment', () => {
    const toml = '[default.deploy.parameters]\nregion = "eu-west-1"\n\n[prod.deploy.parameters]\nparameter_overrides = "KeyAState=active"\n';
    const edited = setParameterOverrides(toml, { KeyAState: 'active', KeyBState: 'previous' });
    expect(edited).toBe(
      '[default.deploy.parameters]\nregion = "eu-west-1"\nparameter_overrides = "KeyAState=\\"active\\" KeyBState=\\"previous\\""\n\n[prod.deploy.parameters]\nparameter_overrides = "KeyAState=active"\n',
    );
    expect(readParameterOverrides(edited, 'prod')).toEqual({ KeyAState: 'active' });
  });

  it('refuses a samconfig.toml without the deploy section, or with a list it cannot read', () => {
    expect(() => setParameterOverrides('[default.global.parameters]\nstack_name = "x"\n', { KeyAState: 'active' })).toThrow(/sam deploy --guided/);
    expect(() => readParameterOverrides('[default.deploy.parameters]\nparameter_overrides = ["KeyAState=active"]\n')).toThrow(SamconfigError);
  });
});
