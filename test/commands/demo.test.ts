// `npm run demo` (dist/demo.js) without a TTY: onboards the sandbox's sample end to end and cleans up; without a
// keychain it still completes and says what it did not store.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, cleanEnv } from '../helpers/cli.js';

const withKeyring = process.env.SSPM_ONBOARD_TEST_KEYRING === '1';

function runDemo(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/demo.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run demo (no TTY)', () => {
  it.runIf(withKeyring)('onboards the sample instance with its secrets in the keychain, re-tests it, then removes it', async () => {
    const { code, output } = await runDemo(cleanEnv({ CI: 'true' }));
    expect(code, output).toBe(0);
    expect(output).toMatch(/Log-in test: +passed/);
    expect(output).toMatch(/Secrets: +OS keychain/);
    expect(output).toMatch(/sandbox-acme +acme\.pagerduty\.com/);
    expect(output).toMatch(/Removed "sandbox-acme"/);
    expect(output).toMatch(/Demo complete\./);
  });

  it('without a keychain service it still completes and says nothing was stored', async () => {
    const { code, output } = await runDemo(cleanEnv({ CI: 'true', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus' }));
    expect(code, output).toBe(0);
    expect(output).toMatch(/No usable keychain here/);
    expect(output).toMatch(/Stored: +nothing/);
    expect(output).toMatch(/nothing was stored because there is no keychain service/);
  });
});
