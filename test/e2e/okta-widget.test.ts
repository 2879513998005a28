// End to end through the built CLI against Okta orgs that serve the vendor's real Sign-In Widget (npm
// @okta/okta-signin-widget): Identity Engine Gen2 and Gen3 (with a list of authenticators, with an Okta Verify push
// shown first, with the "Keep me signed in" step) and Classic (Okta Verify the default factor). Each flow signs in,
// a wrong password ends with exit 3 and a wrong 2FA secret with exit 4, and nothing is sent to any other host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SampleAccount, type SandboxHandle } from '../../src/sandbox/index.js';
import { widgetAssets } from '../../src/sandbox/okta-widget.js';
import { OKTA_ORGS } from '../../src/sandbox/world.js';
import { SSO_STEPS, account, assertBuilt, codeSubmissions, describeRun, idpHost, limiter, runAccountTest, type E2eRun, type TestJson } from './helpers.js';

/** A valid base32 2FA secret that no sample account has enrolled. */
const WRONG_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

const WIDGET_ACCOUNTS = [
  { label: 'us-okta-widget-gen2-kmsi', frontEnd: 'gen2', kmsi: true, pushFirst: false },
  { label: 'us-okta-widget-gen3-push-first-kmsi', frontEnd: 'gen3', kmsi: true, pushFirst: true },
  { label: 'us-okta-widget-gen2-push-first', frontEnd: 'gen2', kmsi: false, pushFirst: true },
  { label: 'eu-okta-widget-gen3', frontEnd: 'gen3', kmsi: false, pushFirst: false },
  { label: 'us-okta-widget-classic-verify-default', frontEnd: 'classic', kmsi: false, pushFirst: true },
] as const;

// The widget bundles are large (Gen3 4 MB): few browsers at once, and a wide time bound per run.
const cpuSlots = limiter(2);
// Wrong-code runs mostly wait for a later TOTP window.
const waitSlots = limiter(2);
const WIDE = { extraArgs: ['--timeout', '150'], killAfterMs: 170_000 };

function pdHostOf(acc: SampleAccount): string {
  return new URL(acc.url).hostname;
}

/** Nothing was submitted anywhere but the PagerDuty hosts and Okta orgs of the accounts under test (the runs of
 *  this file share one sandbox and run at the same time, so one run's requests cannot be told from another's). */
function expectOnlyAllowedHosts(sandbox: SandboxHandle, since: number): void {
  const allowed = WIDGET_ACCOUNTS.flatMap(({ label }) => {
    const acc = account(sandbox, label);
    return [pdHostOf(acc), idpHost(acc)];
  });
  for (const host of new Set(sandbox.events.slice(since).map((e) => e.host))) expect(allowed, `submitted to ${host}`).toContain(host);
}

function expectNoSecrets(run: E2eRun, acc: SampleAccount): void {
  const out = run.stdout + run.stderr;
  expect(out).not.toContain(acc.password);
  expect(out).not.toContain(acc.mfaSecret!);
}

