// `--json` means exactly one JSON document on stdout, for every command and every outcome: success, a failed
// log-in test, invalid input, a usage error commander finds. Every command takes the same global flags
// (--json, --no-input, --debug). A failure's document is `{ ok: false, ..., error: { code, message, fix } }`
// and its code matches the exit status.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/core/errors.js';
import { SAMPLE_ACCOUNTS } from '../../src/sandbox/world.js';
import { CLI, cleanEnv, findLeak, removeDir, tempDir, type CliResult } from '../helpers/cli.js';
import { RunLog, uniqueName } from './helpers.js';

const root = tempDir('sspm-cli-json-');
const log = new RunLog();
afterAll(() => removeDir(root));

const account = SAMPLE_ACCOUNTS.find((a) => a.label === 'us-credentials-legacy')!;
const WRONG_PASSWORD = 'Json-Output-wrong-pw-5521';
const PASSPHRASE = 'json-output passphrase 8841';
const GLOBAL = ['--json', '--no-input', '--debug'];
const name = uniqueName('json');
const env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: path.join(root, 'config'), SSPM_ONBOARD_PASSPHRASE: PASSPHRASE });
const instanceFlags = ['--url', account.url, '--login-method', 'credentials', '--user', account.user];

/** The whole of stdout parsed as one JSON value: throws (naming the output) when it is anything else. */
function oneDocument(result: CliResult): any {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}

/** Checks the rule for any outcome and returns the document. */
function expectOneDocument(result: CliResult, exitCode: number): any {
  expect(result.signal).toBeNull();
  expect(result.code, result.stderr).toBe(exitCode);
  expect(result.stdout.trim().split('\n')).toHaveLength(1);
  const document = oneDocument(result);
  if (Array.isArray(document)) return document;
  expect(document.ok).toBe(exitCode === 0);
  if (exitCode !== 0 && document.error) {
    expect(Object.keys(document.error).sort()).toEqual(['code', 'fix', 'message']);
    expect(ERROR_CODES[document.error.code as keyof typeof ERROR_CODES]).toBe(exitCode);
    expect(typeof document.error.message).toBe('string');
    expect(document.error.fix === null || typeof document.error.fix === 'string').toBe(true);
  }
  return document;
}

const run = (args: string[], input = '') => log.run(args, { env, input });

