// Fixes that fit the situation (issue 10, point 3), end to end through the built CLI against the sandbox:
// - a failed `add` stores nothing, so neither its message nor its JSON `error.fix` suggests `update <name>`;
// - a locked account (the sandbox's `locked` fault, on PagerDuty, Okta and Entra) says it is locked and to wait or
//   have it unlocked, not to check the password;
// - an Okta org given without its domain that PagerDuty sends to another Okta domain is named as the likely value;
// - a subdomain that does not exist in the chosen region, but in the other one, names the other region.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { removeDir, tempDir } from '../helpers/cli.js';
import { account, assertBuilt, describeRun, limiter, runAccountTest, runE2e, secretEnv, type E2eRun } from './helpers.js';

const slots = limiter(2);
let sandbox: SandboxHandle;
let locked: SandboxHandle;
const root = tempDir('sspm-e2e-fixes-');
const PASSPHRASE = 'fitting fixes passphrase 7731';

beforeAll(async () => {
  assertBuilt();
  [sandbox, locked] = await Promise.all([startSandbox(), startSandbox({ faults: ['locked'] })]);
});

afterAll(async () => {
  await Promise.all([sandbox?.close(), locked?.close()]);
  removeDir(root);
});

interface JsonError {
  code: string;
  message: string;
  fix: string | null;
  reason?: string;
}

function errorOf(run: E2eRun): JsonError {
  const document = run.json as { ok: boolean; error?: JsonError } | undefined;
  expect(document, describeRun(run)).toBeDefined();
  expect(document!.ok).toBe(false);
  return document!.error!;
}

const routed = (s: SandboxHandle) => s.browserArgs.map((a) => `--browser-arg=${a}`);

