// The scale rows of `npm run bench`: `test --all` over 20, 50 and 100 stored sandbox instances, and a 4-way
// `--shard` split (4 processes at once) against one unsharded run of the 100. One run per row: each is minutes of
// CPU on a shared machine. `BENCH_PART=scale npm run bench` runs only these rows and keeps the others.
//
// The fleet: every run has the 5 IdP instances the sandbox can serve (3 Okta orgs, 2 Entra tenants: each user's
// one-time code is accepted once per 30 s window, so more instances of one IdP user would measure that rule, as
// back-to-back runs would) and the rest are password log-ins spread over the 4 sandbox hosts that have one
// (acme.pagerduty.com, acme-eu.eu.pagerduty.com, app.pagerduty.com, app.eu.pagerduty.com). Each run gets a fresh
// sandbox and a fresh copy of its config folder (no used code windows carried over).
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type SampleAccount, type SandboxHandle } from '../src/sandbox/index.js';
import { findBrowser } from '../src/browser/find-browser.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'bin/sspm-onboard.cjs');
/** BENCH_SCALE_SIZES=6,8 tries the bench itself quickly (5 or more each: the IdP instances come first). */
export const SCALE_SIZES: readonly number[] = process.env.BENCH_SCALE_SIZES ? process.env.BENCH_SCALE_SIZES.split(',').map(Number) : [20, 50, 100];
const IDP_LABELS = ['us-okta-classic', 'eu-okta-identity-engine', 'us-okta-verify-default', 'us-azure-code', 'eu-azure-push-default'];
const PASSWORD_LABELS = ['us-credentials-legacy', 'eu-credentials-two-step', 'us-credentials-app', 'eu-credentials-app'];
const PASSPHRASE = 'bench-scale-passphrase';

interface Timed {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  maxRssMiB: number;
}

