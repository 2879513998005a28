// One headless browser per run, and the guarantee that it goes away: a fresh temp folder holds the
// profile and the browser's HOME/XDG/TMPDIR (Chromium writes crash reports and dconf outside its
// profile otherwise), close() is idempotent and bounded, and a process-wide registry kills and removes
// whatever is still open when the process is interrupted or exits.
//
// We spawn Chromium ourselves and connect puppeteer over --remote-debugging-pipe rather than calling
// puppeteer.launch: the pipe opens no DevTools port on localhost (any local user could drive a browser
// holding a logged-in session through it), and owning the child process keeps its stderr, which
// puppeteer's pipe mode discards, so a failed start can be explained in one line.

import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import puppeteer, { type Browser, type BrowserContext, type ConnectionTransport } from 'puppeteer-core';
import { isProcessAlive } from '../core/process-alive.js';
import { childEnv } from '../core/child-env.js';
import { OnboardError, asOnboardError } from '../core/errors.js';
import { findBrowser, type FindBrowserOptions, type HeadlessMode } from './find-browser.js';
import { chromiumArgs, proxyFromEnv } from './launch-args.js';
import { describeLaunchFailure } from './launch-errors.js';

type Env = Record<string, string | undefined>;

export interface OpenBrowserOptions {
  executable: string;
  headless: HeadlessMode;
  /** The user's --browser-arg values, appended after ours. */
  extraArgs?: readonly string[];
  /** Bound on starting the browser and connecting to it. Default 20 s. */
  timeoutMs?: number;
  /** Bound on every DevTools protocol call. Default 60 s. */
  protocolTimeoutMs?: number;
  /** Bound on the graceful part of close(); then the process is killed. Default 3 s. */
  closeTimeoutMs?: number;
  /** Our environment: HTTPS_PROXY/NO_PROXY are read from it and it is the base of the browser's. Default process.env. */
  env?: Env;
  /** Adds --no-sandbox (Chromium refuses to run as root with its sandbox). Default: uid is 0. */
  isRoot?: boolean;
  /** Parent of the temp folder. Default os.tmpdir(). */
  tmpDir?: string;
  /**
   * Kill and remove on SIGINT/SIGTERM/SIGHUP while this session is open (then exit 130/143/129).
   * Default true. installSignalCleanup() does the same for the whole process life.
   */
  handleSignals?: boolean;
}

export interface BrowserSession {
  browser: Browser;
  /** A fresh, isolated context (its own cookies and storage). */
  newContext(): Promise<BrowserContext>;
  /** Idempotent and bounded: graceful close, then SIGKILL, then the temp folder is removed. */
  close(): Promise<void>;
  readonly executable: string;
  readonly headless: HeadlessMode;
  readonly pid: number | undefined;
  /** The session's temp folder (profile, HOME, TMPDIR); gone after close(). */
  readonly tempDir: string;
  /** Credentials from the proxy URL, kept off the command line: answer with page.authenticate(). */
  readonly proxyAuth?: { username: string; password: string };
}

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_PROTOCOL_TIMEOUT_MS = 60_000;
const DEFAULT_CLOSE_TIMEOUT_MS = 3_000;
const DEFAULT_VIEWPORT = { width: 1280, height: 800 };
const TEMP_PREFIX = 'sspm-onboard-';

// ---------------------------------------------------------------------------------------------------
// Registry of open sessions and the synchronous clean-up used on signals and at exit.

interface Entry {
  tempDir: string;
  profileDir: string;
  /** Recorded once the browser is up: Chromium removes the profile's link to it on the way out. */
  singletonDir?: string;
  child?: ChildProcess;
  detached: boolean;
  handleSignals: boolean;
}

const registry = new Set<Entry>();
let exitHookInstalled = false;
let explicitSignals = false;
let signalCallback: ((signal: NodeJS.Signals) => void) | undefined;
let signalListenersAttached = false;

const SIGNAL_EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const HANDLED_SIGNALS: NodeJS.Signals[] =
  process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];

