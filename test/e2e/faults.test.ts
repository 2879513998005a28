// End to end through the built CLI: every fault scenario of the sandbox mapped to its exit code and error
// code, the one-time-code retry, and the origin allow-list refusing a look-alike host before typing anything.
// One sandbox per fault set (a fault applies to every account of its sandbox).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxFault, type SandboxHandle } from '../../src/sandbox/index.js';
import { account, assertBuilt, codeSubmissions, describeRun, idpHost, limiter, runAccountTest, type E2eRun, type TestJson } from './helpers.js';

/** A valid base32 2FA secret that no sample account has enrolled. */
const WRONG_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

const FAULT_SETS = {
  none: [],
  locked: ['locked'],
  http500: ['http500'],
  drop: ['drop'],
  slow: [{ slowMs: 1_500 }],
  verySlow: [{ slowMs: 6_000 }],
  interstitial: ['interstitial'],
  phishing: ['phishing-redirect'],
} satisfies Record<string, SandboxFault[]>;
type FaultSetName = keyof typeof FAULT_SETS;

const sandboxes = new Map<FaultSetName, SandboxHandle>();
const sb = (name: FaultSetName) => sandboxes.get(name)!;

// Runs that spend most of their time waiting for the next TOTP window get their own (idle) slots.
const cpuSlots = limiter(2);
const waitSlots = limiter(3);
const codeSlots = limiter(6);

function expectFailure(run: E2eRun, exit: number, code: string): TestJson {
  expect(run.code, describeRun(run)).toBe(exit);
  const result = run.json as TestJson;
  expect(result.ok).toBe(false);
  expect(result.error?.code).toBe(code);
  expect(typeof result.error?.message).toBe('string');
  expect(result.steps.at(-1)?.ok, 'the failed step is reported as failed').toBe(false);
  expect(run.leftoverDirs, 'temp profile left').toEqual([]);
  expect(run.leftoverPids, 'Chromium left').toEqual([]);
  return result;
}

