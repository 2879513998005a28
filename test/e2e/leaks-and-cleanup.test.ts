// End to end through the built CLI: no secret, one-time code, cookie or SAML message in any output or debug
// artifact, and no Chromium process or temp profile left after success, failure, timeout and SIGINT.
//
// Each run gets a private TMPDIR (the CLI makes its `sspm-onboard-XXXXXX` profile under os.tmpdir(), which is
// TMPDIR), so what a run leaves is told apart from the runs of other test files going on at the same time:
// "no new sspm-onboard-* folder in os.tmpdir()" is "the run's private TMPDIR holds no sspm-onboard-* folder".
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { SAMPLE_ACCOUNTS } from '../../src/sandbox/world.js';
import { generateCode } from '../../src/core/totp.js';
import { findLeak, readTree, removeDir, tempDir } from '../helpers/cli.js';
import {
  account,
  afterExit,
  assertBuilt,
  describeRun,
  eventually,
  limiter,
  privateTmp,
  profileDirsIn,
  runAccountTest,
  secretEnv,
  sleep,
  spawnCli,
  testArgs,
  watchChromium,
  type E2eRun,
  type TestJson,
} from './helpers.js';

const WRONG_PASSWORD = 'wrong-Password-for-leak-test-42';
const WRONG_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const PERIOD = 30;

const slots = limiter(2);
let sandbox: SandboxHandle;
let slowSandbox: SandboxHandle;
const debugDirs: string[] = [];

/** Every stdout/stderr of this file's runs, and the time span they cover (for the TOTP codes). */
const outputs: Array<{ where: string; text: string }> = [];
let firstStart = Number.POSITIVE_INFINITY;
let lastEnd = 0;

function recordOutput(label: string, run: { stdout: string; stderr: string }, startedAt: number, endedAt: number): void {
  outputs.push({ where: `${label} stdout`, text: run.stdout }, { where: `${label} stderr`, text: run.stderr });
  firstStart = Math.min(firstStart, startedAt);
  lastEnd = Math.max(lastEnd, endedAt);
}

const SECRETS = [
  ...SAMPLE_ACCOUNTS.map((a) => a.password),
  ...SAMPLE_ACCOUNTS.flatMap((a) => (a.mfaSecret ? [a.mfaSecret] : [])),
  WRONG_PASSWORD,
  WRONG_SECRET,
];
const TOTP_SECRETS = [...new Set([...SAMPLE_ACCOUNTS.flatMap((a) => (a.mfaSecret ? [a.mfaSecret] : [])), WRONG_SECRET])];

/** Every code of every secret for the windows around [from, to] (ms), as whole 6-digit tokens. */
function codePattern(from: number, to: number): RegExp {
  const codes = new Set<string>();
  for (const secret of TOTP_SECRETS) {
    for (let counter = Math.floor(from / 1000 / PERIOD) - 2; counter <= Math.floor(to / 1000 / PERIOD) + 2; counter++) {
      codes.add(generateCode({ secret, digits: 6, period: PERIOD, algorithm: 'sha1' }, counter * PERIOD));
    }
  }
  return new RegExp(`(?<![0-9])(${[...codes].join('|')})(?![0-9])`);
}