function isRunning(child: ChildProcess | undefined): boolean {
  return !!child && child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

function killTreeSync(entry: Entry): void {
  const child = entry.child;
  if (isRunning(child) && child?.pid !== undefined) {
    if (process.platform === 'win32') {
      try {
        execFileSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { stdio: 'ignore', timeout: 5_000 });
      } catch {
        // fall through to child.kill
      }
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    } else {
      // Only while the leader is unreaped: afterwards its pid (and so the group id) may be reused.
      if (entry.detached) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // group already gone
        }
      }
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  // Anything that outlived its parent (say a wrapper script was killed first) still names our folder.
  for (const pid of pidsReferencing(entry.tempDir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** Linux: the pids (ours excepted) whose /proc folder passes `test`; a process that goes meanwhile is skipped. Elsewhere: []. */
function scanProcesses(test: (procDir: string) => boolean): number[] {
  if (process.platform !== 'linux') return [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (test(`/proc/${name}`)) pids.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** Linux: processes whose command line mentions `text` (our temp folder path). Elsewhere: []. */
export function pidsReferencing(text: string): number[] {
  return scanProcesses((dir) => fs.readFileSync(`${dir}/cmdline`, 'utf8').includes(text));
}

/** Linux: live (not zombie) members of process group `pgid`. Elsewhere: []. */
function liveGroupMembers(pgid: number): number[] {
  return scanProcesses((dir) => {
    const stat = fs.readFileSync(`${dir}/stat`, 'utf8');
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(pgrp) === pgid && state !== 'Z';
  });
}

/** Processes of this session that still run: SIGKILL is delivered at once, but dying takes a moment. */
function survivors(entry: Entry): number[] {
  const pid = entry.child?.pid;
  const group = entry.detached && pid !== undefined ? liveGroupMembers(pid) : [];
  return [...new Set([...group, ...pidsReferencing(entry.tempDir)])];
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * At exit or on a signal the process must not end while its browser is still dying (a user checking
 * `ps` right after Ctrl-C would see it), and only synchronous code runs there: poll, bounded.
 */
function waitUntilGoneSync(entry: Entry, ms: number): void {
  const deadline = Date.now() + ms;
  while (survivors(entry).length > 0 && Date.now() < deadline) Atomics.wait(sleepCell, 0, 0, 20);
}

async function waitUntilGone(entry: Entry, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  // A referenced timer, unlike delay(): with the browser gone it may be all that keeps the event loop alive,
  // and an empty loop would end the process (exit 0) before the caller prints its result.
  while (survivors(entry).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

function removeDirSync(dir: string): void {
  try {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 20 });
  } catch {
    // nothing more we can do at exit
  }
}

// Full Chrome/Chromium keep their single-instance socket in $TMPDIR/org.chromium.Chromium.XXXXXX (Chrome:
// com.google.Chrome.XXXXXX), linked from the profile as SingletonSocket. A unix socket path has at most
// 107 bytes (103 on macOS) and Chromium aborts ("Socket path too long") past that, so the browser gets a
// TMPDIR inside our folder only when the socket path fits; otherwise it keeps the caller's TMPDIR and we
// remove that folder ourselves (a killed browser cannot).
const SOCKET_PATH_MAX = process.platform === 'darwin' ? 103 : 107;
const SINGLETON_SUFFIX_MAX = '/org.chromium.Chromium.XXXXXX'.length + 4 + '/SingletonSocket'.length;
const SINGLETON_DIR = /^(org\.chromium\.|com\.google\.|com\.microsoft\.)/;

export function tmpDirFitsSocket(dir: string): boolean {
  return Buffer.byteLength(dir) + SINGLETON_SUFFIX_MAX <= SOCKET_PATH_MAX;
}

function singletonDirOf(entry: Entry): string | undefined {
  let target: string;
  try {
    target = fs.readlinkSync(path.join(entry.profileDir, 'SingletonSocket'));
  } catch {
    return undefined;
  }
  const dir = path.dirname(target);
  return dir.startsWith(entry.tempDir) || !SINGLETON_DIR.test(path.basename(dir)) ? undefined : dir;
}

function removeSingletonDirSync(entry: Entry): void {
  const dir = entry.singletonDir ?? singletonDirOf(entry);
  if (dir) removeDirSync(dir);
}

function removeAllSync(entry: Entry): void {
  removeSingletonDirSync(entry);
  removeDirSync(entry.tempDir);
}

function cleanupAllSync(): void {
  const entries = [...registry];
  for (const entry of entries) killTreeSync(entry);
  for (const entry of entries) {
    waitUntilGoneSync(entry, 3_000);
    removeAllSync(entry);
    registry.delete(entry);
  }
}

function onSignal(signal: NodeJS.Signals): void {
  cleanupAllSync();
  try {
    signalCallback?.(signal);
  } catch {
    // the exit below matters more
  }
  process.exit(SIGNAL_EXIT_CODES[signal] ?? 1);
}

function refreshSignalListeners(): void {
  const want = explicitSignals || [...registry].some((e) => e.handleSignals);
  if (want === signalListenersAttached) return;
  for (const signal of HANDLED_SIGNALS) {
    if (want) process.on(signal, onSignal);
    else process.off(signal, onSignal);
  }
  signalListenersAttached = want;
}

function register(entry: Entry): void {
  registry.add(entry);
  if (!exitHookInstalled) {
    // 'exit' handlers must be synchronous: kill -9 and rmSync.
    process.on('exit', cleanupAllSync);
    exitHookInstalled = true;
  }
  refreshSignalListeners();
}

function unregister(entry: Entry): void {
  registry.delete(entry);
  refreshSignalListeners();
}

/**
 * For the whole process life: on SIGINT/SIGTERM/SIGHUP kill every open browser, remove its temp folder,
 * call onSignal (say, to print "Interrupted"), then exit 130/143/129. Returns a function that uninstalls.
 */
export function installSignalCleanup(onSignalCallback?: (signal: NodeJS.Signals) => void): () => void {
  explicitSignals = true;
  if (onSignalCallback) signalCallback = onSignalCallback;
  if (!exitHookInstalled) {
    process.on('exit', cleanupAllSync);
    exitHookInstalled = true;
  }
  refreshSignalListeners();
  return () => {
    explicitSignals = false;
    if (signalCallback === onSignalCallback) signalCallback = undefined;
    refreshSignalListeners();
  };
}

/**
 * Removes `sspm-onboard-<pid>-XXXXXX` folders in `parent` whose owner process is gone (a run killed with
 * SIGKILL cannot clean up): only real folders of this user, and none that a live process still names (a
 * browser that outlived its parent). Best effort: a folder that cannot be removed is left alone.
 */
export function removeLeftoverProfiles(parent: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return [];
  }
  const uid = process.getuid?.();
  const removed: string[] = [];
  for (const name of names) {
    const match = /^sspm-onboard-(\d+)-[A-Za-z0-9]{6}$/.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === process.pid || isProcessAlive(pid)) continue;
    const dir = path.join(parent, name);
    try {
      const stat = fs.lstatSync(dir);
      if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) continue;
    } catch {
      continue;
    }
    if (pidsReferencing(dir).length > 0) continue;
    removeDirSync(dir);
    removed.push(dir);
  }
  return removed;
}

/** How many sessions are open (for tests and `doctor`). */
export function openSessionCount(): number {
  return registry.size;
}

// ---------------------------------------------------------------------------------------------------
// The DevTools pipe: NUL-terminated JSON messages, Chromium reads fd 3 and writes fd 4.

class NulDelimitedPipe implements ConnectionTransport {
  onmessage?: (message: string) => void;
  onclose?: () => void;
  #pending: Buffer[] = [];
  #closed = false;

  constructor(
    private readonly out: Writable,
    input: Readable,
  ) {
    input.on('data', (chunk: Buffer) => this.#receive(chunk));
    input.on('close', () => this.#closeOnce());
    input.on('error', () => this.#closeOnce());
    out.on('error', () => this.#closeOnce());
  }

  send(message: string): void {
    if (this.#closed || this.out.destroyed) return;
    this.out.write(`${message}\0`);
  }

  close(): void {
    this.#closeOnce();
  }

  #receive(chunk: Buffer): void {
    let start = 0;
    let end = chunk.indexOf(0);
    while (end !== -1) {
      const parts = [...this.#pending, chunk.subarray(start, end)];
      this.#pending = [];
      const message = Buffer.concat(parts).toString('utf8');
      // Dispatch asynchronously, in order, as puppeteer's Connection expects of a transport.
      setImmediate(() => this.onmessage?.(message));
      start = end + 1;
      end = chunk.indexOf(0, start);
    }
    if (start < chunk.length) this.#pending.push(chunk.subarray(start));
  }

  #closeOnce(): void {
    if (this.#closed) return;
    this.#closed = true;
    setImmediate(() => this.onclose?.());
  }
}

// ---------------------------------------------------------------------------------------------------

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (!isRunning(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), ms);
    const done = (exited: boolean) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(exited);
    };
    const onExit = () => done(true);
    child.once('exit', onExit);
  });
}

/** 'close' comes after 'exit' once stdout/stderr are drained: the last stderr lines are in. */
function waitForClose(child: ChildProcess, ms: number): Promise<void> {
  if (child.stdout?.closed !== false && child.stderr?.closed !== false) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    child.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function destroyStdio(child: ChildProcess | undefined): void {
  for (const stream of child?.stdio ?? []) stream?.destroy();
}

function browserEnv(base: Env, dirs: { home: string; tmp: string | undefined }): Env {
  // No secret variable: the browser and every process it starts could read it from their environment.
  const env: Env = childEnv(base);
  env.HOME = dirs.home;
  env.XDG_CONFIG_HOME = path.join(dirs.home, '.config');
  env.XDG_CACHE_HOME = path.join(dirs.home, '.cache');
  env.XDG_DATA_HOME = path.join(dirs.home, '.local', 'share');
  if (dirs.tmp) env.TMPDIR = dirs.tmp;
  // With --enable-logging in extra args, a caller's CHROME_LOG_FILE would put a log outside the folder.
  delete env.CHROME_LOG_FILE;
  return env;
}

/** Starts a headless browser in a fresh temp profile. Throws OnboardError('INTERNAL') with a fix on failure. */
export async function openBrowser(options: OpenBrowserOptions): Promise<BrowserSession> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const protocolTimeout = options.protocolTimeoutMs ?? DEFAULT_PROTOCOL_TIMEOUT_MS;
  const closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  const detached = process.platform !== 'win32';

  const parent = options.tmpDir ?? os.tmpdir();
  removeLeftoverProfiles(parent);
  // The owner's pid in the name lets a later run tell a folder left by a killed run (SIGKILL) from a live one.
  const tempDir = await fsp.mkdtemp(path.join(parent, `${TEMP_PREFIX}${process.pid}-`));
  const profile = path.join(tempDir, 'profile');
  const home = path.join(tempDir, 'home');
  const tmp = path.join(tempDir, 'tmp');
  const entry: Entry = { tempDir, profileDir: profile, detached, handleSignals: options.handleSignals ?? true };
  register(entry);

  const stderr: string[] = [];
  let spawnErrorCode: string | undefined;
  const fail = async (details: { timedOut?: boolean; connectError?: string }): Promise<never> => {
    const child = entry.child;
    // A little time for the exit status and the last stderr lines to arrive.
    if (child && !details.timedOut) await waitForExit(child, 1_000);
    killTreeSync(entry);
    if (child) {
      await waitForExit(child, 2_000);
      await waitUntilGone(entry, 3_000);
      await waitForClose(child, 300);
    }
    destroyStdio(child);
    removeSingletonDirSync(entry);
    await fsp.rm(tempDir, { recursive: true, force: true, maxRetries: 3 }).catch(() => removeDirSync(tempDir));
    unregister(entry);
    throw describeLaunchFailure({
      executable: options.executable,
      platform: process.platform,
      spawnErrorCode,
      exitCode: child?.exitCode,
      signal: child?.signalCode,
      stderr,
      timedOut: details.timedOut,
      timeoutMs,
      connectError: details.connectError,
    });
  };

  try {
    for (const dir of [profile, path.join(home, '.config'), path.join(home, '.cache'), path.join(home, '.local', 'share'), tmp]) {
      await fsp.mkdir(dir, { recursive: true });
    }
  } catch (error) {
    removeDirSync(tempDir);
    unregister(entry);
    throw new OnboardError('INTERNAL', `Cannot prepare a temporary browser profile in ${tempDir}.`, {
      fix: 'Free some disk space or set TMPDIR to a writable folder.',
      cause: error,
    });
  }

  const proxy = proxyFromEnv(env);
  const ours = chromiumArgs({ isRoot, proxy, extraArgs: options.extraArgs, userDataDir: profile });
  // puppeteer's defaults (automation, headless mode, merged --disable-features) around ours.
  const args = puppeteer.defaultArgs({ headless: options.headless, args: [...ours, '--remote-debugging-pipe'] });

  let child: ChildProcess;
  try {
    // Absolute, since the browser starts in its temp HOME (a relative path would resolve there).
    const executable = /[\\/]/.test(options.executable) ? path.resolve(options.executable) : options.executable;
    child = spawn(executable, args, {
      detached,
      cwd: home,
      env: browserEnv(env, { home, tmp: tmpDirFitsSocket(tmp) ? tmp : undefined }),
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
  } catch (error) {
    spawnErrorCode = (error as NodeJS.ErrnoException).code;
    return fail({ connectError: (error as Error).message });
  }
  entry.child = child;

  const spawnFailed = new Promise<void>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      spawnErrorCode = error.code;
      resolve();
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (text: string) => {
      const lines = (partial + text).split(/\r?\n/);
      partial = lines.pop() ?? '';
      stderr.push(...lines.filter((l) => l.trim() !== ''));
      if (stderr.length > 100) stderr.splice(0, stderr.length - 100);
    });
    stream?.on('end', () => {
      if (partial.trim()) stderr.push(partial);
      partial = '';
    });
    stream?.on('error', () => {});
  }

  const toChromium = child.stdio[3] as Writable | null;
  const fromChromium = child.stdio[4] as Readable | null;
  if (!toChromium || !fromChromium) return fail({ connectError: 'no DevTools pipe' });
  const transport = new NulDelimitedPipe(toChromium, fromChromium);

  type Outcome = { kind: 'connected'; browser: Browser } | { kind: 'error'; message: string } | { kind: 'exited' } | { kind: 'timeout' };
  const connecting: Promise<Outcome> = puppeteer
    .connect({ transport, protocolTimeout, defaultViewport: DEFAULT_VIEWPORT })
    .then((browser): Outcome => ({ kind: 'connected', browser }))
    .catch((error: unknown): Outcome => ({ kind: 'error', message: error instanceof Error ? error.message : String(error) }));
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race<Outcome>([
    connecting,
    spawnFailed.then((): Outcome => ({ kind: 'exited' })),
    exited.then((): Outcome => ({ kind: 'exited' })),
    new Promise<Outcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'timeout' }), timeoutMs);
    }),
  ]);
  clearTimeout(timer);

  if (outcome.kind !== 'connected') {
    // A connect that wins later must not leave a Browser object behind.
    void connecting.then((late) => {
      if (late.kind === 'connected') void late.browser.disconnect().catch(() => {});
    });
    transport.close();
    return fail({ timedOut: outcome.kind === 'timeout', connectError: outcome.kind === 'error' ? outcome.message : undefined });
  }

  const browser = outcome.browser;
  entry.singletonDir = singletonDirOf(entry);
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Graceful first, so Chromium flushes nothing half-written into a folder we are about to delete.
      if (browser.connected && isRunning(child)) {
        await Promise.race([browser.close().catch(() => {}), delay(closeTimeoutMs)]);
      }
      await waitForExit(child, isRunning(child) ? 500 : 0);
      killTreeSync(entry);
      await waitForExit(child, 2_000);
      await waitUntilGone(entry, 3_000);
      if (browser.connected) await browser.disconnect().catch(() => {});
      transport.close();
      destroyStdio(child);
      removeSingletonDirSync(entry);
      await fsp.rm(tempDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }).catch(() => removeDirSync(tempDir));
      unregister(entry);
    })();
    return closing;
  };

  return {
    browser,
    newContext: () => browser.createBrowserContext(),
    close,
    executable: options.executable,
    headless: options.headless,
    pid: child.pid,
    tempDir,
    ...(proxy?.username !== undefined
      ? { proxyAuth: { username: proxy.username, password: proxy.password ?? '' } }
      : {}),
  };
}

