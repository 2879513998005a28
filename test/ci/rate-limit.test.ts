// Polite concurrency and PagerDuty's rate limiting through the built CLI. The sandbox's "rate-limit" fault makes a
// PagerDuty host answer HTTP 429 (Retry-After: 30) to a log-in that would make more than N at once on it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SampleAccount, type SandboxHandle } from '../../src/sandbox/index.js';
import { cleanEnv, findLeak, removeDir, runCli, tempDir } from '../helpers/cli.js';
import { account, assertBuilt, describeRun, runAccountTest, runE2e, testArgs, secretEnv, type TestJson } from '../e2e/helpers.js';

const PASSPHRASE = 'rate-limit-test-passphrase';
const FLEET = ['one', 'two', 'three', 'four', 'five', 'six'];

let work: string;
const sandboxes: SandboxHandle[] = [];

async function sandboxWith(faults: Parameters<typeof startSandbox>[0]): Promise<SandboxHandle> {
  const sandbox = await startSandbox(faults);
  sandboxes.push(sandbox);
  return sandbox;
}

/** Six stored instances on one PagerDuty host (acme.pagerduty.com), in their own config folder. */
async function fleetOnOneHost(acc: SampleAccount, folder: string): Promise<NodeJS.ProcessEnv> {
  const env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: path.join(work, folder), SSPM_ONBOARD_PASSPHRASE: PASSPHRASE });
  for (const name of FLEET) {
    const added = await runCli(
      ['pagerduty', 'add', '--name', name, '--url', acc.url, '--login-method', 'credentials', '--user', acc.user, '--no-test', '--no-input', '--secret-store', 'file'],
      { env: { ...env, SSPM_PAGERDUTY_PASSWORD: acc.password } },
    );
    expect(added.code, added.stderr).toBe(0);
  }
  return env;
}

beforeAll(() => {
  assertBuilt();
  work = tempDir();
});

afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
  if (work) removeDir(work);
});

describe('rate limiting and polite concurrency', () => {
  it('a rate-limited log-in is exit 6 RATE_LIMITED with the wait PagerDuty asks for, not an unrecognized page', async () => {
    const sandbox = await sandboxWith({ faults: [{ rateLimitAt: 0 }] });
    const acc = account(sandbox, 'us-credentials-legacy');
    const run = await runAccountTest(sandbox, acc);
    expect(run.code, describeRun(run)).toBe(6);
    const result = run.json as TestJson & { error: { retryAfterSeconds?: number } };
    expect(result.error.code).toBe('RATE_LIMITED');
    expect(result.error.retryAfterSeconds).toBe(30);
    expect(result.error.message).toMatch(/PagerDuty is rate limiting log-ins at acme\.pagerduty\.com; it asks to wait 30 s/);
    expect(result.error.fix).toMatch(/after 30 s/);
    expect(run.leftoverPids).toEqual([]);
    expect(run.leftoverDirs).toEqual([]);
    expect(findLeak([{ where: 'stdout', text: run.stdout }, { where: 'stderr', text: run.stderr }], [acc.password])).toBeUndefined();
  });

  it('the fault by name through --sandbox and SSPM_SANDBOX_FAULT, in plain output', async () => {
    const acc = account(await sandboxWith({}), 'us-credentials-legacy');
    const args = testArgs(acc, null, ['--sandbox']).filter((a) => a !== '--json');
    const run = await runE2e(args, { ...secretEnv(acc), SSPM_SANDBOX_FAULT: 'rate-limit' });
    expect(run.code, describeRun(run)).toBe(6);
    expect(run.stderr).toMatch(/FAILED \(RATE_LIMITED\) PagerDuty is rate limiting log-ins at acme\.pagerduty\.com; it asks to wait 30 s/);
  });

  it('six instances on one host with --concurrency 6: at most 2 log-ins at once by default, so a host that allows 2 lets all pass', async () => {
    // slow=1000: every answer takes a second, so log-ins that overlap surely overlap at the host.
    const sandbox = await sandboxWith({ faults: [{ rateLimitAt: 2 }, { slowMs: 1_000 }] });
    const env = await fleetOnOneHost(account(sandbox, 'us-credentials-legacy'), 'polite');
    const run = await runCli(['pagerduty', 'test', '--all', '--json', '--concurrency', '6', '--timeout', '90', ...sandbox.browserArgs.map((a) => `--browser-arg=${a}`)], { env });
    expect(run.code, describeRun(run)).toBe(0);
    const results = JSON.parse(run.stdout) as TestJson[];
    expect(results.map((r) => r.name)).toEqual([...FLEET].sort());
    expect(results.every((r) => r.ok)).toBe(true);
  }, 240_000);

  it('the same fleet with --host-concurrency 6 overruns that host: the refused log-ins are RATE_LIMITED', async () => {
    const sandbox = await sandboxWith({ faults: [{ rateLimitAt: 2 }, { slowMs: 1_000 }] });
    const env = await fleetOnOneHost(account(sandbox, 'us-credentials-legacy'), 'impolite');
    const run = await runCli(['pagerduty', 'test', '--all', '--json', '--concurrency', '6', '--host-concurrency', '6', '--timeout', '90', ...sandbox.browserArgs.map((a) => `--browser-arg=${a}`)], { env });
    const results = JSON.parse(run.stdout) as TestJson[];
    const limited = results.filter((r) => r.error?.code === 'RATE_LIMITED');
    expect(limited.length, describeRun(run)).toBeGreaterThan(0);
    expect(results.every((r) => r.ok || r.error?.code === 'RATE_LIMITED')).toBe(true);
    expect(run.code, describeRun(run)).toBe(6);
  }, 240_000);
});
