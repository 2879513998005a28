// Real launches with the Debian browsers. Each asserts that nothing of the launch survives: no process in
// its process group, no process naming its temp folder, and no temp folder.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBrowser, openBrowser, openSessionCount, pidsReferencing, tmpDirFitsSocket } from '../../src/browser/session.js';
import { OnboardError } from '../../src/core/errors.js';

const SHELL = '/usr/bin/chromium-headless-shell';
const FULL = '/usr/bin/chromium';
const isRoot = process.getuid?.() === 0;

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-test-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Live (non-zombie) processes whose process group is `pgid`. */
function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') out.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

function tempDirsIn(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((n) => n.startsWith('sspm-onboard-') || n.startsWith('puppeteer_dev_') || n.startsWith('org.chromium.') || n.startsWith('com.google.'));
}

function script(name: string, body: string, mode = 0o755): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode });
  return file;
}

async function expectLaunchError(promise: Promise<unknown>): Promise<OnboardError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OnboardError);
    const e = error as OnboardError;
    expect(e.code).toBe('INTERNAL');
    expect(e.message).not.toMatch(/\n/);
    expect(e.fix).toBeTruthy();
    return e;
  }
  throw new Error('expected the launch to fail');
}

describe.each([
  [SHELL, 'shell' as const, /^HeadlessChrome\//],
  [FULL, true as const, /^Chrome\//],
])('openBrowser(%s)', (executable, headless, version) => {
  it('launches, loads a page in a fresh context, and close() leaves nothing behind', async () => {
    const tmpDir = fs.mkdtempSync(path.join(work, 'tmp-'));
    const sigintListeners = process.listenerCount('SIGINT');
    const started = Date.now();
    const session = await openBrowser({ executable, headless, tmpDir, timeoutMs: 20_000 });
    // While a session is open, SIGINT kills it and removes its folder.
    expect(process.listenerCount('SIGINT')).toBe(sigintListeners + 1);
    const launchMs = Date.now() - started;
    const { pid, tempDir } = session;
    expect(pid).toBeTypeOf('number');
    expect(tempDir.startsWith(path.join(tmpDir, 'sspm-onboard-'))).toBe(true);
    expect(openSessionCount()).toBeGreaterThan(0);

    const context = await session.newContext();
    const page = await context.newPage();
    await page.goto('data:text/html,<h1 id="t">hello</h1>');
    expect(await page.$eval('#t', (el) => el.textContent)).toBe('hello');
    expect(await session.browser.version()).toMatch(version);
    expect(groupMembers(pid!).length).toBeGreaterThan(1);
    expect(pidsReferencing(tempDir)).toContain(pid);
    // Chromium writes its config/cache (crash reports, dconf) inside the temp folder, not in the real HOME.
    expect(fs.existsSync(path.join(tempDir, 'profile', 'Default'))).toBe(true);

    const link = path.join(tempDir, 'profile', 'SingletonSocket');
    const singletonDir = fs.existsSync(link) ? path.dirname(fs.readlinkSync(link)) : undefined;
    expect(singletonDir === undefined).toBe(headless === 'shell');

    const closing = Date.now();
    await Promise.all([session.close(), session.close()]);
    await session.close();
    const closeMs = Date.now() - closing;
    console.info(`${executable}: launch ${launchMs} ms, close ${closeMs} ms`);

    expect(groupMembers(pid!)).toEqual([]);
    expect(pidsReferencing(tempDir)).toEqual([]);
    expect(fs.existsSync(tempDir)).toBe(false);
    expect(tempDirsIn(tmpDir)).toEqual([]);
    // This tmpDir is too deep for Chromium's SingletonSocket, so full Chromium used the system TMPDIR.
    if (singletonDir) expect(fs.existsSync(singletonDir)).toBe(false);
    expect(session.browser.connected).toBe(false);
    expect(process.listenerCount('SIGINT')).toBe(sigintListeners);
  });
});

describe('proxy', () => {
  it('HTTPS_PROXY reaches the browser (a CONNECT arrives at the proxy), credentials stay off argv', async () => {
    const connects: string[] = [];
    const proxy = http.createServer();
    proxy.on('connect', (req, socket) => {
      connects.push(String(req.url));
      socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const port = (proxy.address() as AddressInfo).port;
    const session = await openBrowser({
      executable: SHELL,
      headless: 'shell',
      env: { ...process.env, HTTPS_PROXY: `http://user:s3cret@127.0.0.1:${port}`, NO_PROXY: 'internal.example' },
    });
    try {
      expect(session.proxyAuth).toEqual({ username: 'user', password: 's3cret' });
      const cmdline = fs.readFileSync(`/proc/${session.pid}/cmdline`, 'utf8');
      expect(cmdline).toContain(`--proxy-server=http://127.0.0.1:${port}`);
      expect(cmdline).not.toContain('s3cret');
      const page = await (await session.newContext()).newPage();
      await page.goto('https://identity.pagerduty.com/', { timeout: 10_000 }).catch(() => {});
      expect(connects).toContain('identity.pagerduty.com:443');
    } finally {
      await session.close();
      proxy.close();
    }
  });
});

describe('launch failures', () => {
  it('an executable that exits 1: one line with its stderr, temp folder removed', async () => {
    const tmpDir = fs.mkdtempSync(path.join(work, 'tmp-'));
    const exe = script('exits-1.sh', 'echo "something went wrong here" >&2\nexit 1');
    const error = await expectLaunchError(openBrowser({ executable: exe, headless: true, tmpDir }));
    expect(error.message).toBe('Chromium exited with code 1 before it was ready: something went wrong here');
    expect(error.fix).toContain('--dump-dom about:blank');
    expect(tempDirsIn(tmpDir)).toEqual([]);
    expect(openSessionCount()).toBe(0);
  });

  it('missing shared library', async () => {
    const tmpDir = fs.mkdtempSync(path.join(work, 'tmp-'));
    const exe = script(
      'no-lib.sh',
      'echo "/x/chrome: error while loading shared libraries: libnss3.so: cannot open shared object file: No such file or directory" >&2\nexit 127',
    );
    const error = await expectLaunchError(openBrowser({ executable: exe, headless: true, tmpDir }));
    expect(error.message).toBe('Chromium cannot start: the system library libnss3.so is missing.');
    expect(error.fix).toMatch(/^sudo apt-get install -y libnss3/);
    expect(tempDirsIn(tmpDir)).toEqual([]);
  });

  it('not executable', async () => {
    const tmpDir = fs.mkdtempSync(path.join(work, 'tmp-'));
    const exe = script('not-exec.sh', 'exit 0', 0o644);
    const error = await expectLaunchError(openBrowser({ executable: exe, headless: true, tmpDir }));
    expect(error.message).toBe(`The browser ${exe} could not be started: it is not executable.`);
    expect(tempDirsIn(tmpDir)).toEqual([]);
  });

  it('a browser that never answers is killed at the bound, with its children', async () => {
    const tmpDir = fs.mkdtempSync(path.join(work, 'tmp-'));
    const marker = `hang-${process.pid}-${Date.now()}`;
    const exe = script('hangs.sh', `sleep 30 ${marker} 2>/dev/null || sleep 30`);
    const started = Date.now();
    const error = await expectLaunchError(openBrowser({ executable: exe, headless: true, tmpDir, timeoutMs: 500 }));
    // Far below the script's 30 s: the bound, not the script, ended it (wide margin for a loaded CI machine).
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(error.message).toBe('Chromium did not start within 0.5 s.');
    expect(tempDirsIn(tmpDir)).toEqual([]);
    expect(pidsReferencing('sleep 30')).toEqual([]);
  });

  it.runIf(isRoot)('the real Chromium as root without --no-sandbox', async () => {
    const tmpDir = fs.mkdtempSync(path.join(work, 'tmp-'));
    const error = await expectLaunchError(openBrowser({ executable: SHELL, headless: 'shell', tmpDir, isRoot: false }));
    expect(error.message).toBe('Chromium refuses to run as root without --no-sandbox.');
    expect(error.fix).toBe('Run as a regular user, or pass --browser-arg=--no-sandbox.');
    expect(tempDirsIn(tmpDir)).toEqual([]);
  });
});

describe('checkBrowser', () => {
  it('finds, launches, opens about:blank and closes', async () => {
    const tmpDir = fs.mkdtempSync(path.join(work, 'tmp-'));
    const result = await checkBrowser({ explicit: SHELL, tmpDir });
    expect(result).toMatchObject({ ok: true, path: SHELL, source: '--browser', headless: 'shell' });
    expect(result.ok && result.version).toMatch(/^HeadlessChrome\/\d+\./);
    expect(tempDirsIn(tmpDir)).toEqual([]);
  });

  it('returns the error instead of throwing', async () => {
    const result = await checkBrowser({ explicit: '/nope/chrome', env: {} });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('INVALID_INPUT');
  });
});

describe('process-wide clean-up (child process)', () => {
  const fixture = path.join(import.meta.dirname, 'fixtures', 'hold-session.ts');

  async function runChild(mode: string, signal: NodeJS.Signals | null, executable = SHELL) {
    const home = fs.mkdtempSync(path.join(work, 'home-'));
    const tmpDir = fs.mkdtempSync(path.join(work, 'childtmp-'));
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TMPDIR: tmpDir };
    delete env.XDG_CONFIG_HOME;
    delete env.XDG_CACHE_HOME;
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode, executable], {
      cwd: path.resolve(import.meta.dirname, '..', '..'),
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const info = await new Promise<{ pid: number; tempDir: string }>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
      });
      void exited.then((code) => reject(new Error(`child exited ${code} before it was ready: ${stderr}`)));
    });
    expect(groupMembers(info.pid).length).toBeGreaterThan(1);
    expect(fs.existsSync(info.tempDir)).toBe(true);
    expect(info.tempDir.startsWith(tmpDir)).toBe(true);
    if (signal) child.kill(signal);
    else child.stdin.write('exit now\n');
    const code = await exited;
    return { code, stderr, info, home, tmpDir };
  }

  function expectNothingLeft(r: { info: { pid: number; tempDir: string }; home: string; tmpDir: string }) {
    expect(groupMembers(r.info.pid)).toEqual([]);
    expect(pidsReferencing(r.info.tempDir)).toEqual([]);
    expect(fs.existsSync(r.info.tempDir)).toBe(false);
    expect(tempDirsIn(r.tmpDir)).toEqual([]);
    // Nothing written under the (fake) HOME: no Crash Reports, no dconf, no .pki.
    expect(fs.readdirSync(r.home, { recursive: true })).toEqual([]);
  }

  it('SIGINT with installSignalCleanup: exit 130, callback ran, nothing left', async () => {
    const r = await runChild('explicit', 'SIGINT');
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('interrupted by SIGINT');
    expectNothingLeft(r);
  });

  it('SIGTERM: exit 143, nothing left', async () => {
    const r = await runChild('explicit', 'SIGTERM');
    expect(r.code).toBe(143);
    expectNothingLeft(r);
  });

  it('SIGINT with only the session handlers (no installSignalCleanup): exit 130', async () => {
    const r = await runChild('auto', 'SIGINT');
    expect(r.code).toBe(130);
    expectNothingLeft(r);
  });

  it('process.exit without close(): the exit hook kills and removes', async () => {
    const r = await runChild('exit', null);
    expect(r.code).toBe(0);
    expectNothingLeft(r);
  });

  it('tmpDirFitsSocket: the singleton socket path limit', () => {
    expect(tmpDirFitsSocket('/tmp/sspm-onboard-AbCdEf/tmp')).toBe(true);
    expect(tmpDirFitsSocket(`/tmp/${'x'.repeat(80)}`)).toBe(false);
  });

  // The child's TMPDIR is long enough that Chromium's SingletonSocket would not fit inside our folder
  // ("Socket path too long", SIGABRT): the browser keeps the caller's TMPDIR and we remove its
  // org.chromium.Chromium.* folder ourselves, even after kill -9.
  it('SIGINT with full Chromium, a long TMPDIR and a fake HOME: nothing left, HOME untouched', async () => {
    const r = await runChild('explicit', 'SIGINT', FULL);
    expect(r.code).toBe(130);
    expectNothingLeft(r);
  });
});
