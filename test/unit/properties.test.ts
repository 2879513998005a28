import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OnboardError } from '../../src/core/errors.js';
import { parseMfaSecret } from '../../src/core/mfa-secret.js';
import { pagerDutyHost, parsePagerDutyUrl, reconcileLocation } from '../../src/core/pagerduty-url.js';
import { bytesToBase32, generateCode, planNextCode, secondsLeftInStep, timeStep } from '../../src/core/totp.js';
import type { MfaSecret } from '../../src/core/types.js';
import {
  DNS_LABEL_RE,
  INSTANCE_NAME_RE,
  RESERVED_SUBDOMAINS,
  parseInstanceName,
  parseLoginMethod,
  parseOktaOrg,
  parsePassword,
  parseRegion,
  parseSubdomain,
  parseUser,
} from '../../src/core/validate.js';

const RUNS = { numRuns: 400 };

/** Either returns a value accepted by `check`, or throws OnboardError INVALID_INPUT with a one-line message. */
function returnsValidOrInvalidInput<T>(fn: () => T, check: (value: T) => void): void {
  let value: T;
  try {
    value = fn();
  } catch (error) {
    expect(error).toBeInstanceOf(OnboardError);
    expect((error as OnboardError).code).toBe('INVALID_INPUT');
    expect((error as OnboardError).message).not.toMatch(/[\r\n\u2028\u2029]/);
    return;
  }
  check(value);
}

function checkSubdomain(subdomain: string | null | undefined): void {
  if (subdomain === null || subdomain === undefined) return;
  expect(subdomain).toMatch(DNS_LABEL_RE);
  expect(RESERVED_SUBDOMAINS).not.toContain(subdomain);
  expect(subdomain).not.toBe('app');
}

function checkLocation(result: { subdomain: string | null; region: string; host: string }): void {
  checkSubdomain(result.subdomain);
  expect(['us', 'eu']).toContain(result.region);
  expect(result.host).toBe(pagerDutyHost(result.subdomain, result.region as 'us' | 'eu'));
  expect(result.host).toMatch(/^[a-z0-9-]+(\.eu)?\.pagerduty\.com$/);
}

function checkMfa(m: MfaSecret): void {
  expect(m.secret).toMatch(/^[A-Z2-7]{16,103}$/);
  expect([6, 7, 8]).toContain(m.digits);
  expect(['sha1', 'sha256', 'sha512']).toContain(m.algorithm);
  expect(generateCode(m, 1_700_000_000)).toMatch(new RegExp(`^\\d{${m.digits}}$`));
}

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: fc.constantFrom('a', 'A', '-', '_', '.', '/', ':', '@', ' ', '\n', '=', '2', '7', '0', '%', '?', '#', '\\') }),
);

const URL_FRAGMENTS = [
  'https://', 'http://', 'ftp://', '//', 'javascript:', 'otpauth://totp/', 'acme', 'ACME', 'app', 'www', 'eu', '.eu', 'eu.',
  'pagerduty.com', '.pagerduty.com', 'pagerduty', '.com', 'evil.io', '.', '..', '@', ':', ':443', ':80', ':8080', '/', '/eu',
  '?', '?x=eu', '#', '#eu', ' ', '\t', '\n', '-', '_', 'a'.repeat(63), 'xn--', 'xn---admin', 'a--admin', '%2e', '\\', '[::1]', '127.0.0.1', 'é', 'okta.com',
  'oktapreview.com', 'okta-emea.com', '-admin', 'secret=', 'JBSWY3DPEHPK3PXP', '&digits=8', '&period=30', '&algorithm=SHA256',
];
const urlish = fc.array(fc.constantFrom(...URL_FRAGMENTS), { maxLength: 8 }).map((parts) => parts.join(''));
// Mostly-plausible addresses: scheme? userinfo? label(s) eu? pagerduty.com port? path/query/fragment?
const structuredUrl = fc
  .tuple(
    fc.constantFrom('', 'https://', 'http://', 'HTTPS://', '//', 'ftp://'),
    fc.constantFrom('', '', '', 'user@', 'a:b@'),
    fc.constantFrom('acme', 'ACME', 'app', 'www', 'eu', 'acme_1', '-x', 'a.b', 'europa', 'acme-eu', ''),
    fc.constantFrom('.', '.eu.', '.EU.', '.us.', '..'),
    fc.constantFrom('pagerduty.com', 'PagerDuty.com', 'pagerduty.com.evil.io', 'evilpagerduty.com', 'pagerduty.co'),
    fc.constantFrom('', '', ':443', ':80', ':8443', '.'),
    fc.constantFrom('', '/', '/eu/incidents', '?region=eu', '#eu', '/@evil.io', ' '),
  )
  .map((parts) => parts.join(''));