/** A CLI run under GNU time (peak resident memory of the CLI process). */
function timed(args: string[], env: NodeJS.ProcessEnv): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const rssFile = path.join(os.tmpdir(), `sspm-bench-scale-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
    const started = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const maxRssMiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) / 1024;
      rmSync(rssFile, { force: true });
      resolve({ ms, code, stdout, stderr, maxRssMiB });
    });
  });
}

/** Chromium processes still alive with one of the CLI's temporary profiles. */
function chromiumLeftovers(): number {
  let count = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (/chrom/i.test(cmdline) && /sspm-onboard-/.test(cmdline)) count++;
    } catch {
      // ended while we looked
    }
  }
  return count;
}

/** The account of the i-th instance (0-based) of a fleet. */
function fleetAccount(sandbox: SandboxHandle, index: number): SampleAccount {
  const label = index < IDP_LABELS.length ? IDP_LABELS[index]! : PASSWORD_LABELS[(index - IDP_LABELS.length) % PASSWORD_LABELS.length]!;
  return sandbox.accounts.find((a) => a.label === label)!;
}

const instanceName = (index: number) => `fleet-${String(index + 1).padStart(3, '0')}`;

export interface ScaleRow {
  instances: number;
  wallMs: number;
  msPerInstance: number;
  cliPeakMiB: number;
  browserLaunches: number;
  chromiumLeft: number;
  passed: number;
  failures?: string;
}

export interface ShardRow {
  instances: number;
  processes: number;
  wallMs: number;
  msPerInstance: number;
  cliPeakMiBEach: number[];
  browserLaunches: number;
  chromiumLeft: number;
  passed: number;
  failures?: string;
}

export async function runScale(baseEnv: NodeJS.ProcessEnv): Promise<{ rows: ScaleRow[]; shard: ShardRow; loadAverage: number[]; cpus: number }> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'sspm-bench-scale-'));
  const launches = path.join(work, 'launches.log');
  const real = findBrowser({ env: baseEnv }).path;
  // Counts browser launches; its name keeps the headless-shell mode.
  const wrapper = path.join(work, 'counting-chromium-headless-shell');
  writeFileSync(wrapper, `#!/bin/sh\necho launch >> '${launches}'\nexec '${real}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  const launchCount = () => readFileSync(launches, 'utf8').split('\n').filter(Boolean).length;
  const loadBefore = os.loadavg();
  try {
    // One fleet folder per size, built with the CLI as a user would (encrypted file store, no keychain).
    const setup = await startSandbox();
    const folders = new Map<number, string>();
    const building = path.join(work, 'building');
    const env = (extra: NodeJS.ProcessEnv = {}) => ({ ...baseEnv, SSPM_ONBOARD_PASSPHRASE: PASSPHRASE, ...extra });
    try {
      for (let i = 0; i < SCALE_SIZES[SCALE_SIZES.length - 1]!; i++) {
        const acc = fleetAccount(setup, i);
        const args = ['pagerduty', 'add', '--name', instanceName(i), '--url', acc.url, '--login-method', acc.loginMethod, '--user', acc.user,
          ...(acc.oktaSubdomain ? ['--okta-subdomain', acc.oktaSubdomain] : []), '--no-input', '--no-test', '--secret-store', 'file'];
        const secrets = { SSPM_PAGERDUTY_PASSWORD: acc.password, ...(acc.mfaSecret ? { SSPM_PAGERDUTY_MFA_SECRET: acc.mfaSecret } : {}) };
        const added = await timed(args, env({ SSPM_ONBOARD_CONFIG_DIR: building, ...secrets }));
        if (added.code !== 0) throw new Error(`add ${instanceName(i)} failed: ${added.stderr.trim()}`);
        if (SCALE_SIZES.includes(i + 1)) {
          const copy = path.join(work, `fleet-${i + 1}`);
          cpSync(building, copy, { recursive: true });
          folders.set(i + 1, copy);
        }
      }
    } finally {
      await setup.close();
    }

    const testAll = async (size: number, extra: string[], configCopy: string, sandbox: SandboxHandle) =>
      timed(['pagerduty', 'test', '--all', '--json', '--browser', wrapper, ...sandbox.browserArgs.map((a) => `--browser-arg=${a}`), ...extra], env({ SSPM_ONBOARD_CONFIG_DIR: configCopy }));
    const freshCopy = (size: number, tag: string) => {
      const copy = path.join(work, `run-${size}-${tag}`);
      cpSync(folders.get(size)!, copy, { recursive: true });
      return copy;
    };
    const passedIn = (stdout: string) => (JSON.parse(stdout) as Array<{ ok: boolean }>).filter((r) => r.ok).length;
    const failuresIn = (stdout: string) =>
      (JSON.parse(stdout) as Array<{ name: string; ok: boolean; error?: { code: string; message: string } }>).filter((r) => !r.ok).map((r) => `${r.name}: ${r.error?.code} ${r.error?.message}`).join(' / ');

    const rows: ScaleRow[] = [];
    for (const size of SCALE_SIZES) {
      const sandbox = await startSandbox();
      try {
        writeFileSync(launches, '');
        const run = await testAll(size, [], freshCopy(size, 'all'), sandbox);
        const passed = passedIn(run.stdout);
        // A failed log-in is recorded with the row (and shown), not hidden by a re-run.
        const failures = failuresIn(run.stdout);
        if (failures) console.error(`scale: ${size} instances, failed: ${failures}`);
        rows.push({ instances: size, wallMs: run.ms, msPerInstance: run.ms / size, cliPeakMiB: run.maxRssMiB, browserLaunches: launchCount(), chromiumLeft: chromiumLeftovers(), passed, ...(failures ? { failures } : {}) });
        console.error(`scale: ${size} instances in ${(run.ms / 1000).toFixed(1)} s`);
      } finally {
        await sandbox.close();
      }
    }

    // A CI matrix of 4 jobs, here as 4 processes at once on this machine, each with its own checkout (config copy).
    const biggest = SCALE_SIZES[SCALE_SIZES.length - 1]!;
    const sandbox = await startSandbox();
    let shard: ShardRow;
    try {
      writeFileSync(launches, '');
      const started = process.hrtime.bigint();
      const runs = await Promise.all([1, 2, 3, 4].map((i) => testAll(biggest, ['--shard', `${i}/4`], freshCopy(biggest, `shard-${i}`), sandbox)));
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const passed = runs.reduce((sum, r) => sum + passedIn(r.stdout), 0);
      const failures = runs.map((r) => failuresIn(r.stdout)).filter(Boolean).join(' / ');
      if (failures) console.error(`scale: 4 shards, failed: ${failures}`);
      shard = { instances: biggest, processes: 4, wallMs, msPerInstance: wallMs / biggest, cliPeakMiBEach: runs.map((r) => r.maxRssMiB), browserLaunches: launchCount(), chromiumLeft: chromiumLeftovers(), passed, ...(failures ? { failures } : {}) };
      console.error(`scale: 4 shards of ${biggest} in ${(wallMs / 1000).toFixed(1)} s`);
    } finally {
      await sandbox.close();
    }
    return { rows, shard, loadAverage: loadBefore, cpus: os.availableParallelism() };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The README table of the scale rows. */
export function scaleTable(result: { rows: ScaleRow[]; shard: ShardRow }): string {
  const first = result.rows[0]!;
  const lines = [
    '| run | instances | passed | wall time | time per instance | vs smallest | CLI peak memory | browsers launched | Chromium left | goal |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const row of result.rows) {
    const ratio = row.msPerInstance / first.msPerInstance;
    const goal = row === result.rows[result.rows.length - 1] ? 'per instance <= 1.1x of 20; <= 150 MiB; 1 browser; 0 left' : '';
    lines.push(`| test --all | ${row.instances} | ${row.passed} | ${(row.wallMs / 1000).toFixed(1)} s | ${row.msPerInstance.toFixed(0)} ms | ${ratio.toFixed(2)}x | ${row.cliPeakMiB.toFixed(0)} MiB | ${row.browserLaunches} | ${row.chromiumLeft} | ${goal} |`);
  }
  const s = result.shard;
  const unsharded = result.rows.find((r) => r.instances === s.instances)!;
  lines.push(
    `| --shard i/4, 4 processes at once | ${s.instances} | ${s.passed} | ${(s.wallMs / 1000).toFixed(1)} s | ${s.msPerInstance.toFixed(0)} ms | ${(s.wallMs / unsharded.wallMs).toFixed(2)}x of one unsharded run | ${Math.max(...s.cliPeakMiBEach).toFixed(0)} MiB each (max) | ${s.browserLaunches} | ${s.chromiumLeft} | |`,
  );
  return lines.join('\n');
}
