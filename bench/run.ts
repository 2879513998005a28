// `npm run bench`: the CLI's cost against floors measured in the same run. Each figure is the median of
// several runs (min and max shown). Writes bench/results.json and prints a table. Not part of npm test.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type SampleAccount, type SandboxHandle } from '../src/sandbox/index.js';
import { findBrowser } from '../src/browser/find-browser.js';
import { runScale, scaleTable } from './scale.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'bin/sspm-onboard.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const HAS_GNU_TIME = existsSync('/usr/bin/time');

interface Run {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  maxRssKb?: number;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, measureRss = false): Promise<Run> {
  return new Promise((resolve) => {
    const rssFile = measureRss && HAS_GNU_TIME ? path.join(os.tmpdir(), `sspm-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`) : null;
    const [command, argv] = rssFile ? ['/usr/bin/time', ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
    const started = process.hrtime.bigint();
    const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let maxRssKb: number | undefined;
      if (rssFile) {
        maxRssKb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
        rmSync(rssFile, { force: true });
      }
      resolve({ ms, code, stdout, stderr, maxRssKb });
    });
  });
}

interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number;
}

function stat(values: number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: sorted.length };
}

async function repeat(times: number, once: () => Promise<number>): Promise<Stat> {
  const values: number[] = [];
  for (let i = 0; i < times; i++) values.push(await once());
  return stat(values);
}

