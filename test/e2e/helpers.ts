// End-to-end helpers: run the built CLI's connection test against a sandbox started in this test process.
// Nothing here blocks the event loop: the sandbox answers the CLI's browser from this very process.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SampleAccount, SandboxEvent, SandboxHandle } from '../../src/sandbox/index.js';
import { CLI, type CliResult, cleanEnv, removeDir, runCli } from '../helpers/cli.js';

/** The tests run the built CLI: fail with the command that builds it rather than with a confusing spawn error. */
export function assertBuilt(): void {
  if (!existsSync(CLI) || !existsSync(path.join(path.dirname(CLI), '..', 'dist', 'cli.cjs'))) {
    throw new Error('The CLI is not built: run `npm run build` first.');
  }
}

/** The JSON result object of one connection test (issue 4, point 7). */
export interface TestJson {
  name: string;
  ok: boolean;
  loginMethod: 'credentials' | 'okta' | 'azure';
  region: 'us' | 'eu';
  owner: 'verified' | 'not-owner' | 'unverified';
  durationMs: number;
  steps: Array<{ name: string; ok: boolean; ms: number }>;
  error?: { code: string; message: string; fix?: string };
}

export interface E2eRun extends CliResult {
  /** stdout parsed as JSON (undefined when it is not JSON). */
  json: unknown;
  /** The private TMPDIR of this run (already removed); its `sspm-onboard-*` leftovers and processes are below. */
  tmp: string;
  /** `sspm-onboard-*` entries left in the run's TMPDIR after the CLI exited. */
  leftoverDirs: string[];
  /** Chromium processes (by profile path, or in a process group Chromium had) alive after the CLI exited. */
  leftoverPids: number[];
  /** Anything else left in the run's TMPDIR (its config folder excepted). */
  leftoverEntries: string[];
  /** Process groups of the Chromium seen during the run (only when watched). */
  chromiumGroups: number[];
  startedAt: number;
  endedAt: number;
}

/** Simple semaphore: at most `limit` CLI runs (each with its own Chromium) at once in this file. */
export function limiter(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await work();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
}

export function account(sandbox: SandboxHandle, label: string): SampleAccount {
  const found = sandbox.accounts.find((a) => a.label === label);
  if (!found) throw new Error(`no sample account ${label}`);
  return found;
}

/** `pagerduty test` flags for a sample account, routed to `sandbox` by --browser-arg only. */
export function testArgs(acc: SampleAccount, sandbox: SandboxHandle | null, extra: string[] = []): string[] {
  return [
    'pagerduty',
    'test',
    '--url',
    acc.url,
    '--login-method',
    acc.loginMethod,
    '--user',
    acc.user,
    ...(acc.loginMethod === 'okta' ? ['--okta-subdomain', acc.oktaSubdomain!] : []),
    '--no-input',
    '--json',
    ...(sandbox ? sandbox.browserArgs.map((a) => `--browser-arg=${a}`) : []),
    ...extra,
  ];
}

export function secretEnv(acc: SampleAccount, override: { password?: string; mfaSecret?: string | null } = {}): NodeJS.ProcessEnv {
  const password = override.password ?? acc.password;
  const mfa = override.mfaSecret === undefined ? acc.mfaSecret : override.mfaSecret;
  return { SSPM_PAGERDUTY_PASSWORD: password, ...(mfa ? { SSPM_PAGERDUTY_MFA_SECRET: mfa } : {}) };
}

/** A fresh private TMPDIR (under the real one) so temp profiles and processes of a run are attributable to it. */
export function privateTmp(prefix = 'sspm-e2e-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Linux: processes whose NUL-separated command line contains `needle` (this process excluded). Async: the
 *  sandbox keeps serving while we look. */
export async function pidsWithCmdline(needle: string, also?: RegExp): Promise<number[]> {
  const pids: number[] = [];
  let entries: string[] = [];
  try {
    entries = await readdir('/proc');
  } catch {
    return pids;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8');
      if (cmdline.includes(needle) && (!also || also.test(cmdline))) pids.push(Number(name));
    } catch {
      // gone, or not readable
    }
  }
  return pids;
}

/** Chromium processes started with a profile under `tmp` (the CLI names its folders `sspm-onboard-XXXXXX`). */
export function chromiumUnder(tmp: string): Promise<number[]> {
  return pidsWithCmdline(`${tmp}${path.sep}sspm-onboard-`, /chrom/i);
}

/** Process group and state of a live pid, from /proc/<pid>/stat (undefined when gone). */
async function statOf(pid: number): Promise<{ pgrp: number; state: string } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/** Live (not zombie) processes in any of these process groups: Chromium and every helper it started. */
export async function liveInGroups(groups: Iterable<number>): Promise<number[]> {
  const wanted = new Set(groups);
  if (wanted.size === 0) return [];
  const live: number[] = [];
  for (const name of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await statOf(Number(name));
    if (stat && wanted.has(stat.pgrp) && stat.state !== 'Z') live.push(Number(name));
  }
  return live;
}