const inputs = fc.oneof(anyString, urlish, structuredUrl);

describe('parsers return a valid value or throw INVALID_INPUT, never anything else', () => {
  it('parsePagerDutyUrl', () => {
    fc.assert(fc.property(inputs, (s) => returnsValidOrInvalidInput(() => parsePagerDutyUrl(s), checkLocation)), RUNS);
  });

  it('reconcileLocation', () => {
    const opt = fc.option(inputs, { nil: undefined });
    fc.assert(
      fc.property(opt, opt, opt, (url, subdomain, region) =>
        returnsValidOrInvalidInput(
          () => reconcileLocation({ url, subdomain, region }),
          (r) => {
            checkSubdomain(r.subdomain);
            if (r.region !== undefined) expect(['us', 'eu']).toContain(r.region);
          },
        ),
      ),
      RUNS,
    );
  });

  it('parseSubdomain', () => {
    fc.assert(fc.property(inputs, (s) => returnsValidOrInvalidInput(() => parseSubdomain(s), checkSubdomain)), RUNS);
  });

  it('parseRegion and parseLoginMethod', () => {
    fc.assert(
      fc.property(inputs, (s) => {
        returnsValidOrInvalidInput(() => parseRegion(s), (r) => expect(['us', 'eu']).toContain(r));
        returnsValidOrInvalidInput(() => parseLoginMethod(s), (m) => expect(['credentials', 'okta', 'azure']).toContain(m));
      }),
      RUNS,
    );
  });

  it('parseUser', () => {
    fc.assert(
      fc.property(fc.oneof(inputs, fc.emailAddress()), fc.constantFrom('credentials', 'okta', 'azure' as const), (s, method) =>
        returnsValidOrInvalidInput(
          () => parseUser(s, method),
          (u) => {
            expect(u).toBe(u.trim());
            expect(u.length).toBeGreaterThan(0);
            if (method === 'credentials') expect(u).toContain('@');
            else expect(u).not.toMatch(/\s/);
          },
        ),
      ),
      RUNS,
    );
  });

  it('parseOktaOrg', () => {
    fc.assert(
      fc.property(inputs, (s) =>
        returnsValidOrInvalidInput(
          () => parseOktaOrg(s),
          (o) => {
            expect(o.org).toMatch(DNS_LABEL_RE);
            expect(['okta.com', 'oktapreview.com', 'okta-emea.com']).toContain(o.domain);
            // The browser can go there.
            expect(new URL(`https://${o.org}.${o.domain}/`).hostname).toBe(`${o.org}.${o.domain}`);
          },
        ),
      ),
      RUNS,
    );
  });

  it('parseInstanceName and parsePassword', () => {
    fc.assert(
      fc.property(inputs, (s) => {
        returnsValidOrInvalidInput(() => parseInstanceName(s), (n) => expect(n).toMatch(INSTANCE_NAME_RE));
        returnsValidOrInvalidInput(
          () => parsePassword(s),
          (p) => {
            expect(p).toBe(s);
            expect(p).not.toMatch(/[\r\n]/);
          },
        );
      }),
      RUNS,
    );
  });

  it('parseMfaSecret', () => {
    const base32ish = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567abcxyz018 -=:/?&'), maxLength: 120 });
    fc.assert(fc.property(fc.oneof(inputs, base32ish), (s) => returnsValidOrInvalidInput(() => parseMfaSecret(s), checkMfa)), RUNS);
  });
});

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/);

