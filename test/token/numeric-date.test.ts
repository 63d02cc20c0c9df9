import { describe, expect, it } from 'vitest';
import { expirySeconds, notBeforeSeconds, readSecondsText, secondsText } from '#shared/tokens/numeric-date.js';

describe('whole-second NumericDates (shared/tokens/numeric-date.ts)', () => {
  it('writes seconds as plain decimal digits, never an exponent, at any size', () => {
    expect(secondsText(0)).toBe('0');
    expect(secondsText(1764583600)).toBe('1764583600');
    expect(secondsText(Number.MAX_SAFE_INTEGER)).toBe('9007199254740991');
    expect(secondsText(1e21)).toBe('1000000000000000000000');
    expect(secondsText(2 ** 70)).toBe('1180591620717411303424');
  });

  it('reads back what it writes, and nothing else', () => {
    for (const seconds of [0, 1764583600, Number.MAX_SAFE_INTEGER, 1e21]) expect(readSecondsText(secondsText(seconds))).toBe(seconds);
    for (const text of ['', '1e21', '-1', ' 1', '1.5', '0x10']) expect(readSecondsText(text)).toBeUndefined();
  });

  it('rounds exp down and nbf up, so a token only ever gets shorter', () => {
    expect(expirySeconds(600.9)).toBe(600);
    expect(notBeforeSeconds(600.1)).toBe(601);
  });
});
