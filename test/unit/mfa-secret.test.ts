import { describe, expect, it } from 'vitest';
import { OnboardError } from '../../src/core/errors.js';
import { describeMfaSecret, parseMfaSecret } from '../../src/core/mfa-secret.js';
import type { MfaSecret } from '../../src/core/types.js';
import { errorOf } from '../helpers/errors.js';

const KEY10 = 'JBSWY3DPEHPK3PXP'; // 10 bytes
const KEY20 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890"


const plain = (secret: string): MfaSecret => ({ secret, digits: 6, period: 30, algorithm: 'sha1' });

describe('parseMfaSecret: base32', () => {
  it.each([
    [KEY10, plain(KEY10)],
    [KEY20, plain(KEY20)],
    ['jbswy3dpehpk3pxp', plain(KEY10)],
    ['JBSW Y3DP EHPK 3PXP', plain(KEY10)],
    ['jbsw-y3dp-ehpk-3pxp', plain(KEY10)],
    ['  JBSW\tY3DP  EHPK 3PXP \n', plain(KEY10)],
    ['GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', plain(KEY20)],
    ['GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ====', plain(KEY20)],
    // 11 bytes: 18 characters, padded to 24
    ['GEZDGNBVGY3TQOJQGE======', plain('GEZDGNBVGY3TQOJQGE')],
    ['GEZDGNBVGY3TQOJQGE', plain('GEZDGNBVGY3TQOJQGE')],
    // leftover bits are ignored and zeroed in the stored form (as authenticator apps read them)
    ['GEZDGNBVGY3TQOJQGF', plain('GEZDGNBVGY3TQOJQGE')],
    // 64 bytes
    ['a'.repeat(103), plain('A'.repeat(103))],
  ])('%j', (input, expected) => {
    expect(parseMfaSecret(input)).toEqual(expected);
  });

  it.each([
    ['', /^Missing 2FA secret: it is empty/],
    ['   ', /^Missing 2FA secret/],
    ['----', /no key characters/],
    ['JBSWY3DPEHPK3P', /length \(14 characters\) is not possible/],
    ['JBSWY3DPEHPK3PXPA', /length \(17 characters\) is not possible/],
    ['JBSWY3DPEHPK3PX', /too short \(9 bytes, at least 10/],
    ['JBSWY3DPEHPK3', /too short \(8 bytes/],
    ['JBSWY3DP', /too short \(5 bytes/],
    ['A'.repeat(112), /too long \(70 bytes, at most 64\)/],
    ['JBSWY3DPEHPK3PX0', /not base32.*0, 1 and 8/],
    ['JBSWY3DPEHPK3PX!', /not base32/],
    ['JBSWY3DP=EHPK3PXP', /"=" may only pad the end/],
    ['hunter9hunter9hunter9', /not base32/],
    ['A'.repeat(104), /too long \(65 bytes/],
    ['http://example.com/JBSWY3DPEHPK3PXP', /not an otpauth:\/\/totp\/ one/],
    ['JBSW:Y3DPEHPK3PXP', /not an otpauth:\/\/totp\/ one/],
  ])('%j refused', (input, pattern) => {
    const error = errorOf(() => parseMfaSecret(input));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(pattern);
    expect(error.message).not.toMatch(/[\r\n]/);
  });
});

describe('parseMfaSecret: otpauth URI', () => {
  it.each([
    [`otpauth://totp/PagerDuty:jane@acme.com?secret=${KEY20}&issuer=PagerDuty`, plain(KEY20)],
    [`otpauth://totp/Label?secret=${KEY10.toLowerCase()}`, plain(KEY10)],
    [`OTPAUTH://TOTP/Label?secret=${KEY10}`, plain(KEY10)],
    [`otpauth://totp/?secret=JBSW%20Y3DP%20EHPK%203PXP`, plain(KEY10)],
    [`otpauth://totp/L?secret=JBSW+Y3DP+EHPK+3PXP`, plain(KEY10)],
    [`otpauth://totp/L?secret=${KEY20}&digits=8`, { ...plain(KEY20), digits: 8 }],
    [`otpauth://totp/L?secret=${KEY20}&digits=7&period=60`, { ...plain(KEY20), digits: 7, period: 60 }],
    [`otpauth://totp/L?secret=${KEY20}&algorithm=SHA256`, { ...plain(KEY20), algorithm: 'sha256' }],
    [`otpauth://totp/L?secret=${KEY20}&algorithm=sha512&digits=8&period=30`, { ...plain(KEY20), digits: 8, algorithm: 'sha512' }],
    [`otpauth://totp/L?secret=${KEY20}&algorithm=SHA-1`, plain(KEY20)],
    [`otpauth://totp/L?issuer=X&secret=${KEY20}&image=https%3A%2F%2Fx%2Fy.png#frag`, plain(KEY20)],
  ])('%j', (input, expected) => {
    expect(parseMfaSecret(input)).toEqual(expected);
  });

  it.each([
    [`otpauth://hotp/L?secret=${KEY20}&counter=0`, /counter-based \(otpauth:\/\/hotp\)/],
    [`otpauth://steam/L?secret=${KEY20}`, /must start with otpauth:\/\/totp\//],
    [`otpauth://totp/L?issuer=X`, /no secret= parameter/],
    [`otpauth://totp/L?secret=`, /no secret= parameter/],
    [`otpauth://totp/L?secret=${KEY20}&secret=${KEY10}`, /"secret" more than once/],
    [`otpauth://totp/L?secret=${KEY20}&digits=9`, /digits= .* must be 6, 7 or 8/],
    [`otpauth://totp/L?secret=${KEY20}&digits=six`, /digits=/],
    [`otpauth://totp/L?secret=${KEY20}&period=0`, /period= .* 10-300 seconds/],
    [`otpauth://totp/L?secret=${KEY20}&period=3601`, /period=/],
    [`otpauth://totp/L?secret=${KEY20}&period=30.5`, /period=/],
    [`otpauth://totp/L?secret=${KEY20}&algorithm=MD5`, /algorithm= .* SHA1, SHA256 or SHA512/],
    [`otpauth://totp/L?secret=JBSWY3DP`, /too short/],
    [`otpauth://totp/L?secret=${KEY20}0`, /not base32/],
  ])('%j refused', (input, pattern) => {
    const error = errorOf(() => parseMfaSecret(input));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(pattern);
  });
});

describe('error messages never contain the secret', () => {
  const SECRET = 'NB2W45DFOIZA4ZLYMFWXA3DF'; // 15 bytes, valid
  it.each([
    [`${SECRET}0`],
    [`${SECRET}!`],
    [`${SECRET}A`],
    [SECRET.slice(0, 14)],
    [`otpauth://hotp/L?secret=${SECRET}`],
    [`otpauth://totp/L?secret=${SECRET}&digits=4`],
    [`otpauth://totp/L?secret=${SECRET}&secret=${SECRET}`],
    [`otpauth://totp/${SECRET}?issuer=x`],
    [`otpauth://nope/L?secret=${SECRET}`],
    [`${SECRET.slice(0, 10)}:${SECRET.slice(10)}`],
  ])('%#', (input) => {
    const error = errorOf(() => parseMfaSecret(input));
    for (const part of [input, input.trim(), SECRET, SECRET.slice(0, 12), SECRET.toLowerCase().slice(0, 12)]) {
      expect(error.message).not.toContain(part);
      expect(error.fix ?? '').not.toContain(part);
    }
  });

  it('names the given field', () => {
    expect(errorOf(() => parseMfaSecret('x', '--mfa-secret')).message).toMatch(/^Invalid --mfa-secret:/);
  });
});

describe('describeMfaSecret', () => {
  it.each([
    [plain(KEY10), '6 digits every 30 s (SHA1)'],
    [{ ...plain(KEY20), digits: 8, period: 60, algorithm: 'sha512' } as MfaSecret, '8 digits every 60 s (SHA512)'],
  ])('%j → %s', (mfa, text) => {
    expect(describeMfaSecret(mfa)).toBe(text);
    expect(text).not.toContain(mfa.secret);
  });
});