describe('--json prints exactly one JSON document', () => {
  it('list with nothing onboarded: an empty array', async () => {
    expect(expectOneDocument(await run(['pagerduty', 'list', ...GLOBAL]), 0)).toEqual([]);
  });

  it('add --dry-run: the resolved instance', async () => {
    const doc = expectOneDocument(await run(['pagerduty', 'add', ...instanceFlags, '--name', name, '--dry-run', ...GLOBAL], WRONG_PASSWORD), 0);
    expect(doc).toMatchObject({ name, dryRun: true });
  });

  it('add with invalid input: the error', async () => {
    const doc = expectOneDocument(await run(['pagerduty', 'add', '--url', 'https://example.com', '--login-method', 'credentials', ...GLOBAL]), 2);
    expect(doc.error.code).toBe('INVALID_INPUT');
  });

  it('add whose log-in test is rejected: one document with the test result and the error (was two objects)', async () => {
    const doc = expectOneDocument(
      await run(['pagerduty', 'add', ...instanceFlags, '--name', name, '--password-stdin', '--secret-store', 'file', '--sandbox', ...GLOBAL], WRONG_PASSWORD),
      3,
    );
    expect(doc).toMatchObject({ name, stored: null, test: { ok: false, error: { code: 'LOGIN_REJECTED' } }, error: { code: 'LOGIN_REJECTED' } });
  });

  it('add that passes: stored, with the test result', async () => {
    const doc = expectOneDocument(
      await run(['pagerduty', 'add', ...instanceFlags, '--name', name, '--password-stdin', '--secret-store', 'file', '--sandbox', ...GLOBAL], account.password),
      0,
    );
    expect(doc).toMatchObject({ name, test: { ok: true } });
    expect(doc.stored.secrets).toContain('secrets.enc.json');
  });

  it('add under a taken name: the error', async () => {
    const doc = expectOneDocument(await run(['pagerduty', 'add', ...instanceFlags, '--name', name, '--password-stdin', '--secret-store', 'file', '--no-test', ...GLOBAL], account.password), 2);
    expect(doc.error.message).toContain('exists already');
  });

  it('list and show', async () => {
    const list = expectOneDocument(await run(['pagerduty', 'list', ...GLOBAL]), 0);
    expect(list.map((i: { name: string }) => i.name)).toEqual([name]);
    expect(expectOneDocument(await run(['pagerduty', 'show', name, ...GLOBAL]), 0)).toMatchObject({ name, secretStore: 'file' });
    expectOneDocument(await run(['pagerduty', 'show', 'no-such-instance', ...GLOBAL]), 2);
  });

  it('update whose log-in test is rejected, then one that passes', async () => {
    const rejected = expectOneDocument(await run(['pagerduty', 'update', name, '--password-stdin', '--sandbox', ...GLOBAL], WRONG_PASSWORD), 3);
    expect(rejected).toMatchObject({ name, stored: null, test: { ok: false }, error: { code: 'LOGIN_REJECTED' } });
    const passed = expectOneDocument(await run(['pagerduty', 'update', name, '--password-stdin', '--sandbox', ...GLOBAL], account.password), 0);
    expect(passed).toMatchObject({ name, test: { ok: true } });
  });

  it('test: one object for a name or flags, an array for --all, also when a test fails', async () => {
    expect(expectOneDocument(await run(['pagerduty', 'test', name, '--sandbox', ...GLOBAL]), 0)).toMatchObject({ name, ok: true });
    const all = expectOneDocument(await run(['pagerduty', 'test', '--all', '--sandbox', ...GLOBAL]), 0);
    expect(all).toEqual([expect.objectContaining({ name, ok: true })]);
    const failed = expectOneDocument(await log.run(['pagerduty', 'test', ...instanceFlags, '--sandbox', ...GLOBAL], { env: { ...env, SSPM_PAGERDUTY_PASSWORD: WRONG_PASSWORD } }), 3);
    expect(failed.error.code).toBe('LOGIN_REJECTED');
    expectOneDocument(await run(['pagerduty', 'test', 'no-such-instance', ...GLOBAL]), 2);
  });

  it('remove, and remove of a name that does not exist', async () => {
    expect(expectOneDocument(await run(['pagerduty', 'remove', name, '--yes', ...GLOBAL]), 0)).toEqual({ ok: true, removed: name });
    expectOneDocument(await run(['pagerduty', 'remove', name, '--yes', ...GLOBAL]), 2);
  });

  it('doctor with a browser that does not exist: every check and the error', async () => {
    const doc = expectOneDocument(await run(['doctor', '--browser', '/nonexistent/chrome', ...GLOBAL]), 2);
    expect(doc.checks.map((c: { name: string }) => c.name)).toEqual(['node', 'browser', 'keychain', 'config', 'orphans']);
  });

  it('sandbox: its details while it runs; an invalid port: the error', async () => {
    expectOneDocument(await run(['sandbox', '--port', '70000', ...GLOBAL]), 2);
    const result = await new Promise<CliResult>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'sandbox', ...GLOBAL], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        const first = !stdout.includes('\n');
        stdout += d;
        if (first && stdout.includes('\n')) child.kill('SIGINT');
      });
      child.stderr.on('data', (d) => (stderr += d));
      // A bound for a hung sandbox, not a timing assertion.
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('error', reject);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    });
    // Not recorded for the leak search: the sandbox prints its fake sample passwords on purpose.
    expect(expectOneDocument(result, 0).accounts.length).toBeGreaterThan(0);
  });

  it.each([
    { what: 'an unknown option', args: ['pagerduty', 'list', '--bogus'] },
    { what: 'an unknown pagerduty command', args: ['pagerduty', 'lst'] },
    { what: 'a missing argument', args: ['pagerduty', 'show'] },
    { what: 'a password as a flag value', args: ['pagerduty', 'add', '--password', WRONG_PASSWORD] },
    { what: 'an invalid choice', args: ['pagerduty', 'add', '--region', 'asia'] },
  ])('usage error ($what): the error as JSON, in our style on stderr', async ({ args }) => {
    const result = await run([...args, ...GLOBAL]);
    const doc = expectOneDocument(result, 2);
    expect(doc.error.code).toBe('INVALID_INPUT');
    expect(result.stderr).toMatch(/^Error: /);
    expect(result.stderr).not.toMatch(/^error: /m);
  });

  it('no secret reached any output', () => {
    expect(findLeak(log.outputs, [WRONG_PASSWORD, account.password, PASSPHRASE])).toBeUndefined();
  });
});