export type CheckBrowserResult =
  | { ok: true; path: string; source: string; headless: HeadlessMode; version: string; launchMs: number }
  | { ok: false; error: OnboardError; path?: string; source?: string };

export interface CheckBrowserOptions extends Omit<FindBrowserOptions, 'env'> {
  env?: Env;
  extraArgs?: readonly string[];
  timeoutMs?: number;
  tmpDir?: string;
  isRoot?: boolean;
}

/** For `doctor`: find a browser, start it, open about:blank, close it. Never throws. */
export async function checkBrowser(options: CheckBrowserOptions = {}): Promise<CheckBrowserResult> {
  let found: ReturnType<typeof findBrowser>;
  try {
    found = findBrowser(options);
  } catch (error) {
    return { ok: false, error: asOnboardError(error) };
  }
  const started = Date.now();
  let session: BrowserSession | undefined;
  try {
    session = await openBrowser({
      executable: found.path,
      headless: found.headless,
      extraArgs: options.extraArgs,
      timeoutMs: options.timeoutMs,
      env: options.env,
      tmpDir: options.tmpDir,
      isRoot: options.isRoot,
    });
    const launchMs = Date.now() - started;
    const context = await session.newContext();
    const page = await context.newPage();
    await page.goto('about:blank', { timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    const version = await session.browser.version();
    return { ok: true, path: found.path, source: found.source, headless: found.headless, version, launchMs };
  } catch (error) {
    return { ok: false, error: asOnboardError(error), path: found.path, source: found.source };
  } finally {
    await session?.close();
  }
}
