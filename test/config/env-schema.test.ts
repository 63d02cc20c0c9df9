import { describe, expect, it } from 'vitest';
import { commaList, integer, nonEmpty, optionalNonEmpty, optionalUrl } from '#shared/config/env-types.js';
import { ConfigurationError, envSchema, parseEnv } from '#shared/config/parse-env.js';

describe('environment readers', () => {
  it('nonEmpty trims, refuses unset and blank values, and applies its pattern to the trimmed value', () => {
    const field = nonEmpty({ regex: /^key-\d+$/, message: 'must be key-<n>' });
    expect(field(' key-1 ')).toEqual({ ok: true, value: 'key-1' });
    expect(field(undefined)).toEqual({ ok: false, problem: 'is not set' });
    expect(field('  ')).toEqual({ ok: false, problem: 'must not be empty' });
    expect(field('alias/key-1')).toEqual({ ok: false, problem: 'must be key-<n>' });
  });

  it('integer takes decimal digits within bounds, and its fallback when unset or blank', () => {
    const field = integer({ min: 0, max: 300, fallback: 30 });
    expect([undefined, '', ' 0 ', '300', '-0'].map(field)).toEqual([30, 30, 0, 300, -0].map((value) => ({ ok: true, value })));
    for (const raw of ['301', '-1', '1.5', '1e2', '0x10', 'thirty', '9'.repeat(20)]) {
      expect(field(raw)).toEqual({ ok: false, problem: 'must be a whole number from 0 to 300' });
    }
  });

  it('commaList drops blanks and counts what is left', () => {
    const field = commaList({ min: 1, what: 'at least one KMS key ARN' });
    expect(field(' a, b,,c ,')).toEqual({ ok: true, value: ['a', 'b', 'c'] });
    expect(field(' , ')).toEqual({ ok: false, problem: 'must list at least one KMS key ARN' });
    expect(field(undefined)).toEqual({ ok: false, problem: 'is not set' });
  });

  it('optionalUrl treats blank as unset and refuses what is not an absolute URL', () => {
    expect(optionalUrl(' https://auth.example.com/ ')).toEqual({ ok: true, value: 'https://auth.example.com/' });
    expect(optionalUrl('')).toEqual({ ok: true, value: undefined });
    expect(optionalUrl('auth.example.com')).toEqual({ ok: false, problem: 'must be an absolute URL' });
  });

  it('optionalNonEmpty trims and maps blank to unset', () => {
    expect([' eu-west-1 ', '  ', undefined].map(optionalNonEmpty)).toEqual(['eu-west-1', undefined, undefined].map((value) => ({ ok: true, value })));
  });
});

describe('parseEnv', () => {
  const schema = envSchema(
    { TABLE: nonEmpty(), SKEW: integer({ min: 0, max: 300, fallback: 30 }), KEYS: commaList({ min: 1, what: 'a key' }) },
    (env) => ({ table: env.TABLE, skewMs: env.SKEW * 1000, keys: env.KEYS }),
  );

  it('reads only the variables it declares and shapes them', () => {
    expect(parseEnv(schema, { TABLE: 't', KEYS: 'k1,k2', OTHER: 'ignored' })).toEqual({ table: 't', skewMs: 30_000, keys: ['k1', 'k2'] });
  });

  it('names every bad variable, in declaration order, in one ConfigurationError', () => {
    const attempt = () => parseEnv(schema, { SKEW: 'soon', KEYS: '' });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow('Invalid configuration: TABLE: is not set; SKEW: must be a whole number from 0 to 300; KEYS: must list a key');
  });

  it('reads process.env when no environment is given', () => {
    const name = `ENV_SCHEMA_TEST_${process.pid}`;
    process.env[name] = 'from-process';
    try {
      expect(parseEnv(envSchema({ [name]: nonEmpty() }))).toEqual({ [name]: 'from-process' });
    } finally {
      delete process.env[name];
    }
  });
});