describe.concurrent('fault scenarios through `pagerduty test`', () => {
  beforeAll(async () => {
    assertBuilt();
    await Promise.all(
      (Object.entries(FAULT_SETS) as Array<[FaultSetName, SandboxFault[]]>).map(async ([name, faults]) => {
        sandboxes.set(name, await startSandbox({ faults }));
      }),
    );
  });

  afterAll(async () => {
    await Promise.all([...sandboxes.values()].map((s) => s.close()));
  });

  // ---- one-time codes (each waits for a later TOTP window: started first) ----------------------------------
  //
  // These wait for a later TOTP window (up to a period each) while their browsers sit idle: their own, wider
  // limit keeps them from holding the slots of the other scenarios.

  it.each(['us-okta-classic', 'us-azure-code', 'eu-okta-identity-engine'])('%s: a wrong 2FA secret is retried once with a later code, then exit 4 MFA_REJECTED', async (label) => {
    // Its own sandbox, so that its events count only this run's code submissions.
    const sandbox = await startSandbox();
    try {
      const acc = account(sandbox, label);
      const run = await codeSlots(() => runAccountTest(sandbox, acc, { mfaSecret: WRONG_SECRET }));
      const result = expectFailure(run, 4, 'MFA_REJECTED');
      expect(result.owner).toBe('unverified');
      expect(result.error!.fix).toMatch(/2FA secret/);
      expect(result.steps.map((s) => s.name)).toEqual(['open-sign-in', 'idp', 'mfa']);
      expect(codeSubmissions(sandbox.events, idpHost(acc)), 'code submissions').toHaveLength(2);
    } finally {
      await sandbox.close();
    }
  });

  it.each(['us-okta-classic', 'us-azure-code', 'eu-okta-identity-engine'])(
    'reject-first-code: %s follows the refused first code with one from a later window, and the log-in passes',
    async (label) => {
      const sandbox = await startSandbox({ faults: ['reject-first-code'] });
      try {
        const acc = account(sandbox, label);
        const run = await codeSlots(() => runAccountTest(sandbox, acc));
        expect(run.code, describeRun(run)).toBe(0);
        expect(run.json).toMatchObject({ ok: true, owner: 'verified' });
        expect(codeSubmissions(sandbox.events, idpHost(acc)), 'code submissions').toHaveLength(2);
        expect(run.leftoverDirs).toEqual([]);
        expect(run.leftoverPids).toEqual([]);
      } finally {
        await sandbox.close();
      }
    },
  );

  // ---- log-in rejected ------------------------------------------------------------------------------------------

  it.each(['us-credentials-legacy', 'eu-okta-identity-engine', 'eu-azure-push-default'])(
    '%s: a wrong password (from the environment) ends in exit 3 LOGIN_REJECTED',
    async (label) => {
      const sandbox = sb('none');
      const acc = account(sandbox, label);
      const run = await cpuSlots(() => runAccountTest(sandbox, acc, { password: 'not-the-right-password-123' }));
      const result = expectFailure(run, 3, 'LOGIN_REJECTED');
      expect(result.error!.message).toContain(acc.user);
      expect(result.steps.map((s) => s.name)).not.toContain('mfa');
    },
  );

  it.each(['us-credentials-legacy', 'us-azure-code'])('locked: %s is refused with the right password, exit 3 LOGIN_REJECTED', async (label) => {
    const sandbox = sb('locked');
    const acc = account(sandbox, label);
    const run = await cpuSlots(() => runAccountTest(sandbox, acc));
    const result = expectFailure(run, 3, 'LOGIN_REJECTED');
    expect(result.error!.message).toMatch(/locked/i);
  });

  // ---- network ------------------------------------------------------------------------------------------------

  it('http500: PagerDuty answering HTTP 500 ends in exit 6 NETWORK', async () => {
    const run = await cpuSlots(() => runAccountTest(sb('http500'), account(sb('http500'), 'us-credentials-legacy')));
    const result = expectFailure(run, 6, 'NETWORK');
    expect(result.error!.message).toContain('500');
  });

  it('drop: a dropped connection ends in exit 6 NETWORK', async () => {
    const run = await cpuSlots(() => runAccountTest(sb('drop'), account(sb('drop'), 'us-credentials-legacy')));
    const result = expectFailure(run, 6, 'NETWORK');
    expect(result.error!.message).toContain('https://acme.pagerduty.com/sign_in');
  });

  it('slow pages (1.5 s per request) still pass within the default timeout', async () => {
    const run = await cpuSlots(() => runAccountTest(sb('slow'), account(sb('slow'), 'us-credentials-legacy')));
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.json).toMatchObject({ ok: true, owner: 'verified' });
  });

  it('--timeout 5 against 6 s pages: exit 6 NETWORK, and no browser or temp profile left', async () => {
    const run = await cpuSlots(() => runAccountTest(sb('verySlow'), account(sb('verySlow'), 'us-credentials-legacy'), { extraArgs: ['--timeout', '5'] }));
    const result = expectFailure(run, 6, 'NETWORK');
    expect(result.error!.message).toMatch(/timed out/i);
  });

  // ---- unrecognized pages and the allow-list ------------------------------------------------------------------

  it('interstitial: an unknown page after sign-in stops with exit 7, naming the last known state and the URL without query', async () => {
    const run = await cpuSlots(() => runAccountTest(sb('interstitial'), account(sb('interstitial'), 'us-credentials-legacy')));
    const result = expectFailure(run, 7, 'UNRECOGNIZED_PAGE');
    expect(result.error!.message).toContain('https://acme.pagerduty.com/terms_of_service');
    expect(result.error!.message).toContain('"pagerduty.one-page"');
    expect(result.error!.message).not.toMatch(/\?|#/);
  });

  it.each([
    ['us-okta-classic', 'evil-acme.okta.com'],
    ['us-azure-code', 'evil-contoso.okta.com'],
  ])('phishing-redirect: %s is stopped at %s before anything is typed (exit 7)', async (label, foreignHost) => {
    const sandbox = sb('phishing');
    const acc = account(sandbox, label);
    const run = await cpuSlots(() => runAccountTest(sandbox, acc));
    const result = expectFailure(run, 7, 'UNRECOGNIZED_PAGE');
    expect(result.error!.message).toContain(foreignHost);
    expect(result.error!.message).not.toContain('SAMLRequest');
    expect(result.steps.map((s) => s.name)).not.toContain('mfa');
    // Nothing was submitted to the look-alike: no POST, no field (the sandbox records every non-GET request).
    expect(sandbox.events.filter((e) => e.host === foreignHost)).toEqual([]);
    expect(sandbox.events.filter((e) => e.fields.some((f) => /pass|otc|answer|loginfmt|username|identifier/i.test(f)))).toEqual([]);
  });
});
