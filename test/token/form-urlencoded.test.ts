import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFormComponent, parseForm } from '#shared/http/form-urlencoded.js';

describe('application/x-www-form-urlencoded (WHATWG URL §5.1, RFC 6749 Appendix B)', () => {
  it('decodes + as a space and %XX as UTF-8 bytes', () => {
    expect(decodeFormComponent('a+b%2Bc%20d%3A%25')).toBe('a b+c d:%');
    expect(decodeFormComponent('%C3%A9t%C3%A9')).toBe('été');
  });

  it.each([
    ['a lone percent', '100%'],
    ['a percent with one hex digit', '%4'],
    ['a percent with non-hex digits', '%zz'],
    ['a byte that is not UTF-8', '%FF'],
    ['a truncated UTF-8 sequence', '%C3'],
    ['an overlong encoding of "/"', '%C0%AF'],
    ['an encoded surrogate', '%ED%A0%80'],
  ])('refuses %s instead of repairing it', (_, raw) => {
    expect(decodeFormComponent(raw)).toBeUndefined();
  });

  it('keeps every occurrence of a parameter, in order, so repeats are visible', () => {
    expect(parseForm('scope=a&grant_type=x&scope=b')).toEqual(
      new Map([
        ['scope', ['a', 'b']],
        ['grant_type', ['x']],
      ]),
    );
  });

  it('reads a name without "=" as an empty value and skips empty pairs', () => {
    expect(parseForm('a&&b=1&')).toEqual(new Map([['a', ['']], ['b', ['1']]]));
    expect(parseForm('')).toEqual(new Map());
  });

  it('decodes names as well as values', () => {
    expect(parseForm('client%5Fid=x')).toEqual(new Map([['client_id', ['x']]]));
  });

  it('refuses the whole form when one component is malformed', () => {
    expect(parseForm('grant_type=client_credentials&scope=%E2%82')).toBeUndefined();
  });

  it('reads back exactly what URLSearchParams writes, for any Unicode text', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 40 });
    fc.assert(
      fc.property(fc.array(fc.tuple(text.filter((name) => name !== ''), text), { maxLength: 8 }), (pairs) => {
        const parsed = parseForm(new URLSearchParams(pairs).toString());
        const expected = new Map<string, string[]>();
        for (const [name, value] of pairs) expected.set(name, [...(expected.get(name) ?? []), value]);
        expect(parsed).toEqual(expected);
      }),
    );
  });
});
