// End to end through the built CLI: the Entra screens real accounts meet besides email, password and code
// (login-pages.md), each switched on by a sandbox fault. Every screen the flow can pass passes, with its
// wrong-password (exit 3) and wrong-code (exit 4) variants; the ones that need a person end in exit 4; a
// Defender for Cloud Apps proxy stops before anything is typed. Nothing is ever sent to a host outside the
// allow-list, and no secret reaches the output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxFault, type SandboxHandle } from '../../src/sandbox/index.js';
import { account, assertBuilt, codeSubmissions, describeRun, limiter, runAccountTest, SSO_STEPS, type E2eRun, type TestJson } from './helpers.js';

/** A valid base32 2FA secret that no sample account has enrolled. */
const WRONG_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const WRONG_PASSWORD = 'not-the-right-password-123';
const ENTRA = 'login.microsoftonline.com';

/** Screens a sign-in passes through (the fault that shows each one). */
const PASSABLE = ['entra-account-picker', 'entra-credential-picker', 'entra-passwordless', 'entra-nudge', 'entra-cmsi'] as const;
/** The ones shown before the password: their wrong-password and wrong-code runs take a new way to the same forms.
 *  The nudge and "Continue to sign in?" come after the code, so a wrong password or code never reaches them. */
const BEFORE_PASSWORD = PASSABLE.slice(0, 3);
/** Every screen at once, on the account whose default method is a push. */
const ALL_PASSABLE = 'all-passable';
const ENDING = ['entra-push-denied', 'entra-push-timeout', 'entra-proof-up', 'mcas-proxy'] as const;
type SetName = (typeof PASSABLE)[number] | (typeof ENDING)[number] | typeof ALL_PASSABLE;

const sandboxes = new Map<SetName, SandboxHandle>();
const sb = (name: SetName) => sandboxes.get(name)!;
const cpuSlots = limiter(2);
// Wrong-code runs spend most of their time waiting for a later TOTP window, with their browser idle.
const waitSlots = limiter(4);

/** What every run must show: no secret in any output, no Chromium or profile left behind. */
function expectClean(run: E2eRun, secrets: string[]): void {
  for (const secret of secrets) expect(run.stdout + run.stderr, 'a secret in the output').not.toContain(secret);
  expect(run.leftoverDirs, 'temp profile left').toEqual([]);
  expect(run.leftoverPids, 'Chromium left').toEqual([]);
}

function expectFailure(run: E2eRun, exit: number, code: string): TestJson {
  expect(run.code, describeRun(run)).toBe(exit);
  const result = run.json as TestJson;
  expect(result).toMatchObject({ ok: false, owner: 'unverified', error: { code } });
  expect(result.steps.at(-1)?.ok, 'the failed step is reported as failed').toBe(false);
  return result;
}

