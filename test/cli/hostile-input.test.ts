// Issue 9: hostile or careless input through the built CLI (points 4, 6, 7, 8). Each test is what a user would
// see: the exit code, one line on stderr that names the problem, and what was (not) written.
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CLI as CLI_PATH, cleanEnv, removeDir, runCli, tempDir } from '../helpers/cli.js';

const root = tempDir('sspm-hostile-');
afterAll(() => removeDir(root));

let count = 0;
function freshDir(label: string): string {
  count += 1;
  return path.join(root, `${label}-${count}`);
}

/** Exactly one line on stderr (the error and its fix), nothing else. */
function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines, stderr).toHaveLength(1);
  return lines[0]!;
}

const SMOKE = ['pagerduty', 'test', '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'owner@acme.com', '--no-input', '--timeout', '5'];

describe('--browser-arg that opens the browser to other processes (point 8)', () => {
  it.each([
    '--remote-debugging-port=9222',
    '--remote-debugging-address=0.0.0.0',
    '--remote-allow-origins=*',
    '--user-data-dir=/tmp/profile',
    '-remote-debugging-port=9222',
  ])('%s is refused with exit 2 and why, before any browser starts', async (arg) => {
    const tmp = freshDir('tmp');
    mkdirSync(tmp);
    const run = await runCli([...SMOKE, `--browser-arg=${arg}`], { env: cleanEnv({ TMPDIR: tmp, SSPM_PAGERDUTY_PASSWORD: 'pw-browser-arg-1' }) });
    expect(run.code).toBe(2);
    const line = oneLine(run.stderr);
    expect(line).toContain(`--browser-arg "${arg}" is refused`);
    expect(line).toMatch(/drive the signed-in browser|session cookies/);
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('bounded, strict input (point 6)', () => {
  const DRY = ['pagerduty', 'add', '--url', 'https://acme.pagerduty.com', '--login-method', 'okta', '--okta-subdomain', 'acme', '--user', 'jane', '--dry-run', '--no-input'];

  it('more than 64 KiB on stdin for --password-stdin is exit 2, one line', async () => {
    const run = await runCli([...DRY, '--password-stdin'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: freshDir('config'), SSPM_PAGERDUTY_MFA_SECRET: 'JBSWY3DPEHPK3PXP' }), input: 'p'.repeat(64 * 1024 + 1) });
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toMatch(/--password-stdin: stdin is larger than 64 KiB/);
  });

  it('an --mfa-secret-file that is a device or a huge file is read only to the bound: exit 2, one line', async () => {
    const big = path.join(freshDir('big'));
    writeFileSync(big, `JBSWY3DPEHPK3PXP${' '.repeat(70 * 1024)}`);
    for (const file of [big, '/dev/zero']) {
      const run = await runCli([...DRY, '--mfa-secret-file', file], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: freshDir('config'), SSPM_PAGERDUTY_PASSWORD: 'pw-cap-1' }) });
      expect(run.code).toBe(2);
      expect(oneLine(run.stderr)).toContain(`--mfa-secret-file "${file}" is larger than 64 KiB`);
    }
  });

  it('a password that is not valid UTF-8 (stdin or environment) is exit 2, never typed with replacement characters', async () => {
    const dir = freshDir('config');
    // Latin-1 bytes "pw\xe9!" (what a Latin-1 terminal sends for "pwé!"): piped as raw bytes through a shell.
    const stdinRun = spawnSync('bash', ['-c', `printf 'pw\\351!' | "${process.execPath}" "$0" "$@"`, CLI_PATH, ...DRY, '--password-stdin'], {
      env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir, SSPM_PAGERDUTY_MFA_SECRET: 'JBSWY3DPEHPK3PXP' }),
      encoding: 'utf8',
    });
    expect(stdinRun.status).toBe(2);
    expect(oneLine(stdinRun.stderr)).toMatch(/--password-stdin: stdin is not valid UTF-8/);
    const envRun = spawnSync('bash', ['-c', `SSPM_PAGERDUTY_PASSWORD=$(printf 'pw\\351!') exec "${process.execPath}" "$0" "$@"`, CLI_PATH, ...DRY], {
      env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir, SSPM_PAGERDUTY_MFA_SECRET: 'JBSWY3DPEHPK3PXP' }),
      encoding: 'utf8',
    });
    expect(envRun.status).toBe(2);
    expect(oneLine(envRun.stderr)).toMatch(/Invalid password: it is not valid UTF-8/);
  });

  it.each([
    [['--url', 'http://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'jane@acme.com'], '--url'],
    [['--url', 'https://acme.pagerduty.com', '--login-method', 'okta', '--okta-subdomain', 'http://acme.okta.com', '--user', 'jane'], '--okta-subdomain'],
  ])('http:// is refused, not upgraded: %j', async (args, field) => {
    const run = await runCli(['pagerduty', 'add', ...args, '--dry-run', '--no-input'], {
      env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: freshDir('config'), SSPM_PAGERDUTY_PASSWORD: 'pw-http-1', SSPM_PAGERDUTY_MFA_SECRET: 'JBSWY3DPEHPK3PXP' }),
    });
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toMatch(new RegExp(`Invalid ${field} "http://.*only https:// addresses are accepted, not http:`));
  });

  it('a config.json larger than any the tool writes is refused naming its size, not parsed', async () => {
    const dir = freshDir('config');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(path.join(dir, 'config.json'), `{"version":1,"instances":{}${' '.repeat(5 * 1024 * 1024)}}`, { mode: 0o600 });
    const run = await runCli(['pagerduty', 'list'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir }) });
    expect(run.code).not.toBe(0);
    expect(oneLine(run.stderr)).toMatch(/config file .*config\.json is 5\.0 MiB, larger than .* it was left untouched/);
  });

  it.each([
    [['pagerduty', 'test', '--jsn'], /unknown option '--jsn' \(Did you mean --json\?\)/i],
    [['pagerduty', 'show'], /missing required argument 'name'/i],
    [['pagerduty', 'test', '--region', 'xx'], /Invalid --region "xx": use us or eu/],
    [['pagerduty', 'test', '--\u001b[31mred'], /unknown option '--\\u001b\[31mred'/i],
  ])('every usage error is one line: %j', async (args, pattern) => {
    const run = await runCli(args, { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: freshDir('config') }) });
    expect(run.code).toBe(2);
    expect(oneLine(run.stderr)).toMatch(pattern);
    expect(run.stderr).not.toContain('\u001b');
  });
});

