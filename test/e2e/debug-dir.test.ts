// Issue 9, point 4: --debug-dir never writes through a symbolic link, into a folder of another user, or outside
// the folder (a hand-edited config name); files are 0600 in a 0700 folder and stderr says where they are.
// Config values with control characters are never printed raw. Through the built CLI, against the sandbox.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { cleanEnv, removeDir, runCli, tempDir } from '../helpers/cli.js';
import { account, assertBuilt } from './helpers.js';

const inKeyring = process.env.SSPM_ONBOARD_TEST_KEYRING === '1' && !!process.env.DBUS_SESSION_BUS_ADDRESS;
const root = tempDir('sspm-debug-dir-');
let sandbox: SandboxHandle;
let count = 0;

beforeAll(async () => {
  assertBuilt();
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
  removeDir(root);
});

function fresh(label: string): string {
  count += 1;
  return path.join(root, `${label}-${count}`);
}

const mode = (p: string) => statSync(p).mode & 0o777;

/** A log-in that fails (wrong password), so debug files are due. */
function failingTest(debugDir: string) {
  const acc = account(sandbox, 'us-credentials-legacy');
  return runCli(
    ['pagerduty', 'test', '--url', acc.url, '--login-method', 'credentials', '--user', acc.user, '--no-input', '--json', '--debug-dir', debugDir, ...sandbox.browserArgs.map((a) => `--browser-arg=${a}`)],
    { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: fresh('config'), SSPM_PAGERDUTY_PASSWORD: 'wrong-Password-debug-dir-1' }), killAfterMs: 120_000 },
  );
}

describe('--debug-dir (issue 9, point 4)', () => {
  it('files are 0600 in a new 0700 folder, and stderr says where they are', async () => {
    const dir = fresh('debug');
    const run = await failingTest(dir);
    expect(run.code, run.stderr).toBe(3);
    const folder = path.join(dir, 'acme');
    expect(run.stderr).toContain(`Debug files for acme: ${folder}`);
    expect(mode(dir)).toBe(0o700);
    expect(mode(folder)).toBe(0o700);
    const files = readdirSync(folder);
    expect(files).toEqual(expect.arrayContaining(['steps.log', 'final-url.txt']));
    for (const file of files) expect(mode(path.join(folder, file)), file).toBe(0o600);

    // A second failing run keeps the first run's files and writes beside them.
    const again = await failingTest(dir);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain(`Debug files for acme: ${folder}.2`);
  }, 240_000);

  it('a --debug-dir that is a symbolic link is refused (exit 2): nothing is written where it points', async () => {
    const target = fresh('target');
    mkdirSync(target, { mode: 0o700 });
    const link = fresh('link');
    symlinkSync(target, link);
    const run = await failingTest(link);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/--debug-dir ".*" is a symbolic link/);
    expect(readdirSync(target)).toEqual([]);
  }, 120_000);

  it('a --debug-dir owned by another user, or writable by others, is refused (exit 2)', async () => {
    const theirs = fresh('theirs');
    mkdirSync(theirs, { mode: 0o700 });
    chownSync(theirs, 65534, 65534);
    const run = await failingTest(theirs);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/belongs to another user \(uid 65534\)/);
    expect(readdirSync(theirs)).toEqual([]);

    const open = fresh('open');
    mkdirSync(open);
    execFileSync('chmod', ['0777', open]);
    const second = await failingTest(open);
    expect(second.code, second.stderr).toBe(2);
    expect(second.stderr).toMatch(/is writable by other users/);
    expect(readdirSync(open)).toEqual([]);
  }, 120_000);

  it('an instance folder planted as a symbolic link is never written through', async () => {
    const dir = fresh('debug');
    mkdirSync(dir, { mode: 0o700 });
    const elsewhere = fresh('elsewhere');
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, path.join(dir, 'acme'));
    const run = await failingTest(dir);
    expect(run.code, run.stderr).toBe(3);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(lstatSync(path.join(dir, 'acme.2')).isDirectory()).toBe(true);
  }, 120_000);
});

describe.skipIf(!inKeyring)('names and values read from config.json are checked again (issue 9, point 4)', () => {
  it('an entry named ../../escaped cannot make `test --all --debug-dir` write outside the folder', async () => {
    const base = fresh('escape');
    const debugDir = path.join(base, 'a', 'b');
    mkdirSync(debugDir, { recursive: true, mode: 0o700 });
    const configDir = path.join(base, 'config');
    mkdirSync(configDir, { mode: 0o700 });
    const name = '../../escaped';
    const acc = account(sandbox, 'us-credentials-legacy');
    const now = new Date().toISOString();
    const entry = { name, subdomain: 'acme', region: 'us', loginMethod: 'credentials', user: acc.user, okta: null, secretStore: 'keychain', createdAt: now, updatedAt: now };
    writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ version: 1, instances: { [name]: entry } }), { mode: 0o600 });
    // Its password is in the keychain too, so only the name check can stop the run.
    execFileSync('secret-tool', ['store', '--label', 'x', 'service', 'sspm-onboard', 'username', `${name}/password`], { input: 'wrong-Password-escape-1' });
    const run = await runCli(['pagerduty', 'test', '--all', '--json', '--debug-dir', debugDir, ...sandbox.browserArgs.map((a) => `--browser-arg=${a}`)], {
      env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir }),
      killAfterMs: 120_000,
    });
    execFileSync('secret-tool', ['clear', 'service', 'sspm-onboard', 'username', `${name}/password`]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/instances\.\.\.\/\.\.\/escaped\.name: not a valid instance name/);
    expect(existsSync(path.join(base, 'escaped'))).toBe(false);
    expect(readdirSync(debugDir)).toEqual([]);
  }, 120_000);
});

describe('control characters in config values are never printed raw (issue 9, point 4)', () => {
  it('`list` and `show` refuse the entry, escaping the value in the message', async () => {
    const configDir = fresh('config');
    mkdirSync(configDir, { mode: 0o700 });
    const now = new Date().toISOString();
    const entry = { name: 'acme', subdomain: 'acme', region: 'us', loginMethod: 'credentials', user: 'owner\u001b]0;pwned\u0007@acme.com', okta: null, secretStore: 'keychain', createdAt: now, updatedAt: now };
    writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ version: 1, instances: { 'ac\u001b[2Jme': { ...entry, name: 'ac\u001b[2Jme' }, acme: entry } }), { mode: 0o600 });
    for (const args of [['pagerduty', 'list'], ['pagerduty', 'show', 'acme'], ['pagerduty', 'list', '--json']]) {
      const run = await runCli(args, { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir }) });
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stdout + run.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      expect(run.stderr).toContain('instances.ac\\u001b[2Jme');
    }
    // The value itself: an entry whose user holds an escape sequence.
    writeFileSync(path.join(configDir, 'config.json'), JSON.stringify({ version: 1, instances: { acme: entry } }), { mode: 0o600 });
    const list = await runCli(['pagerduty', 'list'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir }) });
    expect(list.code).not.toBe(0);
    expect(list.stdout + list.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(list.stderr).toMatch(/instances\.acme\.user: contains control characters/);
  });
});