// Runs queue for a slot (two cores shared with other files): the bound covers the queue, not one run.
describe.concurrent('Entra screens through `pagerduty test`', { timeout: 360_000 }, () => {
  beforeAll(async () => {
    assertBuilt();
    const sets: Array<[SetName, SandboxFault[]]> = [
      ...[...PASSABLE, ...ENDING].map((name): [SetName, SandboxFault[]] => [name, [name]]),
      [ALL_PASSABLE, [...PASSABLE]],
    ];
    await Promise.all(sets.map(async ([name, faults]) => sandboxes.set(name, await startSandbox({ faults }))));
  });

  afterAll(async () => {
    // Whatever ran, nothing was submitted to a host outside the allow-list of the Entra accounts.
    const allowed = new Set(['contoso.pagerduty.com', 'fabrikam.eu.pagerduty.com', ENTRA]);
    for (const [name, sandbox] of sandboxes) {
      expect(sandbox.events.filter((e) => !allowed.has(e.host)), `${name}: submissions outside the allowed hosts`).toEqual([]);
    }
    await Promise.all([...sandboxes.values()].map((s) => s.close()));
  });

  it.each(PASSABLE)('%s: the sign-in passes the screen and ends signed in as the Account Owner (exit 0)', async (fault) => {
    const sandbox = sb(fault);
    const acc = account(sandbox, 'us-azure-code');
    const run = await cpuSlots(() => runAccountTest(sandbox, acc));
    expect(run.code, describeRun(run)).toBe(0);
    const result = run.json as TestJson;
    expect(result).toMatchObject({ ok: true, owner: 'verified', loginMethod: 'azure' });
    expect(result.steps.map((s) => s.name)).toEqual(SSO_STEPS);
    expectClean(run, [acc.password, acc.mfaSecret!]);
  });

  it('every screen at once, on an account whose default method is a push: exit 0', async () => {
    const sandbox = sb(ALL_PASSABLE);
    const acc = account(sandbox, 'eu-azure-push-default');
    const run = await cpuSlots(() => runAccountTest(sandbox, acc));
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.json).toMatchObject({ ok: true, owner: 'verified', region: 'eu' });
    expectClean(run, [acc.password, acc.mfaSecret!]);
  });

  it.each(BEFORE_PASSWORD)('%s: a wrong password ends in exit 3 LOGIN_REJECTED, before any code', async (fault) => {
    const sandbox = sb(fault);
    const acc = account(sandbox, 'us-azure-code');
    const run = await cpuSlots(() => runAccountTest(sandbox, acc, { password: WRONG_PASSWORD }));
    const result = expectFailure(run, 3, 'LOGIN_REJECTED');
    expect(result.error!.message).toContain(acc.user);
    expect(result.steps.map((s) => s.name)).toEqual(['open-sign-in', 'idp']);
    expectClean(run, [WRONG_PASSWORD, acc.mfaSecret!]);
  });

  it.each(BEFORE_PASSWORD)('%s: a wrong 2FA secret ends in exit 4 MFA_REJECTED', async (fault) => {
    const sandbox = sb(fault);
    const acc = account(sandbox, 'us-azure-code');
    const run = await waitSlots(() => runAccountTest(sandbox, acc, { mfaSecret: WRONG_SECRET }));
    const result = expectFailure(run, 4, 'MFA_REJECTED');
    expect(result.error!.fix).toMatch(/2FA secret/);
    expect(result.steps.map((s) => s.name)).toEqual(['open-sign-in', 'idp', 'mfa']);
    expectClean(run, [acc.password, WRONG_SECRET]);
  });

  it.each([
    ['entra-push-denied', /request .* was denied/, /treat it as a warning/],
    ['entra-push-timeout', /request .* timed out/, /default sign-in method/],
  ] as const)('%s: exit 4 MFA_REJECTED saying so, and no code is typed', async (fault, message, fix) => {
    const sandbox = sb(fault);
    const acc = account(sandbox, 'eu-azure-push-default');
    const run = await cpuSlots(() => runAccountTest(sandbox, acc));
    const result = expectFailure(run, 4, 'MFA_REJECTED');
    expect(result.error!.message).toMatch(message);
    expect(result.error!.fix).toMatch(fix);
    expect(codeSubmissions(sandbox.events, ENTRA)).toEqual([]);
    expectClean(run, [acc.password, acc.mfaSecret!]);
  });

  it('entra-proof-up ("More information required", no skip): exit 4 MFA_REJECTED with what the user must do', async () => {
    const sandbox = sb('entra-proof-up');
    const acc = account(sandbox, 'us-azure-code');
    const run = await cpuSlots(() => runAccountTest(sandbox, acc));
    const result = expectFailure(run, 4, 'MFA_REJECTED');
    expect(result.error!.message).toContain('More information required');
    expect(result.error!.fix).toMatch(/Sign in once in a browser/);
    // Stopped on the page: "Next" (which leads to the registration) was never pressed.
    expect(sandbox.events.filter((e) => e.path.endsWith('/ProofUpRedirect'))).toEqual([]);
    expectClean(run, [acc.password, acc.mfaSecret!]);
  });

  it('mcas-proxy: a sign-in sent through a Defender for Cloud Apps proxy stops before typing, naming that cause (exit 7)', async () => {
    const sandbox = sb('mcas-proxy');
    const acc = account(sandbox, 'us-azure-code');
    const run = await cpuSlots(() => runAccountTest(sandbox, acc));
    const result = expectFailure(run, 7, 'UNRECOGNIZED_PAGE');
    expect(result.error!.message).toMatch(/Stopped before typing anything on login-microsoftonline-com\.mcas\.ms/);
    expect(result.error!.message).toMatch(/Defender for Cloud Apps/);
    expect(result.error!.fix).toMatch(/Conditional Access App Control/);
    // Nothing at all was submitted to the Entra pages, proxied or not.
    expect(sandbox.events.filter((e) => e.host.endsWith('.mcas.ms') || e.host === ENTRA)).toEqual([]);
    expectClean(run, [acc.password, acc.mfaSecret!]);
  });
});