describe('after a failed add nothing is stored: no fix names `update`', () => {
  const acc = () => account(sandbox, 'eu-credentials-two-step');
  const addArgs = (extra: string[]) => [
    'pagerduty', 'add', '--name', 'fixes-acme', '--login-method', 'credentials', '--user', acc().user,
    '--secret-store', 'file', '--no-input', ...routed(sandbox), ...extra,
  ];

  it.each([
    { what: 'a wrong password', extra: ['--url', 'https://acme-eu.eu.pagerduty.com'], password: 'not-the-right-password-1', exit: 3, code: 'LOGIN_REJECTED', fix: /Check the user \(--user\) and the password, then run the command again\.$/m },
    { what: 'the wrong region', extra: ['--subdomain', 'acme-eu', '--region', 'us'], password: undefined, exit: 2, code: 'INVALID_INPUT', fix: /run the command again with --url https:\/\/acme-eu\.eu\.pagerduty\.com \(or --subdomain acme-eu --region eu\)\.$/m },
  ])('$what: exit $exit, the fix says what to run again, and nothing is stored', async ({ extra, password, exit, code, fix }) => {
    const configDir = path.join(root, `add-${code}`);
    const env = { ...secretEnv(acc(), { password }), SSPM_ONBOARD_PASSPHRASE: PASSPHRASE, SSPM_ONBOARD_CONFIG_DIR: configDir };
    for (const json of [true, false]) {
      const run = await slots(() => runE2e(addArgs(json ? [...extra, '--json'] : extra), env));
      expect(run.code, describeRun(run)).toBe(exit);
      expect(run.stdout + run.stderr).not.toMatch(/pagerduty update/);
      if (json) {
        const error = errorOf(run);
        expect(error.code).toBe(code);
        expect(error.fix).toMatch(fix);
        expect(error.message).toMatch(/Nothing was stored\.$/);
      } else {
        expect(run.stderr).toMatch(fix);
      }
    }
    const list = await runE2e(['pagerduty', 'list', '--json'], { SSPM_ONBOARD_CONFIG_DIR: configDir });
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('the wrong region of a stored instance: the fix is an `update <name>` that works', async () => {
    const configDir = path.join(root, 'stored');
    const env = { ...secretEnv(acc()), SSPM_ONBOARD_PASSPHRASE: PASSPHRASE, SSPM_ONBOARD_CONFIG_DIR: configDir };
    const add = await runE2e(addArgs(['--subdomain', 'acme-eu', '--region', 'us', '--no-test']), env);
    expect(add.code, describeRun(add)).toBe(0);
    const run = await slots(() => runE2e(['pagerduty', 'test', 'fixes-acme', '--json', ...routed(sandbox)], env));
    expect(run.code, describeRun(run)).toBe(2);
    const error = errorOf(run);
    expect(error.message).toBe('There is no PagerDuty account at acme-eu.pagerduty.com (it answered HTTP 404), but there is one at acme-eu.eu.pagerduty.com (the EU service region).');
    expect(error.fix).toBe('Use the EU region: sspm-onboard pagerduty update fixes-acme --url https://acme-eu.eu.pagerduty.com (or --subdomain acme-eu --region eu).');
    // Doing what the fix says (the update's own log-in test included) makes the instance work.
    const update = await slots(() => runE2e(['pagerduty', 'update', 'fixes-acme', '--url', 'https://acme-eu.eu.pagerduty.com', '--no-input', '--json', ...routed(sandbox)], env));
    expect(update.code, describeRun(update)).toBe(0);
    const again = await slots(() => runE2e(['pagerduty', 'test', 'fixes-acme', '--json', ...routed(sandbox)], env));
    expect(again.code, describeRun(again)).toBe(0);
  });

  it('a subdomain in neither region says so, with the flag to correct', async () => {
    const run = await slots(() =>
      runE2e(['pagerduty', 'test', '--subdomain', 'no-such-account', '--login-method', 'credentials', '--user', acc().user, '--no-input', '--json', ...routed(sandbox)], secretEnv(acc())),
    );
    expect(run.code, describeRun(run)).toBe(2);
    const error = errorOf(run);
    expect(error.message).toBe('There is no PagerDuty account at no-such-account.pagerduty.com (it answered HTTP 404), nor at no-such-account.eu.pagerduty.com.');
    expect(error.fix).toMatch(/--url/);
  });
});

describe('an Okta org given without its domain', () => {
  it('found on okta-emea.com: named as the likely value, and nothing typed anywhere', async () => {
    const acc = account(sandbox, 'eu-okta-identity-engine');
    const before = sandbox.events.length;
    const run = await slots(() => runAccountTest(sandbox, { ...acc, oktaSubdomain: 'globex' }));
    expect(run.code, describeRun(run)).toBe(2);
    const error = errorOf(run);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/^Stopped before typing anything on globex\.okta-emea\.com: PagerDuty sends this account's single sign-on to the Okta org globex\.okta-emea\.com, not to globex\.okta\.com as given\.$/);
    expect(error.fix).toBe('If globex.okta-emea.com is your Okta org: run the command again with --okta-subdomain globex.okta-emea.com.');
    expect(error.message + error.fix).not.toMatch(/phishing/);
    const posted = sandbox.events.slice(before).filter((e) => e.method === 'POST' && e.host.endsWith('okta-emea.com'));
    expect(posted, 'nothing was submitted to the Okta org').toEqual([]);
  });
});

describe('a locked account (sandbox fault `locked`)', () => {
  it.each([
    ['us-credentials-legacy', 'PagerDuty', /^Wait 15 min \(the page's words\) for the lock to end and run the command again, or ask PagerDuty Support to unlock it/],
    ['eu-okta-identity-engine', 'Okta', /or have an Okta admin unlock the user/],
    ['us-azure-code', 'Microsoft Entra ID', /or have an Entra admin unlock the user/],
  ])('%s: says %s locked it and to wait or unlock, not to check the password (exit 3)', async (label, service, fix) => {
    const acc = account(locked, label);
    const run = await slots(() => runAccountTest(locked, acc));
    expect(run.code, describeRun(run)).toBe(3);
    const error = errorOf(run);
    expect(error.code).toBe('LOGIN_REJECTED');
    // Scripts (and the wizard, which then asks for no other password) read the meaning, not the words.
    expect(error.reason).toBe('account-locked');
    expect(error.message).toMatch(new RegExp(`^${service} says the account of ${acc.user.replace(/\./g, '\\.')} is locked\\. The page said: ".*locked.*"$`));
    expect(error.fix).toMatch(fix);
    expect(error.fix).not.toMatch(/check the (user and the )?password/i);
    expect(run.leftoverPids).toEqual([]);
  });
});
