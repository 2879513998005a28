// Runs against a real Secret Service: inside scripts/with-keyring.sh (which sets SSPM_ONBOARD_TEST_KEYRING=1
// and gives the run a throw-away HOME and D-Bus session). Elsewhere these tests are skipped, so that they
// never touch a developer's own keychain.
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYCHAIN_FIX_NOT_ANSWERING, probeSecretService } from '../../src/store/keychain.js';
import { checkKeychain, openSecretStore, secretAccount } from '../../src/store/secret-store.js';
import { runFixture, uniqueName } from './helpers.js';

const inKeyring = process.env.SSPM_ONBOARD_TEST_KEYRING === '1' && !!process.env.DBUS_SESSION_BUS_ADDRESS;
const FIX = 'Start a Secret Service (gnome-keyring-daemon in a D-Bus session), or use --secret-store file, or --no-store for a one-off test.';

/** secret-tool prints values on stdout and attributes on stderr; it exits 1 when nothing matches. */
function secretToolSearch(): string {
  const result = spawnSync('secret-tool', ['search', '--all', 'service', 'sspm-onboard'], { encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 1) throw new Error(`secret-tool search failed (${result.status}): ${result.stderr}`);
  return result.stdout + result.stderr;
}

/** Object paths of the items holding one account, straight from the Secret Service. */
function itemPaths(account: string): string {
  return execFileSync(
    'gdbus',
    ['call', '--session', '--dest', 'org.freedesktop.secrets', '--object-path', '/org/freedesktop/secrets', '--method', 'org.freedesktop.Secret.Service.SearchItems', `{'service': 'sspm-onboard', 'username': '${account}'}`],
    { encoding: 'utf8' },
  );
}

describe.skipIf(!inKeyring)('OS keychain (real Secret Service; run inside scripts/with-keyring.sh)', () => {
  it('passes the throw-away check and leaves nothing behind', async () => {
    expect(await checkKeychain()).toEqual({ ok: true, backend: 'Secret Service' });
    // Only this process's probe: other test files' CLI runs may be probing the shared keyring right now.
    expect(secretToolSearch()).not.toContain(`.check/${process.pid}-`);
  });

  it('stores in the persistent login collection, reads back, and delete cleans it', async () => {
    const instance = uniqueName('kc');
    const account = secretAccount(instance, 'password');
    const store = await openSecretStore('keychain', {});
    expect(store.kind).toBe('keychain');
    expect(store.location).toBe('OS keychain (Secret Service), service sspm-onboard');
    try {
      await store.set(instance, 'password', 'kc-secret-1');
      await store.set(instance, 'mfa-secret', 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP');
      await store.set(instance, 'password', 'kc-secret-2');
      expect(await store.get(instance, 'password')).toBe('kc-secret-2');
      expect(await (await openSecretStore('keychain', {})).get(instance, 'mfa-secret')).toBe('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP');

      const listed = secretToolSearch();
      expect(listed).toContain(`attribute.username = ${account}`);
      expect(listed).toContain('secret = kc-secret-2');
      // One item, in the on-disk "login" collection (not the in-memory "session" one, not the kernel keyring).
      expect(itemPaths(account)).toMatch(/^\(\[objectpath '\/org\/freedesktop\/secrets\/collection\/login\/\d+'\], @ao \[\]\)/);
    } finally {
      await store.delete(instance, 'password');
      await store.delete(instance, 'mfa-secret');
    }
    expect(await store.get(instance, 'password')).toBeNull();
    await store.delete(instance, 'password'); // deleting a missing secret is fine
    expect(secretToolSearch()).not.toContain(instance);
  });

  it('the timeout probe finds the running Secret Service answering', async () => {
    expect(await probeSecretService(process.env)).toBe('answered');
  });

  it('fails with SECRET_STORE and the fix when there is no D-Bus, with no kernel-keyring fallback', async () => {
    const instance = uniqueName('nobus');
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/sspm-onboard-test-bus' };
    const set = await runFixture('keychain-op.ts', ['set', instance], env);
    const outcome = JSON.parse(set.stdout);
    expect(outcome.ok).toBe(false);
    expect(outcome.error.code).toBe('SECRET_STORE');
    expect(outcome.error.message).toMatch(/^Cannot save to the OS keychain: no Secret Service is reachable .*Failed to connect to socket/);
    expect(outcome.error.message).not.toContain('\n');
    expect(outcome.error.fix).toBe(FIX);
    // Had it fallen back to the kernel keyring, this read in the same broken environment would find the value.
    const get = JSON.parse((await runFixture('keychain-op.ts', ['get', instance], env)).stdout);
    expect(get.ok).toBe(false);
    expect(get.error.code).toBe('SECRET_STORE');

    const unset = { ...process.env };
    delete unset.DBUS_SESSION_BUS_ADDRESS;
    const check = JSON.parse((await runFixture('keychain-op.ts', ['check'], unset)).stdout);
    expect(check).toMatchObject({ ok: false, error: { code: 'SECRET_STORE', fix: FIX } });
    expect(check.error.message).toContain('DBUS_SESSION_BUS_ADDRESS');
  });

  describe('a bus that never answers', () => {
    let dir: string;
    let server: Server;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'sspm-hang-'));
      server = createServer((socket) => void sockets.push(socket)); // accepts, never replies
      await new Promise<void>((resolve) => server.listen(path.join(dir, 'bus'), resolve));
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    });

    it('times out with SECRET_STORE, and the process still exits promptly', async () => {
      const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dir, 'bus')}` };
      const result = await runFixture('keychain-op.ts', ['set', uniqueName('hang'), '700'], env, 30_000);
      expect(result.code).toBe(0);
      const outcome = JSON.parse(result.stdout);
      expect(outcome.error.code).toBe('SECRET_STORE');
      // Nothing answers on this bus, not even the short probe: reported as not answering, not as locked.
      expect(outcome.error.message).toContain('is not answering: the call got no reply within 0.7 s');
      expect(outcome.error.message).not.toMatch(/locked/i);
      expect(outcome.error.fix).toBe(KEYCHAIN_FIX_NOT_ANSWERING);
      // tsx start-up dominates; a hung helper would keep the process alive far longer.
      expect(result.ms).toBeLessThan(15_000);

      const started = Date.now();
      const check = await checkKeychain({ env, timeoutMs: 500 });
      expect(check.ok).toBe(false);
      // The bus never answers: without the bounds (call 0.5 s, probe 4 s) this would not return at all.
      expect(Date.now() - started).toBeLessThan(20_000);
    });

    it('the probe reports a bus that never answers as silent, within its bound', async () => {
      const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(dir, 'bus')}` };
      const started = Date.now();
      expect(await probeSecretService(env, 1_000)).toBe('silent');
      expect(Date.now() - started).toBeLessThan(15_000);
    });
  });
});