describe('the config folder (point 7)', () => {
  const ADD = ['pagerduty', 'add', '--name', 'acme', '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'owner@acme.com', '--secret-store', 'file', '--no-test', '--no-input'];
  const envFor = (dir: string) => cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir, SSPM_PAGERDUTY_PASSWORD: 'pw-config-folder-1', SSPM_ONBOARD_PASSPHRASE: 'pp-config-folder-1' });

  it('a folder the user made keeps its mode; a new one is created 0700', async () => {
    const mine = freshDir('mine');
    mkdirSync(mine);
    chmodSync(mine, 0o750);
    const run = await runCli(ADD, { env: envFor(mine) });
    expect(run.code, run.stderr).toBe(0);
    expect(statSync(mine).mode & 0o777).toBe(0o750);
    expect(statSync(path.join(mine, 'config.json')).mode & 0o777).toBe(0o600);

    const created = path.join(freshDir('new'), 'sub');
    const second = await runCli(ADD, { env: envFor(created) });
    expect(second.code, second.stderr).toBe(0);
    expect(statSync(created).mode & 0o777).toBe(0o700);
  });

  it('a folder owned by another user is never used: exit 8 with the fix, nothing written', async () => {
    const theirs = freshDir('theirs');
    mkdirSync(theirs, { mode: 0o777 });
    chownSync(theirs, 65534, 65534);
    chmodSync(theirs, 0o777);
    const run = await runCli(ADD, { env: envFor(theirs) });
    expect(run.code, run.stderr).toBe(8);
    expect(oneLine(run.stderr)).toMatch(/belongs to another user \(uid 65534\).*Point SSPM_ONBOARD_CONFIG_DIR at a folder you own/);
    expect(readdirSync(theirs)).toEqual([]);
    expect(statSync(theirs).mode & 0o777).toBe(0o777);
  });

  it('a config.json that is a symbolic link to a file elsewhere is not written through (exit 8)', async () => {
    const dir = freshDir('linked');
    mkdirSync(dir, { mode: 0o700 });
    const elsewhere = freshDir('elsewhere');
    mkdirSync(elsewhere, { mode: 0o755 });
    const target = path.join(elsewhere, 'config.json');
    const original = '{"version":1,"instances":{}}\n';
    writeFileSync(target, original, { mode: 0o644 });
    symlinkSync(target, path.join(dir, 'config.json'));
    const run = await runCli(ADD, { env: envFor(dir) });
    expect(run.code, run.stderr).toBe(8);
    expect(oneLine(run.stderr)).toMatch(/config\.json is a symbolic link to .*elsewhere.*config\.json, outside its folder/);
    expect(readFileSync(target, 'utf8')).toBe(original);
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(lstatSync(path.join(dir, 'config.json')).isSymbolicLink()).toBe(true);
  });
});
