// `sspm-onboard doctor`: every check, and the fix printed for a failing one.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv, removeDir, runCli, tempDir } from '../helpers/cli.js';

/** The browsers the search probes on Linux (see find-browser.ts). */
const SYSTEM_BROWSERS = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome', '/opt/google/chrome/chrome', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/microsoft-edge-stable', '/usr/bin/microsoft-edge', '/opt/microsoft/msedge/msedge'];

/** A private mount namespace hides the installed browsers (each bind-mounted over by /dev/null): root only. */
function canHideBrowsers(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('unshare', ['--mount', '--propagation', 'private', 'mount', '--bind', '/dev/null', '/dev/null'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** The CLI on a machine without a browser: the same files, each browser path hidden. */
function runWithoutBrowser(args: string[], env: NodeJS.ProcessEnv) {
  const hide = SYSTEM_BROWSERS.filter((file) => existsSync(file)).map((file) => `mount --bind /dev/null '${file}'`);
  const script = [...hide, `exec "${process.execPath}" "${CLI}" "$@"`].join(' && ');
  const result = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', ...args], { env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const withKeyring = process.env.SSPM_ONBOARD_TEST_KEYRING === '1';

describe('sspm-onboard doctor', () => {
  it.runIf(withKeyring)('passes on a machine with a browser and a Secret Service', async () => {
    const config = tempDir();
    try {
      const result = await runCli(['doctor', '--json'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: config }) });
      const report = JSON.parse(result.stdout);
      expect(report.checks.map((c: { name: string }) => c.name)).toEqual(['node', 'browser', 'keychain', 'config', 'orphans']);
      expect(report.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
      expect(result.code).toBe(0);
    } finally {
      removeDir(config);
    }
  });

  it('without a keychain: fails that check with the fix, exit 8', async () => {
    const config = tempDir();
    try {
      const result = await runCli(['doctor'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: config, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }) });
      expect(result.stdout).toMatch(/^ok\s+browser/m);
      expect(result.stdout).toMatch(/^FAIL keychain/m);
      expect(result.stdout).toMatch(/To fix: .*--secret-store file/);
      expect(result.code).toBe(8);
    } finally {
      removeDir(config);
    }
  });

  it('SSPM_ONBOARD_BROWSER_ARGS: counts its flags, and names a switch every command would refuse (exit 2)', async () => {
    const config = tempDir();
    try {
      const good = await runCli(['doctor', '--json'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: config, SSPM_ONBOARD_BROWSER_ARGS: '--lang=en\n--window-size=1280,800' }) });
      expect(JSON.parse(good.stdout).checks.find((c: { name: string }) => c.name === 'browser-args')).toMatchObject({ ok: true, detail: 'SSPM_ONBOARD_BROWSER_ARGS: 2 Chromium flags' });

      const refused = await runCli(['doctor', '--json'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: config, SSPM_ONBOARD_BROWSER_ARGS: '["--remote-debugging-port=9222"]' }) });
      const report = JSON.parse(refused.stdout);
      const check = report.checks.find((c: { name: string }) => c.name === 'browser-args');
      expect(check).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
      expect(check.detail).toContain('--remote-debugging-port');
      expect(check.detail).toContain('SSPM_ONBOARD_BROWSER_ARGS');
      // It comes right after the browser check, so it decides the exit code when the browser passes.
      expect(report.checks.map((c: { name: string }) => c.name).slice(0, 3)).toEqual(['node', 'browser', 'browser-args']);
      expect(refused.code).toBe(2);

      const unset = await runCli(['doctor', '--json'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: config }) });
      expect(JSON.parse(unset.stdout).checks.map((c: { name: string }) => c.name)).not.toContain('browser-args');
    } finally {
      removeDir(config);
    }
  });

  it.runIf(canHideBrowsers())('no browser at all: its own error (exit 9, NO_BROWSER) naming --browser, SSPM_ONBOARD_BROWSER and the install command', () => {
    const home = tempDir();
    try {
      const env = cleanEnv({ HOME: home, SSPM_ONBOARD_CONFIG_DIR: home, PUPPETEER_EXECUTABLE_PATH: '', PUPPETEER_CACHE_DIR: '' });
      const doctor = runWithoutBrowser(['doctor', '--json'], env);
      const report = JSON.parse(doctor.stdout);
      const browser = report.checks.find((c: { name: string }) => c.name === 'browser');
      expect(browser).toMatchObject({ ok: false, code: 'NO_BROWSER' });
      expect(browser.fix).toContain('sudo apt-get install -y chromium-headless-shell');
      // The first failing check decides doctor's exit code (node passes here).
      expect(doctor.code).toBe(9);
      expect(report.error.code).toBe('NO_BROWSER');

      const test = runWithoutBrowser(['pagerduty', 'test', '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'o@acme.example', '--no-input'], { ...env, SSPM_PAGERDUTY_PASSWORD: 'no-browser-pw-1' });
      expect(test.code).toBe(9);
      expect(test.stderr.trim().split('\n')).toHaveLength(1);
      expect(test.stderr).toMatch(/^Error: No Chromium-based browser found/);
      for (const hint of ['--browser', 'SSPM_ONBOARD_BROWSER', 'apt-get install -y chromium-headless-shell', '@puppeteer/browsers install']) expect(test.stderr).toContain(hint);
    } finally {
      removeDir(home);
    }
  });

  it('with a browser path that does not exist: names it', async () => {
    const config = tempDir();
    try {
      const result = await runCli(['doctor', '--browser', '/nonexistent/chrome', '--json'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: config }) });
      const browser = JSON.parse(result.stdout).checks.find((c: { name: string }) => c.name === 'browser');
      expect(browser.ok).toBe(false);
      expect(browser.detail).toContain('/nonexistent/chrome');
      expect(result.code).not.toBe(0);
    } finally {
      removeDir(config);
    }
  });
});
