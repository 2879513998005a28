// The polite scheduler, loginKeys, the rate-limit recognition and the --host-concurrency parser, as tables.
import { describe, expect, it } from 'vitest';
import { loginKeys, mapPolitely } from '../../src/connect/polite-pool.js';
import { looksRateLimited, retryAfterSeconds } from '../../src/connect/rate-limit.js';
import { parseHostConcurrency } from '../../src/commands/test.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Runs the pool over items (each a list of keys); work finishes in a scrambled order. Records peaks. */
async function simulate(items: string[][], limit: number, perKey: number) {
  const active = new Map<string, number>();
  const peakPerKey = new Map<string, number>();
  let running = 0;
  let peak = 0;
  const results = await mapPolitely(items.map((keys, index) => ({ keys, index })), { limit, perKey }, (item) => item.keys, async (item) => {
    running += 1;
    peak = Math.max(peak, running);
    for (const key of item.keys) {
      active.set(key, (active.get(key) ?? 0) + 1);
      peakPerKey.set(key, Math.max(peakPerKey.get(key) ?? 0, active.get(key)!));
    }
    for (let i = 0; i < ((item.index * 7) % 5) + 1; i += 1) await tick();
    for (const key of item.keys) active.set(key, active.get(key)! - 1);
    running -= 1;
    return item.index;
  });
  return { results, peak, peakPerKey };
}

describe('mapPolitely', () => {
  const A = 'pagerduty:acme.pagerduty.com';
  const B = 'pagerduty:globex.eu.pagerduty.com';
  const OKTA = 'okta:acme.okta.com';
  it.each([
    { what: 'ten log-ins on one host, concurrency 8', items: Array.from({ length: 10 }, () => [A]), limit: 8, perKey: 2, peak: 2 },
    { what: 'two hosts, concurrency 8: two on each', items: Array.from({ length: 10 }, (_, i) => [i % 2 ? A : B]), limit: 8, perKey: 2, peak: 4 },
    { what: 'the overall limit still holds', items: Array.from({ length: 10 }, (_, i) => [`pagerduty:h${i}`]), limit: 3, perKey: 2, peak: 3 },
    { what: 'an IdP org shared across hosts is limited too', items: Array.from({ length: 8 }, (_, i) => [i % 2 ? A : B, OKTA]), limit: 8, perKey: 2, peak: 2 },
    { what: 'configured to 1 per host', items: Array.from({ length: 5 }, () => [A]), limit: 4, perKey: 1, peak: 1 },
    { what: 'no keys: only the overall limit', items: Array.from({ length: 6 }, () => []), limit: 4, perKey: 1, peak: 4 },
  ])('$what', async ({ items, limit, perKey, peak }) => {
    const run = await simulate(items, limit, perKey);
    expect(run.results).toEqual(items.map((_, i) => i)); // every item once, input order
    expect(run.peak).toBe(peak);
    for (const count of run.peakPerKey.values()) expect(count).toBeLessThanOrEqual(perKey);
  });

  it('an empty list resolves at once', async () => {
    expect(await mapPolitely([], { limit: 2, perKey: 2 }, () => ['x'], async () => 1)).toEqual([]);
  });
});

describe('loginKeys', () => {
  const base = { subdomain: 'acme', region: 'us' as const, user: 'Owner@Contoso.example', okta: null };
  it.each([
    [{ ...base, loginMethod: 'credentials' as const }, ['pagerduty:acme.pagerduty.com']],
    [{ ...base, subdomain: null, region: 'eu' as const, loginMethod: 'credentials' as const }, ['pagerduty:app.eu.pagerduty.com']],
    [{ ...base, loginMethod: 'okta' as const, okta: { org: 'globex', domain: 'okta-emea.com' as const } }, ['pagerduty:acme.pagerduty.com', 'okta:globex.okta-emea.com']],
    [{ ...base, loginMethod: 'azure' as const }, ['pagerduty:acme.pagerduty.com', 'entra:contoso.example']],
  ])('%j', (instance, keys) => {
    expect(loginKeys(instance)).toEqual(keys);
  });
});

describe('rate limiting recognised', () => {
  it.each([
    ['Too many sign-in attempts. Please wait 30 seconds and try again.', true],
    ['Too many requests', true],
    ['Too many login attempts, slow down', true],
    ['You are being rate limited.', true],
    ['Your account is locked because of too many failed sign in attempts. Please try again in 15 minutes.', false],
    ['Invalid email or password.', false],
    ['', false],
  ])('%j -> %s', (text, expected) => {
    expect(looksRateLimited(text)).toBe(expected);
  });

  const now = Date.parse('2026-11-30T04:00:00Z');
  it.each([
    [{ header: '30' }, 30],
    [{ header: 'Mon, 30 Nov 2026 04:01:30 GMT' }, 90],
    [{ header: 'Mon, 30 Nov 2026 03:59:00 GMT' }, 0],
    [{ header: null, text: 'Please wait 45 seconds and try again.' }, 45],
    [{ text: 'Try again in 2 minutes.' }, 120],
    [{ header: 'soon', text: 'Too many requests.' }, undefined],
    [{}, undefined],
  ])('wait from %j -> %s', (input, seconds) => {
    expect(retryAfterSeconds({ ...input, nowMs: now })).toBe(seconds);
  });
});

describe('parseHostConcurrency', () => {
  it.each([
    [undefined, {}, undefined],
    ['3', {}, 3],
    [undefined, { SSPM_HOST_CONCURRENCY: '1' }, 1],
    ['4', { SSPM_HOST_CONCURRENCY: '1' }, 4],
    [undefined, { SSPM_HOST_CONCURRENCY: '' }, undefined],
  ])('flag %j, env %j -> %s', (flag, env, expected) => {
    expect(parseHostConcurrency(flag, env)).toBe(expected);
  });
  it.each([['0', {}, /--host-concurrency "0"/], ['9', {}, /1 to 8/], [undefined, { SSPM_HOST_CONCURRENCY: 'two' }, /SSPM_HOST_CONCURRENCY "two"/]])(
    'flag %j, env %j is refused',
    (flag, env, message) => {
      expect(() => parseHostConcurrency(flag, env)).toThrow(message);
    },
  );
});

describe('the sandbox rate-limit fault', () => {
  it.each([
    ['rate-limit', [{ rateLimitAt: 0 }]],
    ['rate-limit=2', [{ rateLimitAt: 2 }]],
    ['slow=100, rate-limit=3', [{ slowMs: 100 }, { rateLimitAt: 3 }]],
  ])('%j', async (spec, faults) => {
    const { parseFaults } = await import('../../src/sandbox/faults.js');
    expect(parseFaults(spec)).toEqual(faults);
  });
  it('refuses a count that is not a number', async () => {
    const { parseFaults } = await import('../../src/sandbox/faults.js');
    expect(() => parseFaults('rate-limit=many')).toThrow(/rate-limit takes the number of log-ins/);
  });
});
