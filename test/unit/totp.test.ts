import { describe, expect, it } from 'vitest';
import { parseMfaSecret } from '../../src/core/mfa-secret.js';
import { base32ToBytes, bytesToBase32, generateCode, planNextCode, secondsLeftInStep, timeStep } from '../../src/core/totp.js';
import type { MfaSecret } from '../../src/core/types.js';

/** Independent base32 encoder for the test (bit string, RFC 4648 alphabet, no padding). */
function base32(text: string): string {
  const bits = [...Buffer.from(text, 'ascii')].map((b) => b.toString(2).padStart(8, '0')).join('');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out;
}

const SEED20 = '12345678901234567890';
const SEED32 = '12345678901234567890123456789012';
const SEED64 = '1234567890123456789012345678901234567890123456789012345678901234';

const rfc = (seed: string, algorithm: MfaSecret['algorithm']): MfaSecret => ({ secret: base32(seed), digits: 8, period: 30, algorithm });

describe('RFC 6238 Appendix B test vectors', () => {
  it.each([
    [59, 'sha1', '94287082'],
    [59, 'sha256', '46119246'],
    [59, 'sha512', '90693936'],
    [1111111109, 'sha1', '07081804'],
    [1111111109, 'sha256', '68084774'],
    [1111111109, 'sha512', '25091201'],
    [1111111111, 'sha1', '14050471'],
    [1111111111, 'sha256', '67062674'],
    [1111111111, 'sha512', '99943326'],
    [1234567890, 'sha1', '89005924'],
    [1234567890, 'sha256', '91819424'],
    [1234567890, 'sha512', '93441116'],
    [2000000000, 'sha1', '69279037'],
    [2000000000, 'sha256', '90698825'],
    [2000000000, 'sha512', '38618901'],
    [20000000000, 'sha1', '65353130'],
    [20000000000, 'sha256', '77737706'],
    [20000000000, 'sha512', '47863826'],
  ] as const)('T=%i %s → %s', (time, algorithm, code) => {
    const seed = algorithm === 'sha1' ? SEED20 : algorithm === 'sha256' ? SEED32 : SEED64;
    expect(generateCode(rfc(seed, algorithm), time)).toBe(code);
  });

  it.each([
    [SEED20, 'sha1'],
    [SEED32, 'sha256'],
    [SEED64, 'sha512'],
  ] as const)('the same codes through parseMfaSecret of an otpauth URI (%s)', (seed, algorithm) => {
    const mfa = parseMfaSecret(`otpauth://totp/RFC?secret=${base32(seed)}&digits=8&algorithm=${algorithm.toUpperCase()}`);
    expect(mfa).toEqual(rfc(seed, algorithm));
    expect(generateCode(mfa, 59)).toBe(generateCode(rfc(seed, algorithm), 59));
  });

  it('the 6-digit code is the last 6 digits of the 8-digit one (same HOTP value)', () => {
    expect(generateCode({ ...rfc(SEED20, 'sha1'), digits: 6 }, 59)).toBe('287082');
    expect(generateCode({ ...rfc(SEED20, 'sha1'), digits: 7 }, 59)).toBe('4287082');
  });

  it('the period shapes the counter', () => {
    const m60 = { ...rfc(SEED20, 'sha1'), period: 60 };
    expect(generateCode(m60, 118)).toBe(generateCode(rfc(SEED20, 'sha1'), 59));
  });

  it('a 10-byte secret works (otplib MIN_SECRET_BYTES lowered)', () => {
    expect(generateCode({ secret: 'JBSWY3DPEHPK3PXP', digits: 6, period: 30, algorithm: 'sha1' }, 0)).toMatch(/^\d{6}$/);
  });
});

describe('base32 codec', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('RFC 4648 %j ↔ %s', (text, encoded) => {
    expect(bytesToBase32(Buffer.from(text))).toBe(encoded);
    expect(Buffer.from(base32ToBytes(encoded) ?? []).toString()).toBe(text);
  });

  it.each([['A'], ['ABC'], ['ABCDEF'], ['ABCDEFG1'], ['abcdefgh'], ['ABCD=EFG']])('%j is not canonical base32', (text) => {
    expect(base32ToBytes(text)).toBeNull();
  });
});

const M30: MfaSecret = { secret: 'JBSWY3DPEHPK3PXP', digits: 6, period: 30, algorithm: 'sha1' };
const M60: MfaSecret = { ...M30, period: 60 };

describe('timeStep and secondsLeftInStep', () => {
  it.each([
    [M30, 0, 0, 30],
    [M30, 29, 0, 1],
    [M30, 29.5, 0, 0.5],
    [M30, 30, 1, 30],
    [M30, 59, 1, 1],
    [M30, 1111111109, 37037036, 1],
    [M60, 59, 0, 1],
    [M60, 60, 1, 60],
  ])('%#: t=%s → counter %i, %s s left', (mfa, t, counter, left) => {
    expect(timeStep(mfa, t)).toBe(counter);
    expect(secondsLeftInStep(mfa, t)).toBeCloseTo(left, 9);
  });
});

describe('planNextCode', () => {
  it.each([
    // now, minSecondsLeft, used, counter, waitMs
    [0, 5, [], 0, 0],
    [20, 5, [], 0, 0], // 10 s left
    [25, 5, [], 0, 0], // exactly 5 s left
    [26, 5, [], 1, 4000], // 4 s left: too little, wait for the next window
    [29.5, 5, [], 1, 500],
    [10, 5, [0], 1, 20000], // current already used
    [10, 5, [0, 1], 2, 50000], // next one used too
    [26, 5, [1], 2, 34000], // current too short, next used
    [26, 5, [0, 1, 2], 3, 64000],
    [10, 5, [5, 7], 0, 0], // unrelated counters
    [30, 5, [0], 1, 0], // window just started, 30 s left
    [10, 0, [], 0, 0],
    [10, 40, [], 1, 20000], // minSecondsLeft above the period: next window
    [1700000000.123, 5, [], 56666666, 0], // 9.877 s left
    [1700000036.5, 5, [], 56666668, 3500], // 3.5 s left
    [1700000036.5, 5, [56666668], 56666669, 33500],
  ] as const)('now=%s min=%s used=%j → counter %i after %i ms', (now, min, used, counter, waitMs) => {
    expect(planNextCode({ mfa: M30, nowSeconds: now, minSecondsLeft: min, usedCounters: used })).toEqual({ counter, waitMs });
  });

  it('accepts a Set and other periods', () => {
    expect(planNextCode({ mfa: M60, nowSeconds: 100, minSecondsLeft: 25, usedCounters: new Set([2]) })).toEqual({ counter: 3, waitMs: 80000 });
    expect(planNextCode({ mfa: M60, nowSeconds: 100, minSecondsLeft: 20, usedCounters: new Set() })).toEqual({ counter: 1, waitMs: 0 });
  });

  it('never picks a used counter and always waits into the chosen window', () => {
    const used: number[] = [];
    let now = 1700000020.25;
    for (let i = 0; i < 6; i++) {
      const plan = planNextCode({ mfa: M30, nowSeconds: now, minSecondsLeft: 8, usedCounters: used });
      expect(used).not.toContain(plan.counter);
      now += plan.waitMs / 1000;
      expect(timeStep(M30, now)).toBe(plan.counter);
      expect(secondsLeftInStep(M30, now)).toBeGreaterThanOrEqual(8);
      used.push(plan.counter);
      now += 3; // typing and a rejected attempt
    }
  });
});
