import { describe, expect, it } from 'vitest';
import {
  applyEnvironmentOverrides,
  InvalidEnvironmentOverridesError,
  parseEnvironmentOverrides,
  parseTemplate,
  resolveTemplate,
} from '../../local/template/index.js';

const template = resolveTemplate(
  parseTemplate(
    `
Resources:
  One:
    Type: AWS::Serverless::Function
    Properties:
      Handler: one.handler
      FunctionName: one-function
      Environment:
        Variables: { TABLE: t1, STAGE: dev, EMPTY: "" }
  Two:
    Type: AWS::Serverless::Function
    Properties:
      Handler: two.handler
      Environment:
        Variables: { TABLE: t2 }
`,
    '/tmp/template.yaml',
  ),
);

const environments = (overrides: unknown) =>
  Object.fromEntries(
    Object.entries(applyEnvironmentOverrides(template, parseEnvironmentOverrides(overrides, 'env.json')).functions).map(([id, fn]) => [id, fn.environment]),
  );

describe('sam --env-vars semantics', () => {
  it('applies Parameters to every function and a function entry over Parameters', () => {
    expect(environments({ Parameters: { TABLE: 'shared', STAGE: 'local' }, Two: { TABLE: 'mine' } })).toEqual({
      One: { TABLE: 'shared', STAGE: 'local', EMPTY: '' },
      Two: { TABLE: 'mine' },
    });
  });

  it('overrides only variables the template declares, as SAM ignores the rest', () => {
    expect(environments({ Parameters: { NEW: 'x' }, Two: { STAGE: 'not declared in Two' } })).toEqual({
      One: { TABLE: 't1', STAGE: 'dev', EMPTY: '' },
      Two: { TABLE: 't2' },
    });
  });

  it('fills a declared empty variable and finds a function by its name as well as its logical id', () => {
    expect(environments({ 'one-function': { EMPTY: 'filled' } }).One).toEqual({ TABLE: 't1', STAGE: 'dev', EMPTY: 'filled' });
  });

  it('stringifies values as SAM does: booleans and numbers as written, objects and null as empty', () => {
    expect(environments({ One: { TABLE: 42, STAGE: true, EMPTY: null } }).One).toEqual({ TABLE: '42', STAGE: 'true', EMPTY: '' });
  });

  it('leaves the template it was given unchanged', () => {
    environments({ Parameters: { TABLE: 'changed' } });
    expect(template.functions.One!.environment.TABLE).toBe('t1');
  });

  it.each([[[]], ['text'], [{ One: 'TABLE=x' }], [{ Parameters: [1] }]])('refuses %j: not an object of objects', (json) => {
    expect(() => parseEnvironmentOverrides(json, 'env.json')).toThrow(InvalidEnvironmentOverridesError);
  });
});