/** Secrets, codes, session cookies and SAML messages in any of the texts; [] when clean. */
function leaks(texts: Array<{ where: string; text: string; binary?: boolean }>, from: number, to: number): string[] {
  const found: string[] = [];
  const secret = findLeak(texts, SECRETS);
  if (secret) found.push(secret);
  const codes = codePattern(from, to);
  for (const { where, text, binary } of texts) {
    if (codes.test(text)) found.push(`${where} contains a one-time code of a known secret`);
    if (binary) continue;
    if (/(_pagerduty_session|JSESSIONID|ESTSAUTH|\bsid)=[^;\s"']/.test(text)) found.push(`${where} contains a session cookie`);
    if (/SAMLRequest|SAMLResponse|RelayState=/.test(text)) found.push(`${where} contains a SAML message or query`);
  }
  return found;
}

function expectNothingLeftBehind(run: Pick<E2eRun, 'leftoverDirs' | 'leftoverPids' | 'leftoverEntries' | 'chromiumGroups'>): void {
  expect(run.chromiumGroups.length, 'the run started a Chromium (and the check saw it)').toBeGreaterThan(0);
  expect(run.leftoverPids, 'Chromium processes left').toEqual([]);
  expect(run.leftoverDirs, 'temp profiles left').toEqual([]);
  expect(run.leftoverEntries, 'other temp files left').toEqual([]);
}

/** The debug folder of a failed run: screenshots, the step log and the final URL without query. */
function checkDebugDir(dir: string, instanceName: string): Array<{ where: string; text: string; binary: boolean }> {
  const files = readTree(dir);
  const names = files.map((f) => path.relative(dir, f.file));
  expect(names.filter((n) => path.dirname(n) !== instanceName), 'debug files are kept in a folder per instance').toEqual([]);
  const pngs = files.filter((f) => f.file.endsWith('.png'));
  expect(pngs.length, 'screenshots').toBeGreaterThanOrEqual(2);
  for (const png of pngs) expect(readFileSync(png.file).subarray(0, 8).toString('hex'), png.file).toBe('89504e470d0a1a0a');
  const stepLog = files.find((f) => path.basename(f.file) === 'steps.log');
  expect(stepLog, 'steps.log').toBeDefined();
  expect(stepLog!.text).toMatch(/step open-sign-in/);
  expect(stepLog!.text).toMatch(/failed: [A-Z_]+: /);
  expect(stepLog!.text, 'URLs in the step log carry no query').not.toMatch(/https?:\/\/[^\s]*[?#]/);
  const finalUrl = files.find((f) => path.basename(f.file) === 'final-url.txt');
  expect(finalUrl, 'final-url.txt').toBeDefined();
  expect(finalUrl!.text.trim()).toMatch(/^https:\/\/[a-z0-9.-]+(\/[^\s?#]*)?$/);
  return files.map((f) => ({ where: f.file, text: f.text, binary: f.file.endsWith('.png') }));
}

async function failedRunWithDebugDir(label: string, override: { password?: string; mfaSecret?: string }): Promise<{ run: E2eRun; dir: string }> {
  const dir = tempDir('sspm-e2e-debug-');
  debugDirs.push(dir);
  const acc = account(sandbox, label);
  // The failure screenshot can block for the browser's 60 s protocol timeout (see the report): bound the run above that.
  const run = await slots(() => runAccountTest(sandbox, acc, { ...override, extraArgs: ['--debug-dir', dir], watch: true, killAfterMs: 150_000 }));
  recordOutput(label, run, run.startedAt, run.endedAt);
  return { run, dir };
}

beforeAll(async () => {
  assertBuilt();
  [sandbox, slowSandbox] = await Promise.all([startSandbox(), startSandbox({ faults: [{ slowMs: 6_000 }] })]);
});

afterAll(async () => {
  await Promise.all([sandbox?.close(), slowSandbox?.close()]);
  for (const dir of debugDirs) removeDir(dir);
});

describe.concurrent('runs: outputs, debug artifacts and clean-up', () => {
  it('failed MFA (wrong 2FA secret) with --debug-dir: exit 4; screenshots, step log, final URL; no secret or code in them', async () => {
    const { run, dir } = await failedRunWithDebugDir('us-okta-classic', { mfaSecret: WRONG_SECRET });
    expect(run.code, describeRun(run)).toBe(4);
    expect((run.json as TestJson).error?.code).toBe('MFA_REJECTED');
    const artifacts = checkDebugDir(dir, 'acme');
    expect(artifacts.some((a) => /okta\.classic\.totp/.test(a.where)), 'a screenshot of the code step').toBe(true);
    expect(leaks([{ where: 'stdout', text: run.stdout }, { where: 'stderr', text: run.stderr }, ...artifacts], run.startedAt, run.endedAt)).toEqual([]);
    expectNothingLeftBehind(run);
  }, 180_000);

  it('failed log-in (wrong password) with --debug-dir: exit 3; screenshots, step log, final URL; no secret in them', async () => {
    const { run, dir } = await failedRunWithDebugDir('us-credentials-legacy', { password: WRONG_PASSWORD });
    expect(run.code, describeRun(run)).toBe(3);
    expect((run.json as TestJson).error?.code).toBe('LOGIN_REJECTED');
    const artifacts = checkDebugDir(dir, 'acme');
    expect(readFileSync(path.join(dir, 'acme', 'final-url.txt'), 'utf8').trim()).toBe('https://acme.pagerduty.com/sign_in');
    expect(leaks([{ where: 'stdout', text: run.stdout }, { where: 'stderr', text: run.stderr }, ...artifacts], run.startedAt, run.endedAt)).toEqual([]);
    expectNothingLeftBehind(run);
  }, 180_000);

  it('success (plain output, with --debug-dir): exit 0, step lines on stderr, no debug files, nothing left behind', async () => {
    const dir = tempDir('sspm-e2e-debug-');
    debugDirs.push(dir);
    const acc = account(sandbox, 'us-azure-code');
    const run = await slots(() => runAccountTest(sandbox, acc, { json: false, extraArgs: ['--debug-dir', dir], watch: true }));
    recordOutput('success', run, run.startedAt, run.endedAt);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toMatch(/contoso: passed in [\d.]+ s; Account Owner verified/);
    expect(run.stderr).toMatch(/ok +Enter the one-time code \(\d+ ms\)/);
    expect(readTree(dir), 'debug files are written only on failure').toEqual([]);
    // --debug-dir says where it wrote: here, that it wrote nothing, and why.
    expect(run.stderr).toContain(`--debug-dir: nothing written to ${dir} (files are written only when a log-in test fails).`);
    expectNothingLeftBehind(run);
  });

  it('timeout (--timeout 5 against 6 s pages): exit 6, nothing left behind', async () => {
    const acc = account(slowSandbox, 'us-credentials-legacy');
    const run = await slots(() => runAccountTest(slowSandbox, acc, { extraArgs: ['--timeout', '5'], watch: true }));
    recordOutput('timeout', run, run.startedAt, run.endedAt);
    expect(run.code, describeRun(run)).toBe(6);
    expect((run.json as TestJson).error?.code).toBe('NETWORK');
    expectNothingLeftBehind(run);
  });

  it('SIGINT while the browser runs: exit 130 with one line and one JSON document, then no Chromium process and no temp profile', async () => {
    await slots(async () => {
      const acc = account(slowSandbox, 'us-okta-classic');
      const tmp = privateTmp();
      const watcher = watchChromium(tmp);
      const startedAt = Date.now();
      const { child, done } = spawnCli(testArgs(acc, slowSandbox), { ...secretEnv(acc), SSPM_ONBOARD_CONFIG_DIR: path.join(tmp, 'config'), TMPDIR: tmp });
      const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      let profilesWhileRunning: string[] = [];
      try {
        const browserUp = await eventually(async () => watcher.groups.size > 0 || child.exitCode !== null, 30_000);
        expect(browserUp && child.exitCode === null, 'a Chromium child appeared while the CLI ran').toBe(true);
        profilesWhileRunning = await profileDirsIn(tmp);
        await sleep(500); // mid-flow: the sandbox answers every request after 6 s
        child.kill('SIGINT');
        const result = await done;
        recordOutput('sigint', result, startedAt, Date.now());
        expect(result.code, describeRun(result)).toBe(130);
        // What the user sees: the one line, no "Error:" prefix (a cancel is no error), and with --json one document.
        expect(result.stderr.split('\n').filter((l) => l.trim() !== '')).toEqual(['Interrupted; the log-in test was stopped.']);
        expect(JSON.parse(result.stdout)).toEqual({ ok: false, error: { code: 'INTERRUPTED', message: 'Interrupted; the log-in test was stopped.', fix: null } });
      } finally {
        clearTimeout(killer);
        await watcher.stop();
      }
      const after = await afterExit(tmp, watcher.groups);
      expect(profilesWhileRunning, 'the temp profile existed while the browser ran').toHaveLength(1);
      expectNothingLeftBehind(after);
    });
  });
});

describe('the no-leak search over every output of this file', () => {
  it('finds no password, 2FA secret, one-time code, cookie or SAML message in any stdout or stderr', () => {
    expect(outputs.length).toBeGreaterThanOrEqual(10);
    expect(leaks(outputs, firstStart, lastEnd)).toEqual([]);
  });

  it('would find them (the search itself works)', () => {
    const code = generateCode({ secret: WRONG_SECRET, digits: 6, period: PERIOD, algorithm: 'sha1' }, Math.floor(Date.now() / 1000));
    expect(leaks([{ where: 'probe', text: `{"message":"code ${code} refused"}` }], Date.now(), Date.now())).toHaveLength(1);
    expect(leaks([{ where: 'probe', text: `x${code}1` }], Date.now(), Date.now()), 'codes match as whole tokens only').toEqual([]);
    expect(leaks([{ where: 'probe', text: `pw=${SAMPLE_ACCOUNTS[0]!.password}` }], Date.now(), Date.now())).toHaveLength(1);
  });
});