describe.concurrent('Okta through the vendor\'s Sign-In Widget (sandbox)', { timeout: 600_000 }, () => {
  let sandbox: SandboxHandle;

  beforeAll(async () => {
    assertBuilt();
    sandbox = await startSandbox();
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('serves the npm widget package (not the hand-written fallback) and has an org per generation', () => {
    expect(widgetAssets(), 'npm ci installs @okta/okta-signin-widget (a dev dependency)').not.toBeNull();
    for (const { label, frontEnd, pushFirst, kmsi } of WIDGET_ACCOUNTS) {
      const acc = account(sandbox, label);
      const org = OKTA_ORGS.find((o) => idpHost(acc) === `${o.org}.${o.domain}`);
      expect(org?.frontEnd, label).toBe(frontEnd);
      // The sandbox challenges Okta Verify (a push) first when it is the user's first factor: the only way on to
      // Google Authenticator is then "Verify with something else" (Identity Engine) or the factor menu (Classic).
      expect(org?.users[0]?.factors[0] === 'okta_verify', `${label} push first`).toBe(pushFirst);
      expect(Boolean(org?.keepMeSignedIn), `${label} keep me signed in`).toBe(kmsi);
    }
  });

  // Classic with Okta Verify the default goes through the factor menu, whose first click the real widget sometimes
  // swallows while it animates; the engine clicks a still-closed menu again (test/connect/engine.test.ts has the
  // deterministic version of that race).
  it.each(WIDGET_ACCOUNTS.map((w) => [w.label, w] as const))('%s: signs in as the Account Owner (exit 0)', async (label, w) => {
    const acc = account(sandbox, label);
    const since = sandbox.events.length;
    const run = await cpuSlots(() => runAccountTest(sandbox, acc, WIDE));
    expect(run.code, describeRun(run)).toBe(0);
    const result = run.json as TestJson;
    expect(result).toMatchObject({ ok: true, loginMethod: 'okta', owner: 'verified' });
    expect(result.steps.map((s) => s.name)).toEqual(SSO_STEPS);
    const mine = sandbox.events.slice(since).filter((e) => e.host === idpHost(acc));
    const paths = mine.map((e) => e.path).filter((p) => p !== '/idp/idx/introspect');
    if (w.frontEnd === 'classic') {
      expect(paths).toContain('/api/v1/authn');
    } else {
      expect(paths.slice(0, 2), 'identifier, then password').toEqual(['/idp/idx/identify', '/idp/idx/challenge/answer']);
      // Google Authenticator was chosen from the list, reached directly or through "Verify with something else".
      expect(paths).toContain('/idp/idx/challenge');
      expect(paths.includes('/idp/idx/keep-me-signed-in'), 'the "Keep me signed in" step was answered').toBe(w.kmsi);
    }
    expect(codeSubmissions(mine, idpHost(acc)), 'one code, accepted').toHaveLength(1);
    expectOnlyAllowedHosts(sandbox, since);
    expectNoSecrets(run, acc);
    expect(run.leftoverDirs).toEqual([]);
    expect(run.leftoverPids).toEqual([]);
  });

  it.each(WIDGET_ACCOUNTS.map((w) => [w.label] as const))('%s: a wrong password ends with exit 3 before any code is typed', async (label) => {
    const acc = account(sandbox, label);
    const since = sandbox.events.length;
    const run = await cpuSlots(() => runAccountTest(sandbox, acc, { ...WIDE, password: 'sandbox-wrong-password-42' }));
    expect(run.code, describeRun(run)).toBe(3);
    const result = run.json as TestJson;
    expect(result).toMatchObject({ ok: false, error: { code: 'LOGIN_REJECTED' } });
    expect(result.error!.message).toMatch(/Okta/);
    expect(result.error!.message).toMatch(/Password is incorrect|Unable to sign in/);
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual([['open-sign-in', true], ['idp', false]]);
    expect(run.stdout + run.stderr).not.toContain('sandbox-wrong-password-42');
    expectOnlyAllowedHosts(sandbox, since);
    expectNoSecrets(run, acc);
  });

  it.each(WIDGET_ACCOUNTS.map((w) => [w.label] as const))('%s: a wrong 2FA secret ends with exit 4 after two codes', async (label) => {
    const acc = account(sandbox, label);
    const since = sandbox.events.length;
    const run = await waitSlots(() => runAccountTest(sandbox, acc, { ...WIDE, mfaSecret: WRONG_SECRET }));
    expect(run.code, describeRun(run)).toBe(4);
    const result = run.json as TestJson;
    expect(result).toMatchObject({ ok: false, error: { code: 'MFA_REJECTED' } });
    expect(result.error!.message).toMatch(/Invalid code|doesn't match/);
    expect(result.steps.map((s) => [s.name, s.ok])).toEqual([['open-sign-in', true], ['idp', true], ['mfa', false]]);
    const mine = sandbox.events.slice(since).filter((e) => e.host === idpHost(acc));
    expect(codeSubmissions(mine, idpHost(acc)), 'the rejected code is retried once, with a new code').toHaveLength(2);
    expect(run.stdout + run.stderr).not.toContain(WRONG_SECRET);
    expectOnlyAllowedHosts(sandbox, since);
    expectNoSecrets(run, acc);
  });
});
