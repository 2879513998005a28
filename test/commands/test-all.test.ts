// `pagerduty test --all`: one browser launch for every instance, results in input order, stable shards.
import { chmodSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { cleanEnv, removeDir, runCli, tempDir } from '../helpers/cli.js';

const HEADLESS_SHELL = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell'].find((p) => existsSync(p))!;
const NAMES = ['zulu', 'alpha', 'mike', 'bravo'];

let sandbox: SandboxHandle;
let work: string;
let env: NodeJS.ProcessEnv;
let wrapper: string;
let launchLog: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  work = tempDir();
  launchLog = path.join(work, 'launches.log');
  // A browser wrapper that counts its launches (its name keeps the headless-shell mode).
  wrapper = path.join(work, 'counting-chromium-headless-shell');
  writeFileSync(wrapper, `#!/bin/sh\necho launch >> '${launchLog}'\nexec '${HEADLESS_SHELL}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  const account = sandbox.accounts.find((a) => a.label === 'us-credentials-legacy')!;
  env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: path.join(work, 'config'), SSPM_ONBOARD_PASSPHRASE: 'test-all-passphrase' });
  for (const name of NAMES) {
    const added = await runCli(
      ['pagerduty', 'add', '--name', name, '--url', account.url, '--login-method', 'credentials', '--user', account.user, '--no-test', '--no-input', '--secret-store', 'file'],
      { env: { ...env, SSPM_PAGERDUTY_PASSWORD: account.password } },
    );
    expect(added.code, added.stderr).toBe(0);
  }
});

afterAll(async () => {
  await sandbox.close();
  removeDir(work);
});

const browserFlags = () => ['--browser', wrapper, ...sandbox.browserArgs.map((arg) => `--browser-arg=${arg}`)];

describe('pagerduty test --all', () => {
  it('tests every instance with one browser launch, results in input order, health recorded', async () => {
    writeFileSync(launchLog, '');
    const result = await runCli(['pagerduty', 'test', '--all', '--json', '--concurrency', '2', ...browserFlags()], { env });
    expect(result.code, result.stderr).toBe(0);
    const results = JSON.parse(result.stdout) as Array<{ name: string; ok: boolean; owner: string }>;
    expect(results.map((r) => r.name)).toEqual([...NAMES].sort());
    expect(results.every((r) => r.ok && r.owner === 'verified')).toBe(true);
    expect(readFileSync(launchLog, 'utf8').trim().split('\n')).toHaveLength(1);

    const list = JSON.parse((await runCli(['pagerduty', 'list', '--json'], { env })).stdout) as Array<{ lastTest: { ok: boolean } | null }>;
    expect(list.every((i) => i.lastTest?.ok === true)).toBe(true);
  });

  it('several names: one launch, the order given', async () => {
    writeFileSync(launchLog, '');
    const result = await runCli(['pagerduty', 'test', 'mike', 'alpha', '--json', ...browserFlags()], { env });
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as Array<{ name: string }>).map((r) => r.name)).toEqual(['mike', 'alpha']);
    expect(readFileSync(launchLog, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('--shard i/n splits the instances into disjoint slices that cover them all', async () => {
    const slices: string[][] = [];
    for (const shard of ['1/2', '2/2']) {
      const result = await runCli(['pagerduty', 'test', '--all', '--shard', shard, '--json', ...browserFlags()], { env });
      expect(result.code, result.stderr).toBe(0);
      slices.push((JSON.parse(result.stdout) as Array<{ name: string }>).map((r) => r.name));
    }
    expect([...slices[0]!, ...slices[1]!].sort()).toEqual([...NAMES].sort());
    expect(slices[0]!.filter((n) => slices[1]!.includes(n))).toEqual([]);
  });

  it('a failing instance makes the exit code say what failed', async () => {
    const result = await runCli(['pagerduty', 'test', 'alpha', 'nosuch', '--json', ...browserFlags()], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/No instance named "nosuch"/);
  });
});
