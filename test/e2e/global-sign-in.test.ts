// End to end through the built CLI: accounts whose /sign_in sends the browser to PagerDuty's global sign-in on
// identity.pagerduty.com (confirmation modal, email, password or SSO through the subdomain page, the session
// handed back to the account host). What was typed where is read from the sandbox's events (field names only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxEvent, type SandboxHandle } from '../../src/sandbox/index.js';
import { CREDENTIAL_STEPS, SSO_STEPS, account, assertBuilt, describeRun, idpHost, runAccountTest, type TestJson } from './helpers.js';

const PASSWORD_FIELDS = /pass|^pw$|passwd|credentials\.passcode/i;
const CODE_FIELDS = /^(otc|answer|credentials\.passcode)$/;

// One run at a time: identity.pagerduty.com is shared, so its events are told apart only by time.
describe('PagerDuty global sign-in (identity.pagerduty.com) through the CLI', () => {
  let sandbox: SandboxHandle;

  beforeAll(async () => {
    assertBuilt();
    sandbox = await startSandbox();
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  /** Events of one run (from its start), on the hosts it may use. */
  const eventsOf = (from: number, hosts: string[]): SandboxEvent[] => sandbox.events.slice(from).filter((e) => hosts.includes(e.host));

  it('password: Continue in the modal, email, password on identity.pagerduty.com, signed in on the account host (exit 0)', async () => {
    const acc = account(sandbox, 'us-credentials-global');
    const from = sandbox.events.length;
    const run = await runAccountTest(sandbox, acc);
    expect(run.code, describeRun(run)).toBe(0);
    const result = run.json as TestJson;
    expect(result).toMatchObject({ ok: true, owner: 'verified', loginMethod: 'credentials' });
    expect(result.steps.map((s) => s.name)).toEqual(CREDENTIAL_STEPS);
    const events = eventsOf(from, ['identity.pagerduty.com', 'cyberdyne.pagerduty.com']);
    const withPassword = events.filter((e) => e.fields.some((f) => PASSWORD_FIELDS.test(f)));
    expect(withPassword.map((e) => `${e.host}${e.path}`)).toEqual(['identity.pagerduty.com/global/authn/authentication/PagerDutyGlobalLogin/enter_password']);
    expect(events.map((e) => e.path)).toContain('/global/authn/authentication/PagerDutyGlobalLogin/enter_email');
  });

  it('a wrong password on the global sign-in is exit 3 LOGIN_REJECTED quoting the page, typed only there', async () => {
    const acc = account(sandbox, 'us-credentials-global');
    const from = sandbox.events.length;
    const run = await runAccountTest(sandbox, acc, { password: 'not-the-Cyberdyne-password' });
    expect(run.code, describeRun(run)).toBe(3);
    const result = run.json as TestJson;
    expect(result.error?.code).toBe('LOGIN_REJECTED');
    expect(result.error?.message).toContain('Incorrect email or password.');
    expect(run.stdout + run.stderr).not.toContain('not-the-Cyberdyne-password');
    const withPassword = eventsOf(from, ['identity.pagerduty.com', 'cyberdyne.pagerduty.com']).filter((e) => e.fields.some((f) => PASSWORD_FIELDS.test(f)));
    expect(new Set(withPassword.map((e) => e.host))).toEqual(new Set(['identity.pagerduty.com']));
    expect(run.leftoverDirs).toEqual([]);
    expect(run.leftoverPids).toEqual([]);
  });

  it.each(['us-okta-global', 'eu-azure-global'])('%s: SSO through the subdomain page to the IdP; secrets typed only at the IdP (exit 0)', async (label) => {
    const acc = account(sandbox, label);
    const pdHost = new URL(acc.url).host;
    const from = sandbox.events.length;
    const run = await runAccountTest(sandbox, acc);
    expect(run.code, describeRun(run)).toBe(0);
    const result = run.json as TestJson;
    expect(result).toMatchObject({ ok: true, owner: 'verified', loginMethod: acc.loginMethod, region: acc.region });
    expect(result.steps.map((s) => s.name)).toEqual(SSO_STEPS);
    const events = eventsOf(from, ['identity.pagerduty.com', pdHost, idpHost(acc)]);
    // On PagerDuty's hosts only the subdomain was submitted, then the IdP's SAML answer.
    const onPagerDuty = events.filter((e) => e.host !== idpHost(acc));
    expect(onPagerDuty.map((e) => `${e.host}${e.path}`)).toEqual([
      'identity.pagerduty.com/global/authn/authentication/PagerDutyGlobalLogin/subdomain',
      `${pdHost}/sso/saml/consume`,
    ]);
    for (const e of onPagerDuty) expect(e.fields.filter((f) => PASSWORD_FIELDS.test(f) || CODE_FIELDS.test(f)), `${e.host}${e.path}`).toEqual([]);
    expect(events.some((e) => e.host === idpHost(acc) && e.fields.some((f) => PASSWORD_FIELDS.test(f)))).toBe(true);
  });
});
