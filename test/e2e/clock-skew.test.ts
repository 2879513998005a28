// End to end through the built CLI: an identity provider whose clock is off from this machine's (the sandbox's
// skew fault shifts its Date headers and its TOTP checks alike). The CLI reads the IdP's time from its pages,
// makes codes for that time, and says by how much the clock is off (`clockSkewMs`); a rejected code names the
// skew it saw. Without the correction a code 90 s off is refused: the sandbox accepts one window either side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { account, assertBuilt, describeRun, limiter, runAccountTest, type TestJson } from './helpers.js';

const WRONG_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
/** The estimate comes from whole-second Date headers: allow a second and a half either way. */
const TOLERANCE_MS = 1_500;

type SkewJson = TestJson & { clockSkewMs?: number };

const sandboxes: Record<'ahead' | 'behind' | 'none', SandboxHandle | undefined> = { ahead: undefined, behind: undefined, none: undefined };
const slots = limiter(3);

// Runs queue for a slot (two cores shared with other files): the bound covers the queue, not one run.
describe.concurrent('an identity provider whose clock is off (sandbox fault skew=<s>)', { timeout: 300_000 }, () => {
  beforeAll(async () => {
    assertBuilt();
    [sandboxes.ahead, sandboxes.behind, sandboxes.none] = await Promise.all([
      startSandbox({ faults: [{ skewSeconds: 90 }] }),
      startSandbox({ faults: [{ skewSeconds: -75 }] }),
      startSandbox(),
    ]);
  });

  afterAll(async () => {
    await Promise.all(Object.values(sandboxes).map((s) => s?.close()));
  });

  it.each(['us-azure-code', 'us-okta-classic', 'eu-okta-identity-engine', 'eu-azure-push-default'])(
    '%s: the IdP 90 s ahead; codes are made for its time, the log-in passes and clockSkewMs says by how much',
    async (label) => {
      const sandbox = sandboxes.ahead!;
      const acc = account(sandbox, label);
      const run = await slots(() => runAccountTest(sandbox, acc));
      expect(run.code, describeRun(run)).toBe(0);
      const result = run.json as SkewJson;
      expect(result).toMatchObject({ ok: true, owner: 'verified' });
      expect(Math.abs(result.clockSkewMs! - 90_000), `clockSkewMs ${result.clockSkewMs}`).toBeLessThanOrEqual(TOLERANCE_MS);
    },
  );

  it('us-azure-code: the IdP 75 s behind; negative clockSkewMs, the log-in passes; a person reads it on stderr', async () => {
    const sandbox = sandboxes.behind!;
    const acc = account(sandbox, 'us-azure-code');
    const run = await slots(() => runAccountTest(sandbox, acc, { json: false }));
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stderr).toMatch(/this machine's clock is 7[4-6] s ahead of the identity provider's/);
    const json = await slots(() => runAccountTest(sandbox, acc));
    expect(json.code, describeRun(json)).toBe(0);
    expect(Math.abs((json.json as SkewJson).clockSkewMs! + 75_000)).toBeLessThanOrEqual(TOLERANCE_MS);
  });

  it('us-okta-classic: a clock that is right gets no clockSkewMs', async () => {
    const sandbox = sandboxes.none!;
    const run = await slots(() => runAccountTest(sandbox, account(sandbox, 'us-okta-classic')));
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.json as SkewJson).not.toHaveProperty('clockSkewMs');
  });

  it('us-azure-code: with a wrong 2FA secret the rejection (exit 4) names the skew it saw', async () => {
    const sandbox = sandboxes.ahead!;
    const acc = account(sandbox, 'us-azure-code');
    const run = await slots(() => runAccountTest(sandbox, acc, { mfaSecret: WRONG_SECRET }));
    expect(run.code, describeRun(run)).toBe(4);
    const result = run.json as SkewJson;
    expect(result.error?.code).toBe('MFA_REJECTED');
    expect(result.error!.message).toMatch(/This machine's clock is (89|90|91) s behind Microsoft Entra ID's/);
    expect(Math.abs(result.clockSkewMs! - 90_000)).toBeLessThanOrEqual(TOLERANCE_MS);
  });
});
