// End to end through the built CLI: every sign-in flow of the sandbox (US and EU, with and without a
// subdomain, credentials one-page and two-step, Okta Classic / Identity Engine / Okta-Verify-default, Entra code
// and push-default), the Account Owner check, and `pagerduty add --sandbox` + `pagerduty test --all`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { SAMPLE_ACCOUNTS } from '../../src/sandbox/world.js';
import { cleanEnv, removeDir, runCli, tempDir } from '../helpers/cli.js';
import {
  CREDENTIAL_STEPS,
  SSO_STEPS,
  account,
  assertBuilt,
  describeRun,
  limiter,
  runAccountTest,
  secretEnv,
  type TestJson,
} from './helpers.js';

// Accounts on the vendor's Okta widget have their own file (okta-widget.test.ts: bigger pages, wider bounds).
const owners = SAMPLE_ACCOUNTS.filter((a) => a.role === 'owner' && !a.label.includes('-okta-widget-'));
const others = SAMPLE_ACCOUNTS.filter((a) => a.role !== 'owner');
const run3 = limiter(3);

describe.concurrent('pagerduty test (flags and environment only) against the sandbox', () => {
  let sandbox: SandboxHandle;

  beforeAll(async () => {
    assertBuilt();
    sandbox = await startSandbox();
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('covers every flow: both regions, with and without a subdomain, every login method', () => {
    const seen = new Set(SAMPLE_ACCOUNTS.map((a) => `${a.loginMethod}/${a.region}/${a.subdomain === null ? 'no-subdomain' : 'subdomain'}`));
    for (const want of ['credentials/us/subdomain', 'credentials/eu/subdomain', 'credentials/us/no-subdomain', 'credentials/eu/no-subdomain', 'okta/us/subdomain', 'okta/eu/subdomain', 'azure/us/subdomain', 'azure/eu/subdomain']) {
      expect(seen, want).toContain(want);
    }
    expect(SAMPLE_ACCOUNTS.map((a) => a.label)).toEqual(
      expect.arrayContaining(['us-okta-classic', 'eu-okta-identity-engine', 'us-okta-verify-default', 'us-azure-code', 'eu-azure-push-default', 'eu-credentials-two-step']),
    );
  });

  it.each(owners.map((a) => [a.label, a] as const))('%s: signs in as the Account Owner (exit 0)', async (label) => {
    const acc = account(sandbox, label);
    const run = await run3(() => runAccountTest(sandbox, acc));
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout.trim().split('\n'), 'one JSON object on stdout').toHaveLength(1);
    const result = run.json as TestJson;
    expect(result).toMatchObject({
      name: acc.subdomain ?? `pagerduty-${acc.region}`,
      ok: true,
      loginMethod: acc.loginMethod,
      region: acc.region,
      owner: 'verified',
    });
    expect(result.error).toBeUndefined();
    expect(Number.isInteger(result.durationMs) && result.durationMs > 0).toBe(true);
    expect(result.steps.map((s) => s.name)).toEqual(acc.loginMethod === 'credentials' ? CREDENTIAL_STEPS : SSO_STEPS);
    for (const step of result.steps) {
      expect(step.ok, step.name).toBe(true);
      expect(Number.isInteger(step.ms) && step.ms >= 0, `${step.name} ms`).toBe(true);
    }
    expect(run.leftoverDirs, 'temp profile left').toEqual([]);
    expect(run.leftoverPids, 'Chromium left').toEqual([]);
  });

  it.each(others.map((a) => [a.label, a.role] as const))('%s (role %s): signs in, then fails the owner check (exit 5)', async (label) => {
    const acc = account(sandbox, label);
    const run = await run3(() => runAccountTest(sandbox, acc));
    expect(run.code, describeRun(run)).toBe(5);
    const result = run.json as TestJson;
    expect(result).toMatchObject({ ok: false, loginMethod: acc.loginMethod, region: acc.region, owner: 'not-owner', error: { code: 'NOT_OWNER' } });
    expect(result.error!.message).toContain(acc.user);
    expect(result.error!.message).toContain(`"${acc.role}"`);
    expect(result.steps.map((s) => s.name)).toEqual(CREDENTIAL_STEPS);
    expect(result.steps.map((s) => s.ok)).toEqual([true, true, true, false]);
    expect(run.leftoverDirs).toEqual([]);
    expect(run.leftoverPids).toEqual([]);
  });
});

// Storing needs the keychain: scripts/with-keyring.sh provides a private Secret Service session.
//
describe.skipIf(process.env.SSPM_ONBOARD_TEST_KEYRING !== '1')('pagerduty add --sandbox, then pagerduty test --all (keychain)', () => {
  let configDir: string;
  const tag = `e2e${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  // Names chosen so that the stored (alphabetical) order differs from the order they were added in.
  const stored = [
    { name: `${tag}-c-okta`, label: 'us-okta-classic', test: true },
    { name: `${tag}-a-azure`, label: 'eu-azure-push-default', test: false },
    { name: `${tag}-b-creds`, label: 'eu-credentials-two-step', test: false },
  ];
  const env = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir, ...extra });

  beforeAll(() => {
    assertBuilt();
    configDir = tempDir('sspm-e2e-config-');
  });

  afterAll(async () => {
    // Leave no secret in the shared test keyring.
    for (const { name } of stored) await runCli(['pagerduty', 'remove', name, '--yes', '--no-input'], { env: env() });
    removeDir(configDir);
  });

  it('adds three instances (the first one tested through the in-process sandbox), then tests them all in one run', async () => {
    for (const entry of stored) {
      const acc = SAMPLE_ACCOUNTS.find((a) => a.label === entry.label)!;
      const args = [
        'pagerduty', 'add', '--name', entry.name, '--url', acc.url, '--login-method', acc.loginMethod, '--user', acc.user,
        ...(acc.loginMethod === 'okta' ? ['--okta-subdomain', acc.oktaSubdomain!] : []),
        '--no-input', '--json', '--sandbox', ...(entry.test ? [] : ['--no-test']),
      ];
      const add = await runCli(args, { env: env(secretEnv(acc)), killAfterMs: 110_000 });
      expect(add.code, describeRun(add)).toBe(0);
      const out = JSON.parse(add.stdout) as { ok: boolean; stored: unknown; test: TestJson | null };
      expect(out.ok).toBe(true);
      expect(out.stored).not.toBeNull();
      if (entry.test) {
        expect(out.test).toMatchObject({ name: entry.name, ok: true, owner: 'verified', loginMethod: 'okta', region: 'us' });
        expect(out.test!.steps.map((s) => s.name)).toEqual(SSO_STEPS);
      } else {
        expect(out.test).toBeNull();
      }
      expect(add.stdout + add.stderr).not.toContain(acc.password);
    }

    const all = await runCli(['pagerduty', 'test', '--all', '--json', '--sandbox'], { env: env(), killAfterMs: 110_000 });
    expect(all.code, describeRun(all)).toBe(0);
    const results = JSON.parse(all.stdout) as TestJson[];
    expect(Array.isArray(results)).toBe(true);
    const order = stored.map((s) => s.name).sort();
    expect(results.map((r) => r.name)).toEqual(order);
    for (const result of results) {
      const acc = SAMPLE_ACCOUNTS.find((a) => a.label === stored.find((s) => s.name === result.name)!.label)!;
      expect(result).toMatchObject({ ok: true, owner: 'verified', loginMethod: acc.loginMethod, region: acc.region });
      expect(result.steps.map((s) => s.name)).toEqual(acc.loginMethod === 'credentials' ? CREDENTIAL_STEPS : SSO_STEPS);
    }

    // Health: the last test's result is kept per instance and shown by `list`.
    const list = await runCli(['pagerduty', 'list', '--json'], { env: env() });
    expect(list.code, describeRun(list)).toBe(0);
    const listed = JSON.parse(list.stdout) as Array<{ name: string; lastTest: { ok: boolean; owner: string } | null }>;
    expect(listed.map((l) => l.name)).toEqual(order);
    for (const l of listed) expect(l.lastTest, l.name).toMatchObject({ ok: true, owner: 'verified' });
  });
});