function check(result: Run, what: string): Run {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}): ${result.stderr.trim().split('\n').pop()}`);
  return result;
}

const baseEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('SSPM_')) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
};

function testArgs(account: SampleAccount, sandbox: SandboxHandle): string[] {
  return [
    CLI, 'pagerduty', 'test', '--url', account.url, '--login-method', account.loginMethod, '--user', account.user, '--no-input', '--json',
    ...(account.oktaSubdomain ? ['--okta-subdomain', account.oktaSubdomain] : []),
    ...sandbox.browserArgs.map((arg) => `--browser-arg=${arg}`),
  ];
}

const secretEnv = (account: SampleAccount) => ({ SSPM_PAGERDUTY_PASSWORD: account.password, ...(account.mfaSecret ? { SSPM_PAGERDUTY_MFA_SECRET: account.mfaSecret } : {}) });

function chromiumLeftovers(): number {
  let count = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (/chrom/i.test(cmdline) && /sspm-onboard-|sspm-bench-floor-/.test(cmdline)) count++;
    } catch {
      // the process ended while we looked
    }
  }
  return count;
}

/** The scale rows (bench/scale.ts) into results.json; with BENCH_PART=scale the other rows there are kept. */
async function addScale(results: Record<string, unknown>): Promise<void> {
  const scale = await runScale(baseEnv());
  results.scale = { date: new Date().toISOString(), ...scale, goals: { perInstanceAt100VsAt20: '<= 1.1x', cliPeakMiBAt100: '<= 150', browsers: 1, chromiumLeft: 0 } };
  results.scaleTable = scaleTable(scale);
  console.log(results.scaleTable);
  console.log(`(load average before the scale runs: ${scale.loadAverage.map((l) => l.toFixed(1)).join(', ')} on ${scale.cpus} cores)`);
}

async function main(): Promise<void> {
  if (process.env.BENCH_PART === 'scale') {
    const file = path.join(ROOT, 'bench/results.json');
    const results = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    await addScale(results);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log('\nWritten: bench/results.json (scale rows; the others kept)');
    return;
  }
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'sspm-bench-config-'));
  const sandbox = await startSandbox();
  const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: os.availableParallelism(), runs: RUNS };
  const rows: string[][] = [['measure', 'median', 'min', 'max', 'floor (median)', 'ratio', 'goal']];
  const add = (name: string, s: Stat, unit: string, floor?: Stat, goal?: string) => {
    const ratio = floor ? s.median / floor.median : undefined;
    results[name] = { ...s, unit, ...(floor ? { floor, ratio } : {}), ...(goal ? { goal } : {}) };
    const f = (v: number) => (unit === 'ms' ? `${v.toFixed(0)} ms` : `${v.toFixed(unit === 's' ? 2 : 0)} ${unit}`);
    rows.push([name, f(s.median), f(s.min), f(s.max), floor ? f(floor.median) : '', ratio ? `${ratio.toFixed(2)}x` : '', goal ?? '']);
  };
  try {
    const env = baseEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir, SSPM_ONBOARD_PASSPHRASE: 'bench-passphrase' });
    const credentials = sandbox.accounts.find((a) => a.label === 'us-credentials-legacy')!;

    // 20 stored instances of the credentials account (encrypted-file store: no keychain needed here).
    for (let i = 1; i <= 20; i++) {
      const args = [CLI, 'pagerduty', 'add', '--name', `bench-${String(i).padStart(2, '0')}`, '--url', credentials.url, '--login-method', 'credentials', '--user', credentials.user, '--no-input', '--no-test', '--secret-store', 'file'];
      check(await run(process.execPath, args, { ...env, ...secretEnv(credentials) }), 'add');
    }

    // Start-up against Node's own, interleaved (floor, --help, list, floor, ...) so that the machine's drift
    // during the batch weighs on the floor and the CLI alike.
    const startup = { floor: [] as number[], help: [] as number[], list: [] as number[] };
    for (let i = 0; i < RUNS * 3; i++) {
      startup.floor.push((await run(process.execPath, ['-e', '0'], env)).ms);
      startup.help.push(check(await run(process.execPath, [CLI, '--help'], env), '--help').ms);
      startup.list.push(check(await run(process.execPath, [CLI, 'pagerduty', 'list'], env), 'list').ms);
    }
    const nodeFloor = stat(startup.floor);
    add('start-up: --help', stat(startup.help), 'ms', nodeFloor, '<= 1.3x');
    add('start-up: pagerduty list', stat(startup.list), 'ms', nodeFloor, '<= 1.3x');

    // One direct log-in test against a minimal puppeteer-core script doing the same page steps.
    const browser = findBrowser({ env });
    const floorEnv = {
      ...env,
      FLOOR_PASSWORD: credentials.password,
      FLOOR_CONFIG: JSON.stringify({ executable: browser.path, headless: browser.headless, browserArgs: sandbox.browserArgs, signInUrl: 'https://acme.pagerduty.com/sign_in', user: credentials.user }),
    };
    const cliTimes: number[] = [];
    const floorTimes: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const cli = check(await run(process.execPath, testArgs(credentials, sandbox), { ...env, ...secretEnv(credentials) }, true), 'test');
      cliTimes.push(cli.ms);
      if (cli.maxRssKb) rss.push(cli.maxRssKb / 1024);
      floorTimes.push(check(await run(process.execPath, [path.join(ROOT, 'bench/floor-login.mjs')], floorEnv), 'floor script').ms);
    }
    add('log-in test (credentials)', stat(cliTimes), 'ms', stat(floorTimes), '<= 1.15x');
    if (rss.length) add('CLI peak memory (log-in test)', stat(rss), 'MiB');

    // Time spent waiting for a fresh TOTP window. A fresh sandbox and config folder per run: a code is used once
    // (by the IdP's rule, and by our own ledger of used windows), so back-to-back runs with one secret would
    // measure that rule, not our scheduling of a run that starts at a random moment.
    for (const label of ['us-okta-classic', 'us-azure-code']) {
      const waits: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const own = await startSandbox();
        const ownConfig = mkdtempSync(path.join(os.tmpdir(), 'sspm-bench-totp-'));
        try {
          const account = own.accounts.find((a) => a.label === label)!;
          const result = check(await run(process.execPath, testArgs(account, own), { ...env, SSPM_ONBOARD_CONFIG_DIR: ownConfig, ...secretEnv(account) }), label);
          waits.push((JSON.parse(result.stdout).totpWaitMs ?? 0) / 1000);
        } finally {
          await own.close();
          rmSync(ownConfig, { recursive: true, force: true });
        }
      }
      add(`TOTP window wait (${label.includes('okta') ? 'Okta' : 'Azure'})`, stat(waits), 's', undefined, 'mean < 1 s');
      (results[`TOTP window wait (${label.includes('okta') ? 'Okta' : 'Azure'})`] as Record<string, unknown>).mean = waits.reduce((a, b) => a + b, 0) / waits.length;
    }

    // test --all over 20 instances (one browser) against 20 single test runs in a row.
    const allRuns = Math.max(3, Math.ceil(RUNS / 2));
    const allRss: number[] = [];
    const all = await repeat(allRuns, async () => {
      const result = check(await run(process.execPath, [CLI, 'pagerduty', 'test', '--all', '--json', ...sandbox.browserArgs.map((a) => `--browser-arg=${a}`)], env, true), 'test --all');
      if (result.maxRssKb) allRss.push(result.maxRssKb / 1024);
      const parsed = JSON.parse(result.stdout) as Array<{ ok: boolean }>;
      if (parsed.length !== 20 || !parsed.every((r) => r.ok)) throw new Error('test --all did not pass 20 instances');
      return result.ms;
    });
    const singles = await repeat(allRuns, async () => {
      let total = 0;
      for (let i = 1; i <= 20; i++) {
        total += check(await run(process.execPath, [CLI, 'pagerduty', 'test', `bench-${String(i).padStart(2, '0')}`, ...sandbox.browserArgs.map((a) => `--browser-arg=${a}`)], env), 'test').ms;
      }
      return total;
    });
    add('test --all, 20 instances', all, 'ms', singles, '<= 0.5x');
    if (allRss.length) add('CLI peak memory (test --all)', stat(allRss), 'MiB');

    const leftovers = chromiumLeftovers();
    results['chromium processes left'] = leftovers;
    rows.push(['chromium processes left', String(leftovers), '', '', '', '', '0']);
  } finally {
    await sandbox.close();
    rmSync(configDir, { recursive: true, force: true });
  }

  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const table = rows.map((r) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`);
  table.splice(1, 0, `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  console.log(table.join('\n'));
  results.table = table.join('\n');
  await addScale(results);
  writeFileSync(path.join(ROOT, 'bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nWritten: bench/results.json');
}

await main();
