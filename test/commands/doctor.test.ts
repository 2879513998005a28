// `sspm-onboard doctor`: every check, and the fix printed for a failing one.
import { describe, expect, it } from 'vitest';
import { cleanEnv, removeDir, runCli, tempDir } from '../helpers/cli.js';

const withKeyring = process.env.SSPM_ONBOARD_TEST_KEYRING === '1';

describe('sspm-onboard doctor', () => {
  it.runIf(withKeyring)('passes on a machine with a browser and a Secret Service', async () => {
    const config = tempDir();
    try {
      const result = await runCli(['doctor', '--json'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: config }) });
      const report = JSON.parse(result.stdout);
      expect(report.checks.map((c: { name: string }) => c.name)).toEqual(['node', 'browser', 'keychain', 'config']);
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