/** Records, while a run is going, the process groups of the Chromium it starts (the CLI starts it detached). */
export function watchChromium(tmp: string): { groups: Set<number>; stop(): Promise<void> } {
  const groups = new Set<number>();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const pid of await chromiumUnder(tmp)) {
        const stat = await statOf(pid);
        if (stat) groups.add(stat.pgrp);
      }
      await sleep(150);
    }
  })();
  return {
    groups,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

export async function profileDirsIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => n.startsWith('sspm-onboard-'));
  } catch {
    return [];
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (bounded) until `check` is true. Used only for the "shortly after exit" clean-up checks. */
export async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= until) return false;
    await sleep(100);
  }
}

/**
 * One CLI run with its own TMPDIR (so the temp profiles and processes it leaves can be told apart from
 * those of runs going on at the same time) and its own config folder. After it exits, records whatever
 * temp profile, Chromium process or other temp file it left behind (after a short grace period for the
 * kernel to finish reaping), kills such processes, and removes the folder.
 */
export async function runE2e(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  opts: { killAfterMs?: number; watch?: boolean } = {},
): Promise<E2eRun> {
  const tmp = privateTmp();
  const configDir = path.join(tmp, 'config');
  const watcher = opts.watch ? watchChromium(tmp) : null;
  const startedAt = Date.now();
  let result: CliResult;
  try {
    result = await runCli(args, {
      env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir, TMPDIR: tmp, ...env }),
      killAfterMs: opts.killAfterMs ?? 110_000,
    });
  } finally {
    await watcher?.stop();
  }
  const endedAt = Date.now();
  return { ...result, ...(await afterExit(tmp, watcher?.groups)), startedAt, endedAt, json: parseJson(result.stdout) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What a run left behind in its private TMPDIR and process table; then removes the TMPDIR. */
export async function afterExit(tmp: string, groups?: Set<number>): Promise<Pick<E2eRun, 'tmp' | 'leftoverDirs' | 'leftoverPids' | 'leftoverEntries' | 'chromiumGroups'>> {
  const clean = async () =>
    (await chromiumUnder(tmp)).length === 0 && (await profileDirsIn(tmp)).length === 0 && (await liveInGroups(groups ?? [])).length === 0;
  await eventually(clean, 2_000);
  const leftoverDirs = await profileDirsIn(tmp);
  const leftoverPids = [...new Set([...(await chromiumUnder(tmp)), ...(await liveInGroups(groups ?? []))])];
  const leftoverEntries = (await readdir(tmp).catch(() => [] as string[])).filter((n) => n !== 'config');
  for (const pid of leftoverPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  removeDir(tmp);
  return { tmp, leftoverDirs, leftoverPids, leftoverEntries, chromiumGroups: [...(groups ?? [])] };
}

/** A connection test of one sample account through the CLI, against `sandbox`. */
export function runAccountTest(
  sandbox: SandboxHandle,
  acc: SampleAccount,
  opts: {
    password?: string;
    mfaSecret?: string | null;
    extraArgs?: string[];
    env?: NodeJS.ProcessEnv;
    json?: boolean;
    watch?: boolean;
    killAfterMs?: number;
  } = {},
): Promise<E2eRun> {
  const args = testArgs(acc, sandbox, opts.extraArgs).filter((a) => opts.json !== false || a !== '--json');
  return runE2e(args, { ...secretEnv(acc, opts), ...opts.env }, { watch: opts.watch, killAfterMs: opts.killAfterMs });
}

/** A readable summary for assertion messages (never includes env, so no secret). */
export function describeRun(run: CliResult): string {
  return `exit ${run.code} (signal ${run.signal})\nstdout: ${run.stdout.slice(0, 2_000)}\nstderr: ${run.stderr.slice(0, 2_000)}`;
}

export const CREDENTIAL_STEPS = ['open-sign-in', 'credentials', 'back-at-pagerduty', 'owner-check'];
export const SSO_STEPS = ['open-sign-in', 'idp', 'mfa', 'back-at-pagerduty', 'owner-check'];

/** Events with a submitted one-time code, per IdP page the sandbox emulates. */
export function codeSubmissions(events: SandboxEvent[], host: string): SandboxEvent[] {
  const onHost = events.filter((e) => e.host === host);
  return onHost.filter(
    (e) =>
      // Okta Classic: the factor's verify endpoint with the "answer" field (hand-written form) or "passCode" (the
      // real widget's JSON).
      (/^\/api\/v1\/authn\/factors\/[^/]+\/verify$/.test(e.path) && (e.fields.includes('answer') || e.fields.includes('passCode'))) ||
      // Entra: ConvergedTFA posts the code as "otc".
      (e.path === '/common/SAS/ProcessAuth' && e.fields.includes('otc')) ||
      // Okta Identity Engine: the answer after an authenticator was chosen (the password answer comes before it).
      (e.path === '/idp/idx/challenge/answer' && onHost.slice(0, onHost.indexOf(e)).some((p) => p.path === '/idp/idx/challenge')),
  );
}

/** The host of an IdP account's sign-in pages (for counting its events). */
export function idpHost(acc: SampleAccount): string {
  if (acc.loginMethod === 'azure') return 'login.microsoftonline.com';
  const org = acc.oktaSubdomain!;
  return /^https?:\/\//.test(org) ? new URL(org).hostname : `${org}.okta.com`;
}

/** Spawns the CLI without waiting, for the signal test. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end('');
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}
