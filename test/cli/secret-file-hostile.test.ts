// Issue 9, point 5: the encrypted secret file trusts nothing it reads, hides the length of what it holds, and
// its passphrase is checked before any sign-in. Through the built CLI, against the sandbox.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { cleanEnv, removeDir, runCli, tempDir } from '../helpers/cli.js';

const root = tempDir('sspm-secret-file-');
const PASSPHRASE = 'file-store-Passphrase-1';
let sandbox: SandboxHandle;
let count = 0;

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
  removeDir(root);
});

function account() {
  return sandbox.accounts.find((a) => a.label === 'us-credentials-legacy')!;
}

function routed(): string[] {
  return sandbox.browserArgs.map((a) => `--browser-arg=${a}`);
}

/** A config folder holding one instance `name` in the encrypted file (stored without a test). */
async function storedInFile(name: string, password = account().password): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  count += 1;
  const dir = path.join(root, `config-${count}`);
  const env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir, SSPM_ONBOARD_PASSPHRASE: PASSPHRASE });
  const acc = account();
  const add = await runCli(
    ['pagerduty', 'add', '--name', name, '--url', acc.url, '--login-method', 'credentials', '--user', acc.user, '--secret-store', 'file', '--no-test', '--no-input'],
    { env: { ...env, SSPM_PAGERDUTY_PASSWORD: password } },
  );
  expect(add.code, add.stderr).toBe(0);
  return { dir, env };
}

function editFile(dir: string, change: (json: any) => void): void {
  const file = path.join(dir, 'secrets.enc.json');
  const json = JSON.parse(readFileSync(file, 'utf8'));
  change(json);
  writeFileSync(file, JSON.stringify(json));
}

function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines, stderr).toHaveLength(1);
  return lines[0]!;
}

describe('a hand-edited secret file is refused before anything is derived or typed (exit 8, with the fix)', () => {
  it.each([
    ['scrypt N=4194304, r=32, p=16 (gigabytes of memory)', (j: any) => (j.kdf = { name: 'scrypt', N: 4194304, r: 32, p: 16 }), /scrypt parameters N=4194304, r=32, p=16, which sspm-onboard never writes/],
    ['scrypt N=20000 (not a power of two)', (j: any) => (j.kdf.N = 20000), /scrypt parameters N=20000, r=8, p=1, which sspm-onboard never writes/],
    ['a GCM tag cut to 4 bytes', (j: any) => (j.entries['acme/password'].tag = Buffer.from(j.entries['acme/password'].tag, 'base64').subarray(0, 4).toString('base64')), /at entries\.acme\/password\.tag \(expected 16 bytes\)/],
    ['a 4-byte tag on the passphrase check', (j: any) => (j.check.tag = Buffer.from(j.check.tag, 'base64').subarray(0, 4).toString('base64')), /at check\.tag \(expected 16 bytes\)/],
  ])('%s', async (_label, change, pattern) => {
    const { dir, env } = await storedInFile('acme');
    editFile(dir, change);
    const before = readFileSync(path.join(dir, 'secrets.enc.json'), 'utf8');
    const eventsBefore = sandbox.events.length;
    const run = await runCli(['pagerduty', 'test', 'acme', '--timeout', '20', ...routed()], { env, killAfterMs: 60_000 });
    expect(run.code, run.stderr).toBe(8);
    const line = oneLine(run.stderr);
    expect(line).toMatch(pattern);
    expect(line).toMatch(/it was left untouched\. Restore it from a backup, or move it away/);
    expect(sandbox.events.length, 'no sign-in happened').toBe(eventsBefore);
    expect(readFileSync(path.join(dir, 'secrets.enc.json'), 'utf8')).toBe(before);
  });
});

describe('padding', () => {
  it('the ciphertext of a 3-character and of a 60-character password has the same length', async () => {
    const short = await storedInFile('short', 'abc');
    const long = await storedInFile('long', 'L'.repeat(60));
    const dataOf = (dir: string, name: string) => JSON.parse(readFileSync(path.join(dir, 'secrets.enc.json'), 'utf8')).entries[`${name}/password`].data as string;
    expect(dataOf(short.dir, 'short').length).toBe(dataOf(long.dir, 'long').length);
  });
});

describe('the passphrase is checked before any sign-in', () => {
  it('a wrong passphrase: exit 8 and no request reached the sign-in pages', async () => {
    const { env } = await storedInFile('first');
    const acc = account();
    const eventsBefore = sandbox.events.length;
    const run = await runCli(['pagerduty', 'add', '--name', 'second', '--url', acc.url, '--login-method', 'credentials', '--user', acc.user, '--secret-store', 'file', '--no-input', ...routed()], {
      env: { ...env, SSPM_ONBOARD_PASSPHRASE: 'not-the-passphrase', SSPM_PAGERDUTY_PASSWORD: acc.password },
      killAfterMs: 60_000,
    });
    expect(run.code, run.stderr).toBe(8);
    expect(oneLine(run.stderr)).toMatch(/The passphrase does not open .*secrets\.enc\.json/);
    expect(sandbox.events.length).toBe(eventsBefore);
  });

  it('no passphrase and no terminal: exit 2 naming SSPM_ONBOARD_PASSPHRASE, before any sign-in', async () => {
    count += 1;
    const acc = account();
    const eventsBefore = sandbox.events.length;
    const run = await runCli(['pagerduty', 'add', '--name', 'nopass', '--url', acc.url, '--login-method', 'credentials', '--user', acc.user, '--secret-store', 'file', '--no-input', ...routed()], {
      env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: path.join(root, `config-${count}`), SSPM_PAGERDUTY_PASSWORD: acc.password }),
      killAfterMs: 60_000,
    });
    expect(run.code, run.stderr).toBe(2);
    expect(oneLine(run.stderr)).toMatch(/needs its passphrase\. Set SSPM_ONBOARD_PASSPHRASE/);
    expect(sandbox.events.length).toBe(eventsBefore);
  });

  it('the right passphrase: the log-in runs and the secret is stored', async () => {
    const { dir, env } = await storedInFile('first');
    const acc = account();
    const run = await runCli(['pagerduty', 'add', '--name', 'second', '--url', acc.url, '--login-method', 'credentials', '--user', acc.user, '--secret-store', 'file', '--no-input', '--json', ...routed()], {
      env: { ...env, SSPM_PAGERDUTY_PASSWORD: acc.password },
      killAfterMs: 90_000,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(path.join(dir, 'secrets.enc.json'), 'utf8')).entries)).toEqual(['first/password', 'second/password']);
  });
});
