import { describe, expect, it } from 'vitest';
import { draftFromSources, finalize, missingItems, parseSecretStoreKind } from '../../src/cli/inputs.js';
import { canPrompt } from '../../src/cli/io.js';
import { errorOf, valueOrCode } from '../helpers/errors.js';
import { inShard, parseConcurrency, parseShard } from '../../src/commands/test.js';
import { mapLimited } from '../../src/connect/run-tests.js';
import { parseTimeoutSeconds } from '../../src/commands/shared.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';


describe('draftFromSources', () => {
  it.each([
    ['url gives subdomain and region', { url: 'https://acme.eu.pagerduty.com/x' }, {}, { subdomain: 'acme', region: 'eu' }],
    ['subdomain alone is US', { subdomain: 'acme' }, {}, { subdomain: 'acme', region: 'us' }],
    ['region alone means no subdomain', { region: 'eu' }, {}, { subdomain: null, region: 'eu' }],
    ['env twin used', {}, { SSPM_PAGERDUTY_URL: 'globex.pagerduty.com' }, { subdomain: 'globex', region: 'us' }],
    ['flag wins over env twin', { url: 'acme.pagerduty.com' }, { SSPM_PAGERDUTY_URL: 'globex.pagerduty.com' }, { subdomain: 'acme', region: 'us' }],
    ['method alias', { loginMethod: 'entra' }, {}, { loginMethod: 'azure' }],
    ['user settled once the method is known', { user: ' owner@acme.com ', loginMethod: 'credentials' }, {}, { user: 'owner@acme.com', rawUser: undefined }],
  ])('%s', (_label, flags, env, expected) => {
    expect(draftFromSources(flags, env, {})).toMatchObject(expected);
  });

  it.each([
    ['url contradicts subdomain', { url: 'acme.pagerduty.com', subdomain: 'globex' }, 'INVALID_INPUT'],
    ['credentials need an email', { user: 'jdoe', loginMethod: 'credentials' }, 'INVALID_INPUT'],
    ['bad okta org', { oktaSubdomain: 'acme.evil.com' }, 'INVALID_INPUT'],
    ['bad name', { name: '-x' }, 'INVALID_INPUT'],
  ])('%s', (_label, flags, code) => {
    expect(errorOf(() => draftFromSources(flags, {}, {})).code).toBe(code);
  });
});

describe('missing items and finalize', () => {
  it.each([
    [{}, ['user', 'password', 'location', 'loginMethod']],
    [{ loginMethod: 'okta' as const }, ['user', 'password', 'location', 'oktaSubdomain', 'mfaSecret']],
    [{ loginMethod: 'azure' as const, user: 'a', password: 'p', subdomain: null, region: 'us' as const }, ['mfaSecret']],
    [{ loginMethod: 'credentials' as const, user: 'a@b.co', password: 'p', subdomain: 'acme', region: 'us' as const }, []],
  ])('%j -> %j', (draft, missing) => {
    expect(missingItems(draft)).toEqual(missing);
  });

  it('names the flag and the variable of the first missing item', () => {
    const error = errorOf(() => finalize({ loginMethod: 'credentials', password: 'p', subdomain: 'acme', region: 'us' }));
    expect(error.code).toBe('INVALID_INPUT');
    expect(`${error.message} ${error.fix}`).toMatch(/--user.*SSPM_PAGERDUTY_USER/);
  });

  it('defaults the name and drops what the method does not use', () => {
    const draft = draftFromSources({ region: 'eu', loginMethod: 'credentials', user: 'o@x.io', oktaSubdomain: 'acme' }, {}, { password: 'pw', mfaSecret: SECRET });
    const instance = finalize(draft);
    expect(instance).toMatchObject({ name: 'pagerduty-eu', subdomain: null, okta: null, mfa: null });
  });
});

describe('small parsers', () => {
  it.each([
    ['keychain', 'keychain'],
    [undefined, 'keychain'],
    ['FILE', 'file'],
    ['plain', 'INVALID_INPUT'],
  ])('secret store %s', (input, expected) => {
    expect(valueOrCode(() => parseSecretStoreKind(input))).toBe(expected);
  });

  it.each([
    ['60', 60_000],
    ['5', 5_000],
    ['2.5', 'INVALID_INPUT'],
    ['4', 'INVALID_INPUT'],
    ['601', 'INVALID_INPUT'],
    ['abc', 'INVALID_INPUT'],
  ])('timeout %s', (input, expected) => {
    expect(valueOrCode(() => parseTimeoutSeconds(input))).toBe(expected);
  });

  it.each([
    ['1/4', { index: 1, count: 4 }],
    ['4/4', { index: 4, count: 4 }],
    ['0/4', 'INVALID_INPUT'],
    ['5/4', 'INVALID_INPUT'],
    ['a/b', 'INVALID_INPUT'],
  ])('shard %s', (input, expected) => {
    expect(valueOrCode(() => parseShard(input))).toEqual(expected);
  });

  it('shards partition the instances, stably', () => {
    const names = Array.from({ length: 200 }, (_, i) => `instance-${i}`);
    const buckets = [1, 2, 3].map((index) => names.filter((n) => inShard(n, { index, count: 3 })));
    expect(buckets.flat().sort()).toEqual([...names].sort());
    expect(buckets.every((b) => b.length > 30)).toBe(true);
    expect(names.filter((n) => inShard(n, { index: 2, count: 3 }))).toEqual(buckets[1]);
  });

  it.each([
    ['4', 4],
    [undefined, undefined],
    ['0', 'INVALID_INPUT'],
    ['33', 'INVALID_INPUT'],
  ])('concurrency %s', (input, expected) => {
    expect(valueOrCode(() => parseConcurrency(input))).toEqual(expected);
  });

  it.each([
    [true, true, {}, false, true],
    [false, true, {}, false, false],
    [true, false, {}, false, false],
    [true, true, { CI: 'true' }, false, false],
    [true, true, { CI: 'false' }, false, true],
    [true, true, {}, true, false],
  ])('canPrompt stdin=%s stdout=%s env=%j noInput=%s -> %s', (stdinIsTty, stdoutIsTty, env, noInput, expected) => {
    expect(canPrompt({ stdinIsTty, stdoutIsTty, env, noInput })).toBe(expected);
  });

  it('mapLimited keeps input order and the limit', async () => {
    let running = 0;
    let peak = 0;
    const result = await mapLimited([50, 10, 30, 0, 20], 2, async (ms) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, ms));
      running--;
      return ms * 2;
    });
    expect(result).toEqual([100, 20, 60, 0, 40]);
    expect(peak).toBe(2);
  });
});

describe('conflicts name where each value came from', () => {
  it.each([
    [{ url: 'acme.eu.pagerduty.com', region: 'us' }, {}, /--url says region "eu" but --region is "us"/],
    [{}, { SSPM_PAGERDUTY_URL: 'acme.eu.pagerduty.com', SSPM_PAGERDUTY_REGION: 'us' }, /SSPM_PAGERDUTY_URL says region "eu" but SSPM_PAGERDUTY_REGION is "us"/],
    [{ url: 'acme.pagerduty.com' }, { SSPM_PAGERDUTY_SUBDOMAIN: 'globex' }, /--url says subdomain "acme" but SSPM_PAGERDUTY_SUBDOMAIN is "globex"/],
  ])('%j %j', (flags, env, message) => {
    expect(() => draftFromSources(flags, env, {})).toThrow(message);
  });
});
