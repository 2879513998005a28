// Which Chromium-based browser to drive. The browser is never downloaded at run time: we use the one the
// user names, else one installed in the usual places, else one Puppeteer already cached.
//
// browserCandidates is pure (platform, env, home folder and a directory lister are inputs) so every
// platform's list is table-tested on any machine; findBrowser adds the file-system probes.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OnboardError } from '../core/errors.js';

export type HeadlessMode = 'shell' | true;

export interface BrowserCandidate {
  path: string;
  /** Where it came from, for messages and `doctor`: '--browser', an env var name, 'system', 'puppeteer-cache'. */
  source: string;
  /** 'shell' for chrome-headless-shell builds (old headless), true (new headless) for full browsers. */
  headless: HeadlessMode;
}

export type Platform = 'linux' | 'darwin' | 'win32' | (string & {});
export type Env = Record<string, string | undefined>;
/** Lists a directory's entry names; returns [] when it does not exist or cannot be read. */
export type ReadDir = (dir: string) => string[];

export interface CandidateOptions {
  platform: Platform;
  env: Env;
  homedir: string;
  /** The `--browser <path>` flag. */
  explicit?: string;
  /** Only used to enumerate Puppeteer's cache; without it the cache contributes nothing. */
  readdir?: ReadDir;
}

export const BROWSER_ENV = 'SSPM_ONBOARD_BROWSER';

/** Windows env names are case-insensitive; a plain object is not. */
function getEnv(env: Env, name: string, platform: Platform): string | undefined {
  const direct = env[name];
  if (direct !== undefined && direct !== '') return direct;
  if (platform !== 'win32') return undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(env)) {
    if (key.toLowerCase() === lower && value !== undefined && value !== '') return value;
  }
  return undefined;
}

