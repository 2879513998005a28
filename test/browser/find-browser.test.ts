import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { browserCandidates, findBrowser, headlessModeFor, installHint } from '../../src/browser/find-browser.js';
import { OnboardError } from '../../src/core/errors.js';

const paths = (list: Array<{ path: string }>) => list.map((c) => c.path);

describe('browserCandidates', () => {
  it('linux: flag, env vars, then system paths in order, then Puppeteer cache (newest first)', () => {
    const dirs: Record<string, string[]> = {
      '/home/u/.cache/puppeteer/chrome-headless-shell': ['linux-120.0.6099.109', 'linux-131.0.6778.85', 'mac-131.0.6778.85', '.metadata'],
      '/home/u/.cache/puppeteer/chrome': ['linux-9.0.0.1', 'linux-131.0.6778.204'],
    };
    const list = browserCandidates({
      platform: 'linux',
      env: { SSPM_ONBOARD_BROWSER: '/opt/x/chrome-headless-shell', PUPPETEER_EXECUTABLE_PATH: '/opt/y/chrome' },
      homedir: '/home/u',
      explicit: '/custom/chromium',
      readdir: (d) => dirs[d] ?? [],
    });
    expect(list).toEqual([
      { path: '/custom/chromium', source: '--browser', headless: true },
      { path: '/opt/x/chrome-headless-shell', source: 'SSPM_ONBOARD_BROWSER', headless: 'shell' },
      { path: '/opt/y/chrome', source: 'PUPPETEER_EXECUTABLE_PATH', headless: true },
      { path: '/usr/lib/chromium/chromium-headless-shell', source: 'system', headless: 'shell' },
      { path: '/usr/bin/chromium-headless-shell', source: 'system', headless: 'shell' },
      { path: '/usr/bin/google-chrome-stable', source: 'system', headless: true },
      { path: '/usr/bin/google-chrome', source: 'system', headless: true },
      { path: '/opt/google/chrome/chrome', source: 'system', headless: true },
      { path: '/usr/bin/chromium', source: 'system', headless: true },
      { path: '/usr/bin/chromium-browser', source: 'system', headless: true },
      { path: '/snap/bin/chromium', source: 'system', headless: true },
      { path: '/usr/bin/microsoft-edge-stable', source: 'system', headless: true },
      { path: '/usr/bin/microsoft-edge', source: 'system', headless: true },
      { path: '/opt/microsoft/msedge/msedge', source: 'system', headless: true },
      {
        path: '/home/u/.cache/puppeteer/chrome-headless-shell/linux-131.0.6778.85/chrome-headless-shell-linux64/chrome-headless-shell',
        source: 'puppeteer-cache',
        headless: 'shell',
      },
      {
        path: '/home/u/.cache/puppeteer/chrome-headless-shell/linux-120.0.6099.109/chrome-headless-shell-linux64/chrome-headless-shell',
        source: 'puppeteer-cache',
        headless: 'shell',
      },
      { path: '/home/u/.cache/puppeteer/chrome/linux-131.0.6778.204/chrome-linux64/chrome', source: 'puppeteer-cache', headless: true },
      { path: '/home/u/.cache/puppeteer/chrome/linux-9.0.0.1/chrome-linux64/chrome', source: 'puppeteer-cache', headless: true },
    ]);
  });

  it('honours PUPPETEER_CACHE_DIR and ignores empty env vars', () => {
    const list = browserCandidates({
      platform: 'linux',
      env: { PUPPETEER_CACHE_DIR: '/cache', SSPM_ONBOARD_BROWSER: '', PUPPETEER_EXECUTABLE_PATH: '' },
      homedir: '/home/u',
      readdir: (d) => (d === '/cache/chrome-headless-shell' ? ['linux-1.2.3'] : []),
    });
    expect(list[0]?.source).toBe('system');
    expect(list.at(-1)).toEqual({
      path: '/cache/chrome-headless-shell/linux-1.2.3/chrome-headless-shell-linux64/chrome-headless-shell',
      source: 'puppeteer-cache',
      headless: 'shell',
    });
  });

  it('without a readdir the cache contributes nothing (pure by default)', () => {
    const list = browserCandidates({ platform: 'linux', env: {}, homedir: '/h' });
    expect(list.every((c) => c.source === 'system')).toBe(true);
  });

  it('darwin: /Applications and ~/Applications for Chrome, Chromium, Edge; mac cache builds', () => {
    const list = browserCandidates({
      platform: 'darwin',
      env: {},
      homedir: '/Users/u',
      readdir: (d) =>
        d === '/Users/u/.cache/puppeteer/chrome-headless-shell'
          ? ['mac_arm-131.0.6778.85', 'linux-131.0.6778.85']
          : d === '/Users/u/.cache/puppeteer/chrome'
            ? ['mac-131.0.6778.85']
            : [],
    });
    expect(paths(list)).toEqual([
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Users/u/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Users/u/Applications/Chromium.app/Contents/MacOS/Chromium',
      '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      '/Users/u/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
      '/Users/u/.cache/puppeteer/chrome-headless-shell/mac_arm-131.0.6778.85/chrome-headless-shell-mac-arm64/chrome-headless-shell',
      '/Users/u/.cache/puppeteer/chrome/mac-131.0.6778.85/chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    ]);
    expect(list.at(-2)?.headless).toBe('shell');
    expect(list.at(-1)?.headless).toBe(true);
  });

  it('win32: Program Files, Program Files (x86), LocalAppData (env names in any case), win64 cache', () => {
    const list = browserCandidates({
      platform: 'win32',
      env: { ProgramFiles: 'D:\\PF', 'ProgramFiles(x86)': 'D:\\PF86', LocalAppData: 'C:\\Users\\u\\AppData\\Local', sspm_onboard_browser: 'E:\\chrome.exe' },
      homedir: 'C:\\Users\\u',
      readdir: (d) => (d === 'C:\\Users\\u\\.cache\\puppeteer\\chrome' ? ['win64-131.0.6778.85'] : []),
    });
    expect(paths(list)).toEqual([
      'E:\\chrome.exe',
      'D:\\PF\\Google\\Chrome\\Application\\chrome.exe',
      'D:\\PF86\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Users\\u\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
      'D:\\PF\\Chromium\\Application\\chrome.exe',
      'D:\\PF86\\Chromium\\Application\\chrome.exe',
      'C:\\Users\\u\\AppData\\Local\\Chromium\\Application\\chrome.exe',
      'D:\\PF\\Microsoft\\Edge\\Application\\msedge.exe',
      'D:\\PF86\\Microsoft\\Edge\\Application\\msedge.exe',
      'C:\\Users\\u\\AppData\\Local\\Microsoft\\Edge\\Application\\msedge.exe',
      'C:\\Users\\u\\.cache\\puppeteer\\chrome\\win64-131.0.6778.85\\chrome-win64\\chrome.exe',
    ]);
    expect(list[0]?.source).toBe('SSPM_ONBOARD_BROWSER');
  });

  it('win32 without the env vars falls back to the usual folders', () => {
    const list = browserCandidates({ platform: 'win32', env: {}, homedir: 'C:\\Users\\u' });
    expect(paths(list).slice(0, 3)).toEqual([
      'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
      'C:\\Users\\u\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe',
    ]);
  });
});

describe('headlessModeFor', () => {
  it.each([
    ['/usr/bin/chromium-headless-shell', 'shell'],
    ['/x/chrome-headless-shell-linux64/chrome-headless-shell', 'shell'],
    ['C:\\x\\chrome-headless-shell.exe', 'shell'],
    ['/usr/lib/chromium/headless_shell', 'shell'],
    ['/usr/bin/chromium', true],
    ['/usr/bin/google-chrome-stable', true],
    ['C:\\x\\msedge.exe', true],
  ] as const)('%s -> %s', (p, mode) => {
    expect(headlessModeFor(p)).toBe(mode);
  });
});

describe('findBrowser', () => {
  const base = { platform: 'linux' as const, homedir: '/h', readdir: () => [] };

  it('returns the first executable candidate', () => {
    const found = findBrowser({ ...base, env: {}, isExecutable: (p) => p === '/usr/bin/chromium' || p === '/snap/bin/chromium' });
    expect(found).toEqual({ path: '/usr/bin/chromium', source: 'system', headless: true });
  });

  it('a missing --browser path is INVALID_INPUT naming the flag, not a silent fallback', () => {
    const attempt = () =>
      findBrowser({ ...base, env: {}, explicit: '/nope/chrome', isExecutable: (p) => p === '/usr/bin/chromium', exists: () => false });
    expect(attempt).toThrowError(OnboardError);
    try {
      attempt();
    } catch (error) {
      expect((error as OnboardError).code).toBe('INVALID_INPUT');
      expect((error as OnboardError).message).toBe('--browser points to /nope/chrome, which does not exist.');
    }
  });

  it('an unusable env var path names the variable', () => {
    for (const name of ['SSPM_ONBOARD_BROWSER', 'PUPPETEER_EXECUTABLE_PATH']) {
      try {
        findBrowser({ ...base, env: { [name]: '/etc/passwd' }, isExecutable: () => false, exists: () => true });
        expect.unreachable();
      } catch (error) {
        expect((error as OnboardError).code).toBe('INVALID_INPUT');
        expect((error as OnboardError).message).toBe(`The environment variable ${name} points to /etc/passwd, which is not an executable file.`);
        expect((error as OnboardError).fix).toContain(name);
      }
    }
  });

  it('a bare name for --browser is looked up on PATH', () => {
    const found = findBrowser({
      ...base,
      env: { PATH: '/usr/local/bin:/opt/bin' },
      explicit: 'chromium',
      isExecutable: (p) => p === '/opt/bin/chromium',
    });
    expect(found).toEqual({ path: '/opt/bin/chromium', source: '--browser', headless: true });
  });

  it('picks from the Puppeteer cache when nothing is installed', () => {
    const found = findBrowser({
      ...base,
      env: {},
      readdir: (d) => (d === '/h/.cache/puppeteer/chrome-headless-shell' ? ['linux-131.0.1.2'] : []),
      isExecutable: (p) => p.includes('.cache'),
    });
    expect(found.source).toBe('puppeteer-cache');
    expect(found.headless).toBe('shell');
  });

  it.each([
    ['linux', /^Install one: sudo apt-get install -y chromium-headless-shell \(Debian 12 or later\); where that package does not exist \(Ubuntu\): npx @puppeteer\/browsers install chrome-headless-shell@stable --path ~\/.cache\/puppeteer$/],
    ['darwin', /^Install one: brew install --cask google-chrome$/],
    ['win32', /^Install one: winget install Google.Chrome$/],
  ] as const)('none found on %s -> NO_BROWSER naming --browser, SSPM_ONBOARD_BROWSER and the install command', (platform, hint) => {
    try {
      findBrowser({ platform, env: {}, homedir: '/h', readdir: () => [], isExecutable: () => false });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OnboardError);
      expect((error as OnboardError).code).toBe('NO_BROWSER');
      expect((error as OnboardError).message).toMatch(/^No Chromium-based browser found/);
      expect(installHint(platform)).toMatch(hint);
      expect((error as OnboardError).fix).toBe(`${installHint(platform)}; or point --browser or SSPM_ONBOARD_BROWSER at a Chrome, Chromium or Edge executable.`);
    }
  });

  it.runIf(fs.existsSync('/usr/lib/chromium/chromium-headless-shell'))('finds the Debian headless shell with the default probes', () => {
    const found = findBrowser({ env: {} });
    expect(found.path).toBe('/usr/lib/chromium/chromium-headless-shell');
    expect(found.headless).toBe('shell');
  });
});