describe('parsePagerDutyUrl round-trips', () => {
  it('https://L.eu.pagerduty.com → L/eu and L.pagerduty.com → L/us for any valid label', () => {
    fc.assert(
      fc.property(label, fc.boolean(), (l, upper) => {
        fc.pre(!RESERVED_SUBDOMAINS.includes(l));
        const shown = upper ? l.toUpperCase() : l;
        const expected = l === 'app' ? null : l;
        expect(parsePagerDutyUrl(`https://${shown}.eu.pagerduty.com`)).toEqual({ subdomain: expected, region: 'eu', host: pagerDutyHost(expected, 'eu') });
        expect(parsePagerDutyUrl(`${shown}.pagerduty.com/incidents`)).toEqual({ subdomain: expected, region: 'us', host: pagerDutyHost(expected, 'us') });
        expect(parsePagerDutyUrl(pagerDutyHost(expected, 'eu'))).toMatchObject({ subdomain: expected, region: 'eu' });
      }),
      RUNS,
    );
  });
});

describe('2FA secrets', () => {
  const key = fc.uint8Array({ minLength: 10, maxLength: 64 });

  it('any 10-64 byte key, however formatted, parses to its canonical base32', () => {
    fc.assert(
      fc.property(key, fc.boolean(), fc.boolean(), fc.constantFrom('', ' ', '-'), (bytes, lower, pad, sep) => {
        const canonical = bytesToBase32(bytes);
        let text = canonical.replace(/(.{4})(?=.)/g, `$1${sep}`);
        if (lower) text = text.toLowerCase();
        if (pad) text += '='.repeat((8 - (canonical.length % 8)) % 8);
        expect(parseMfaSecret(text)).toEqual({ secret: canonical, digits: 6, period: 30, algorithm: 'sha1' });
        expect(parseMfaSecret(`otpauth://totp/X?secret=${text.replace(/ /g, '%20')}`).secret).toBe(canonical);
      }),
      RUNS,
    );
  });

  it('error messages never contain the secret', () => {
    const secretText = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), minLength: 12, maxLength: 200 });
    const breakIt = fc.constantFrom(
      (s: string) => `${s}0`,
      (s: string) => `${s.slice(0, 6)}!${s.slice(6)}`,
      (s: string) => s.slice(0, 12),
      (s: string) => `${s}=${s}`,
      (s: string) => `otpauth://hotp/L?secret=${s}`,
      (s: string) => `otpauth://totp/L?secret=${s}&digits=5`,
      (s: string) => `otpauth://totp/${s}?period=1&secret=${s}`,
      (s: string) => `${s.slice(0, 6)}:${s}`,
      (s: string) => s,
    );
    fc.assert(
      fc.property(secretText, breakIt, (s, f) => {
        const input = f(s);
        try {
          parseMfaSecret(input);
        } catch (error) {
          expect(error).toBeInstanceOf(OnboardError);
          const message = (error as OnboardError).message;
          expect(message).not.toContain(s.slice(0, 12));
          expect(message.toUpperCase()).not.toContain(s.slice(-12));
        }
      }),
      RUNS,
    );
  });
});

describe('planNextCode', () => {
  it('picks the earliest unused counter with enough time left, and waits into its window', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(30, 60, 15),
        fc.double({ min: 0, max: 4e9, noNaN: true }),
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.integer({ min: -3, max: 6 }), { maxLength: 6 }),
        (period, now, minSecondsLeft, offsets) => {
          const mfa: MfaSecret = { secret: 'JBSWY3DPEHPK3PXP', digits: 6, period, algorithm: 'sha1' };
          const current = timeStep(mfa, now);
          const used = offsets.map((o) => current + o);
          const plan = planNextCode({ mfa, nowSeconds: now, minSecondsLeft, usedCounters: used });
          expect(used).not.toContain(plan.counter);
          expect(plan.counter).toBeGreaterThanOrEqual(current);
          if (plan.counter === current) {
            expect(plan.waitMs).toBe(0);
            expect(secondsLeftInStep(mfa, now)).toBeGreaterThanOrEqual(minSecondsLeft);
          } else {
            const start = plan.counter * period;
            expect(plan.waitMs).toBeGreaterThanOrEqual((start - now) * 1000 - 1e-3);
            expect(plan.waitMs).toBeLessThanOrEqual((start - now) * 1000 + 1);
            // every counter skipped was used or (the current one) too short
            for (let c = current; c < plan.counter; c++) {
              expect(used.includes(c) || (c === current && secondsLeftInStep(mfa, now) < minSecondsLeft)).toBe(true);
            }
          }
        },
      ),
      RUNS,
    );
  });
});