function pathLib(platform: Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/** chrome-headless-shell / chromium-headless-shell / headless_shell run in old headless mode. */
export function headlessModeFor(executable: string): HeadlessMode {
  const base = executable.split(/[\\/]/).pop()?.toLowerCase() ?? '';
  return base.includes('headless-shell') || base.includes('headless_shell') ? 'shell' : true;
}

function systemCandidates(platform: Platform, env: Env, homedir: string): BrowserCandidate[] {
  const shell = (p: string): BrowserCandidate => ({ path: p, source: 'system', headless: 'shell' });
  const full = (p: string): BrowserCandidate => ({ path: p, source: 'system', headless: true });

  if (platform === 'darwin') {
    const apps = (name: string, binary: string) => [
      `/Applications/${name}.app/Contents/MacOS/${binary}`,
      path.posix.join(homedir, 'Applications', `${name}.app`, 'Contents', 'MacOS', binary),
    ];
    return [
      ...apps('Google Chrome', 'Google Chrome').map(full),
      ...apps('Chromium', 'Chromium').map(full),
      ...apps('Microsoft Edge', 'Microsoft Edge').map(full),
    ];
  }

  if (platform === 'win32') {
    const w = path.win32;
    const programFiles = getEnv(env, 'PROGRAMFILES', platform) ?? 'C:\\Program Files';
    const programFilesX86 = getEnv(env, 'PROGRAMFILES(X86)', platform) ?? 'C:\\Program Files (x86)';
    const localAppData = getEnv(env, 'LOCALAPPDATA', platform) ?? w.join(homedir, 'AppData', 'Local');
    const under = (...rel: string[]) => [programFiles, programFilesX86, localAppData].map((root) => w.join(root, ...rel));
    return [
      ...under('Google', 'Chrome', 'Application', 'chrome.exe').map(full),
      ...under('Chromium', 'Application', 'chrome.exe').map(full),
      ...under('Microsoft', 'Edge', 'Application', 'msedge.exe').map(full),
    ];
  }

  // Linux and other Unixes. Debian's chromium-headless-shell package installs the real binary in
  // /usr/lib/chromium and a `sh -e` wrapper in /usr/bin that does not exec: the real binary comes first
  // so no shell sits between us and the browser.
  return [
    shell('/usr/lib/chromium/chromium-headless-shell'),
    shell('/usr/bin/chromium-headless-shell'),
    full('/usr/bin/google-chrome-stable'),
    full('/usr/bin/google-chrome'),
    full('/opt/google/chrome/chrome'),
    full('/usr/bin/chromium'),
    full('/usr/bin/chromium-browser'),
    full('/snap/bin/chromium'),
    full('/usr/bin/microsoft-edge-stable'),
    full('/usr/bin/microsoft-edge'),
    full('/opt/microsoft/msedge/msedge'),
  ];
}

/** Compares dotted build ids numerically, newest first. */
function compareBuildIdsDesc(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pb[i] ?? 0) - (pa[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

// Puppeteer's cache layout: <cache>/<browser>/<platform>-<buildId>/<folder>/<binary>.
const CACHE_PLATFORMS: Record<string, Record<string, string>> = {
  linux: { linux: 'linux64', linux_arm: 'linux64' },
  darwin: { mac_arm: 'mac-arm64', mac: 'mac-x64' },
  win32: { win64: 'win64', win32: 'win32' },
};

function cacheCandidates(platform: Platform, env: Env, homedir: string, readdir: ReadDir): BrowserCandidate[] {
  const platforms = CACHE_PLATFORMS[platform];
  if (!platforms) return [];
  const p = pathLib(platform);
  const cacheDir = getEnv(env, 'PUPPETEER_CACHE_DIR', platform) ?? p.join(homedir, '.cache', 'puppeteer');

  const builds = (browser: string) => {
    const found: Array<{ dir: string; folder: string; buildId: string }> = [];
    for (const entry of readdir(p.join(cacheDir, browser))) {
      const dash = entry.indexOf('-');
      if (dash <= 0) continue;
      const folder = platforms[entry.slice(0, dash)];
      if (!folder) continue;
      found.push({ dir: p.join(cacheDir, browser, entry), folder, buildId: entry.slice(dash + 1) });
    }
    return found.sort((a, b) => compareBuildIdsDesc(a.buildId, b.buildId));
  };

  const exe = platform === 'win32' ? '.exe' : '';
  const shells = builds('chrome-headless-shell').map(({ dir, folder }) => ({
    path: p.join(dir, `chrome-headless-shell-${folder}`, `chrome-headless-shell${exe}`),
    source: 'puppeteer-cache',
    headless: 'shell' as const,
  }));
  const chromes = builds('chrome').map(({ dir, folder }) => ({
    path:
      platform === 'darwin'
        ? p.join(dir, `chrome-${folder}`, 'Google Chrome for Testing.app', 'Contents', 'MacOS', 'Google Chrome for Testing')
        : p.join(dir, `chrome-${folder}`, `chrome${exe}`),
    source: 'puppeteer-cache',
    headless: true as const,
  }));
  return [...shells, ...chromes];
}

/** Every place a browser may be, in order of preference. Pure. */
export function browserCandidates(options: CandidateOptions): BrowserCandidate[] {
  const { platform, env, homedir, explicit } = options;
  const out: BrowserCandidate[] = [];
  const named = (p: string | undefined, source: string) => {
    if (p) out.push({ path: p, source, headless: headlessModeFor(p) });
  };
  named(explicit, '--browser');
  named(getEnv(env, BROWSER_ENV, platform), BROWSER_ENV);
  named(getEnv(env, 'PUPPETEER_EXECUTABLE_PATH', platform), 'PUPPETEER_EXECUTABLE_PATH');
  out.push(...systemCandidates(platform, env, homedir));
  out.push(...cacheCandidates(platform, env, homedir, options.readdir ?? (() => [])));
  return out;
}

/** The one command that installs a suitable browser on each platform. */
export function installHint(platform: Platform): string {
  if (platform === 'darwin') return 'Install one: brew install --cask google-chrome';
  if (platform === 'win32') return 'Install one: winget install Google.Chrome';
  // Debian 12+ packages the headless shell; Ubuntu does not (its chromium is a snap): Chrome for Testing's
  // headless shell goes into Puppeteer's cache, where the search looks.
  return 'Install one: sudo apt-get install -y chromium-headless-shell (Debian 12 or later); where that package does not exist (Ubuntu): npx @puppeteer/browsers install chrome-headless-shell@stable --path ~/.cache/puppeteer';
}

export interface FindBrowserOptions {
  explicit?: string;
  env?: Env;
  platform?: Platform;
  homedir?: string;
  isExecutable?: (file: string) => boolean;
  exists?: (file: string) => boolean;
  readdir?: ReadDir;
}

export function realIsExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function realReadDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** `--browser chromium` (a bare name) is looked up on PATH like a shell would. */
function resolveOnPath(name: string, platform: Platform, env: Env, isExecutable: (f: string) => boolean): string | undefined {
  const p = pathLib(platform);
  if (name.includes('/') || (platform === 'win32' && name.includes('\\'))) return undefined;
  const dirs = (getEnv(env, 'PATH', platform) ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
  const names = platform === 'win32' && !name.toLowerCase().endsWith('.exe') ? [name, `${name}.exe`] : [name];
  for (const dir of dirs) {
    for (const n of names) {
      const full = p.join(dir, n);
      if (isExecutable(full)) return full;
    }
  }
  return undefined;
}

/**
 * The first usable browser. A path the user named (flag or env var) that is unusable is an error naming
 * that flag or variable: silently falling back to another browser would hide the typo.
 */
export function findBrowser(options: FindBrowserOptions = {}): BrowserCandidate {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const homedir = options.homedir ?? os.homedir();
  const isExecutable = options.isExecutable ?? realIsExecutable;
  const exists = options.exists ?? fs.existsSync;
  const candidates = browserCandidates({
    platform,
    env,
    homedir,
    explicit: options.explicit,
    readdir: options.readdir ?? realReadDir,
  });

  for (const candidate of candidates) {
    if (isExecutable(candidate.path)) return candidate;
    if (candidate.source === 'system' || candidate.source === 'puppeteer-cache') continue;

    const onPath = resolveOnPath(candidate.path, platform, env, isExecutable);
    if (onPath) return { ...candidate, path: onPath };
    const what = candidate.source === '--browser' ? '--browser' : `The environment variable ${candidate.source}`;
    const problem = exists(candidate.path) ? 'is not an executable file' : 'does not exist';
    throw new OnboardError('INVALID_INPUT', `${what} points to ${candidate.path}, which ${problem}.`, {
      fix:
        candidate.source === '--browser'
          ? 'Pass the path of a Chrome, Chromium or Edge executable, or leave --browser out to find one.'
          : `Set ${candidate.source} to the path of a Chrome, Chromium or Edge executable, or unset it.`,
    });
  }

  throw new OnboardError('NO_BROWSER', 'No Chromium-based browser found (none named by --browser, SSPM_ONBOARD_BROWSER or PUPPETEER_EXECUTABLE_PATH, none in the usual places or Puppeteer\'s cache).', {
    fix: `${installHint(platform)}; or point --browser or SSPM_ONBOARD_BROWSER at a Chrome, Chromium or Edge executable.`,
  });
}
