// A keyring daemon frozen by SIGSTOP (a stuck gnome-keyring-daemon): the built CLI must say the daemon is not
// answering and how to restart it, not blame a locked keyring. The freeze happens in a private D-Bus session
// started just for this test (scripts/with-keyring.sh inside the run's own), so the keyring that other test
// files use at the same time is never stopped.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KEYCHAIN_FIX_NOT_ANSWERING } from '../../src/store/keychain.js';
import { CLI, cleanEnv, findLeak, removeDir, ROOT, tempDir } from '../helpers/cli.js';

const inKeyring = process.env.SSPM_ONBOARD_TEST_KEYRING === '1' && !!process.env.DBUS_SESSION_BUS_ADDRESS;
const PASSWORD = 'frozen-keyring-pw-7Qx';

describe.skipIf(!inKeyring)('a frozen keyring daemon (SIGSTOP), through the built CLI', () => {
  const root = tempDir('sspm-frozen-');
  afterAll(() => removeDir(root));

  it('doctor and add --no-test exit 8 saying the daemon is not answering, not that it is locked', async () => {
    const out = path.join(root, 'out');
    const config = path.join(root, 'config');
    const env = cleanEnv({
      SSPM_ONBOARD_CONFIG_DIR: config,
      SSPM_ONBOARD_KEYCHAIN_TIMEOUT: '2',
      SSPM_PAGERDUTY_PASSWORD: PASSWORD,
    });
    await new Promise<void>((resolve, reject) => {
      const child = spawn('bash', ['-c', 'mkdir -p "$1" && exec bash scripts/with-keyring.sh bash test/store/fixtures/frozen-keyring.sh "$@"', 'sh', out, CLI, `frozen-${process.pid}`], {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`frozen-keyring.sh exited ${code}`))));
    });
    const read = (file: string): string => readFileSync(path.join(out, file), 'utf8');

    expect(read('state').trim()).toBe('T'); // the daemon was still stopped when the CLI had run
    expect(read('thawed.code').trim()).toBe('0'); // and answers again afterwards

    const doctor = JSON.parse(read('doctor.stdout'));
    expect(Number(read('doctor.code'))).toBe(8);
    const keychain = doctor.checks.find((c: { name: string }) => c.name === 'keychain');
    expect(keychain.ok).toBe(false);
    expect(JSON.stringify(keychain)).toContain('the keyring daemon (Secret Service) is not answering');
    expect(JSON.stringify(keychain)).not.toMatch(/locked/i);
    expect(keychain.fix).toBe(KEYCHAIN_FIX_NOT_ANSWERING);

    expect(Number(read('add.code'))).toBe(8);
    const addError = read('add.stderr');
    expect(addError).toMatch(/^Error: Cannot save to the OS keychain: the keyring daemon \(Secret Service\) is not answering/);
    expect(addError).toContain('Restart the keyring daemon');
    expect(addError).not.toMatch(/locked/i);
    // Nothing half-written: the config gains no instance when its secrets could not be stored.
    const configFile = path.join(config, 'config.json');
    expect(existsSync(configFile) ? readFileSync(configFile, 'utf8') : '').not.toContain(`frozen-${process.pid}`);

    const texts = ['doctor.stdout', 'doctor.stderr', 'add.stdout', 'add.stderr'].map((f) => ({ where: f, text: read(f) }));
    expect(findLeak(texts, [PASSWORD])).toBeUndefined();
  }, 120_000);
});
