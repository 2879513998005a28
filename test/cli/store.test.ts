// Storing through the CLI: the keychain life cycle (add, list, show, update, remove), the encrypted file
// (round trip through a real log-in against the sandbox), no keychain, --no-store, concurrent adds, and the
// no-leak search of every output and every stored file.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, findLeak, readTree, removeDir, tempDir } from '../helpers/cli.js';
import { RunLog, configInstances, inKeyring, jsonOf, keychainLookup, keychainSearch, uniqueName } from './helpers.js';

const root = tempDir('sspm-cli-store-');
const log = new RunLog();
/** Every secret any test here hands to the CLI. */
const SECRETS: string[] = [];
function secret(value: string): string {
  SECRETS.push(value);
  return value;
}

let dirCount = 0;
function configDir(): string {
  dirCount += 1;
  return path.join(root, `config-${dirCount}`);
}

afterAll(() => removeDir(root));

const DEAD_BUS = 'unix:path=/nonexistent';

describe.skipIf(!inKeyring)('the keychain life cycle through the CLI', () => {
  it('add, list, show, update, remove', async () => {
    const dir = configDir();
    const name = uniqueName('store-life');
    const password = secret('Store-Life-pw-1 with spaces & $igns');
    const newPassword = secret('Store-Life-NEW-pw-2');
    const mfa = secret('ONSWG4TFOQYTEMZUGU3DOOBZGAYTEMZU');
    const env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir, SSPM_PAGERDUTY_MFA_SECRET: mfa });

    const add = await log.run(
      ['pagerduty', 'add', '--name', name, '--url', 'https://globex.eu.pagerduty.com', '--login-method', 'okta', '--okta-subdomain', 'globex', '--user', 'hank', '--password-stdin', '--no-test'],
      { env, input: `${password}\n` },
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    expect(add.stdout).toContain(`Name:          ${name}`);
    expect(add.stdout).toContain('Secrets:       OS keychain (Secret Service), service sspm-onboard');
    expect(await keychainLookup(name, 'password')).toBe(password);
    expect(await keychainLookup(name, 'mfa-secret')).toContain(`secret=${mfa}`);

    const list = await log.run(['pagerduty', 'list'], { env });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${name}\\s+globex\\.eu\\.pagerduty\\.com\\s+okta\\s+hank\\s+never tested$`, 'm'));
    const listJson = await log.run(['pagerduty', 'list', '--json'], { env });
    expect(JSON.parse(listJson.stdout)).toEqual([expect.objectContaining({ name, subdomain: 'globex', region: 'eu', loginMethod: 'okta', user: 'hank', oktaSubdomain: 'globex', secretStore: 'keychain', lastTest: null })]);

    const show = await log.run(['pagerduty', 'show', name], { env });
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(`Password:      OS keychain, service "sspm-onboard", account "${name}/password"`);
    expect(show.stdout).toContain(`2FA secret:    OS keychain, service "sspm-onboard", account "${name}/mfa-secret"`);
    const shown = jsonOf(await log.run(['pagerduty', 'show', name, '--json'], { env }));
    expect(shown).toMatchObject({ name, loginMethod: 'okta', secretStore: 'keychain' });
    expect(shown.secrets).toEqual({
      password: `OS keychain, service "sspm-onboard", account "${name}/password"`,
      'mfa-secret': `OS keychain, service "sspm-onboard", account "${name}/mfa-secret"`,
    });

    const update = await log.run(['pagerduty', 'update', name, '--password-stdin', '--no-test'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir }), input: newPassword });
    expect(update.stderr).toBe('');
    expect(update.code).toBe(0);
    expect(update.stdout).toContain(`Updated "${name}"`);
    expect(await keychainLookup(name, 'password')).toBe(newPassword);
    expect(await keychainLookup(name, 'mfa-secret')).toContain(`secret=${mfa}`); // untouched
    const afterUpdate = jsonOf(await log.run(['pagerduty', 'show', name, '--json'], { env }));
    expect(afterUpdate).toMatchObject({ name, user: 'hank', oktaSubdomain: 'globex', createdAt: shown.createdAt });

    // Without --yes and without a terminal, remove asks for --yes and removes nothing.
    const refused = await log.run(['pagerduty', 'remove', name], { env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`sspm-onboard pagerduty remove ${name} --yes`);
    expect(await keychainLookup(name, 'password')).toBe(newPassword);

    const remove = await log.run(['pagerduty', 'remove', name, '--yes'], { env });
    expect(remove.stderr).toBe('');
    expect(remove.code).toBe(0);
    expect(configInstances(dir)).toEqual({});
    expect(await keychainLookup(name, 'password')).toBeNull();
    expect(await keychainLookup(name, 'mfa-secret')).toBeNull();
    expect(await keychainSearch()).not.toContain(name);
    const gone = await log.run(['pagerduty', 'show', name], { env });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain(`No instance named "${name}"`);
  });

  it('no usable keychain: exit 8 with the fix, nothing written', async () => {
    const dir = configDir();
    const name = uniqueName('store-nokc');
    const password = secret('Store-NoKeychain-pw-3');
    const env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir, DBUS_SESSION_BUS_ADDRESS: DEAD_BUS, SSPM_PAGERDUTY_PASSWORD: password });
    const args = ['pagerduty', 'add', '--name', name, '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'owner@acme.example', '--no-test'];
    const result = await log.run(args, { env });
    expect(result.code).toBe(8);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/Cannot .* OS keychain: no Secret Service is reachable/);
    expect(result.stderr).toContain('--secret-store file');
    expect(result.stderr).toContain('--no-store');
    expect(configInstances(dir)).toEqual({});
    expect(await keychainLookup(name, 'password')).toBeNull();

    const json = await log.run([...args, '--json'], { env });
    expect(json.code).toBe(8);
    expect(jsonOf(json)).toMatchObject({ ok: false, error: { code: 'SECRET_STORE' } });

    // The suggested one-off: --no-store needs no keychain.
    const noStore = await log.run([...args, '--no-store'], { env });
    expect(noStore.stderr).toBe('');
    expect(noStore.code).toBe(0);
    expect(noStore.stdout).toContain('Stored:        nothing (--no-store)');
    expect(existsSync(dir)).toBe(false);
  });

  it('--no-store stores nothing', async () => {
    const dir = configDir();
    const name = uniqueName('store-nostore');
    const password = secret('Store-NoStore-pw-4');
    const result = await log.run(['pagerduty', 'add', '--name', name, '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'owner@acme.example', '--password-stdin', '--no-store', '--no-test', '--json'], {
      env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir }),
      input: password,
    });
    expect(result.code).toBe(0);
    expect(jsonOf(result)).toMatchObject({ ok: true, name, stored: null });
    expect(existsSync(dir)).toBe(false);
    expect(await keychainLookup(name, 'password')).toBeNull();
    expect(await keychainSearch()).not.toContain(name);
  });

  it('six concurrent adds from separate processes all land', async () => {
    const dir = configDir();
    const names = Array.from({ length: 6 }, (_, i) => uniqueName(`store-conc${i}`));
    const passwords = names.map((_, i) => secret(`Store-Concurrent-pw-${i}-x`));
    const results = await Promise.all(
      names.map((name, i) =>
        log.run(['pagerduty', 'add', '--name', name, '--url', `https://tenant${i}.pagerduty.com`, '--login-method', 'credentials', '--user', `owner${i}@acme.example`, '--password-stdin', '--no-test', '--json'], {
          env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir }),
          input: passwords[i],
        }),
      ),
    );
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    const list = await log.run(['pagerduty', 'list', '--json'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir }) });
    const listed = JSON.parse(list.stdout) as Array<{ name: string; subdomain: string; user: string }>;
    expect(listed.map((i) => i.name).sort()).toEqual([...names].sort());
    for (const [i, name] of names.entries()) {
      expect(listed.find((entry) => entry.name === name)).toMatchObject({ subdomain: `tenant${i}`, user: `owner${i}@acme.example` });
      expect(await keychainLookup(name, 'password')).toBe(passwords[i]);
    }
    // Private folder and file.
    const { statSync } = await import('node:fs');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    // Clean the shared keyring.
    for (const name of names) expect((await log.run(['pagerduty', 'remove', name, '--yes'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir }) })).code).toBe(0);
  });

  it('the CLI never gets a secret in its arguments', async () => {
    const dir = configDir();
    const name = uniqueName('store-argv');
    const password = secret('Store-Argv-pw-5-unique');
    const child = spawn(process.execPath, [CLI, 'pagerduty', 'add', '--name', name, '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'owner@acme.example', '--password-stdin', '--no-test'], {
      env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));

    // Every process's command line, sampled while the CLI runs (the CLI itself and any helper it starts).
    const seen: string[] = [];
    let sampling = true;
    const sample = async () => {
      while (sampling) {
        for (const pid of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
          const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
          if (cmdline !== '') seen.push(cmdline.replace(/\0/g, ' '));
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const sampler = sample();

    // While the CLI waits for the password on stdin, its own command line:
    const own = (await readFile(`/proc/${child.pid}/cmdline`, 'utf8')).split('\0');
    expect(own).toContain('--password-stdin');
    expect(own.join(' ')).not.toContain(password);
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.stdin.end(password);
    const code = await closed;
    sampling = false;
    await sampler;
    log.record('`pagerduty add --password-stdin` (argv check)', { stdout, stderr });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(seen.some((line) => line.includes(CLI))).toBe(true);
    expect(seen.filter((line) => line.includes(password))).toEqual([]);
    expect(await keychainLookup(name, 'password')).toBe(password);
    expect((await log.run(['pagerduty', 'remove', name, '--yes'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir }) })).code).toBe(0);
  });
});

describe('the encrypted secret file', () => {
  it('round trip: stored with a passphrase, used by a real log-in against the sandbox, never plain text', async () => {
    const dir = configDir();
    const name = uniqueName('store-file');
    const passphrase = secret('Store file passphrase 6');
    // The sandbox's us-okta-classic sample account: fake values only the sandbox accepts.
    const password = secret('sandbox-Okta-Acme-pw-7');
    const mfa = secret('SANDBOXFAKEACMEOKTAOWNERTOTPAAAA');
    const env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir, SSPM_ONBOARD_PASSPHRASE: passphrase, DBUS_SESSION_BUS_ADDRESS: DEAD_BUS });

    const add = await log.run(
      ['pagerduty', 'add', '--name', name, '--url', 'https://acme.pagerduty.com/incidents', '--login-method', 'okta', '--okta-subdomain', 'acme', '--user', 'owner@acme.example', '--password-stdin', '--secret-store', 'file', '--no-test'],
      { env: { ...env, SSPM_PAGERDUTY_MFA_SECRET: mfa }, input: password },
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);
    const secretFile = path.join(dir, 'secrets.enc.json');
    expect(readdirSync(dir)).toContain('secrets.enc.json');
    const sealed = readFileSync(secretFile, 'utf8');
    for (const plain of [password, mfa, passphrase, Buffer.from(password).toString('base64'), Buffer.from(mfa).toString('base64')]) expect(sealed).not.toContain(plain);
    expect(readFileSync(path.join(dir, 'config.json'), 'utf8')).not.toContain(password);

    const show = jsonOf(await log.run(['pagerduty', 'show', name, '--json'], { env }));
    expect(show.secrets.password).toBe(`encrypted file ${secretFile}, entry "${name}/password"`);

    // The stored password and 2FA secret sign in (no keychain reachable: they can only come from the file).
    const test = await log.run(['pagerduty', 'test', name, '--sandbox', '--json'], { env });
    expect(test.code).toBe(0);
    expect(jsonOf(test)).toMatchObject({ name, ok: true, loginMethod: 'okta', owner: 'verified' });

    // A wrong passphrase opens nothing.
    const wrong = await log.run(['pagerduty', 'test', name, '--sandbox'], { env: { ...env, SSPM_ONBOARD_PASSPHRASE: 'not the passphrase' } });
    expect(wrong.code).toBe(8);
    expect(wrong.stderr).toContain('The passphrase does not open');

    // Store a wrong password: the same log-in is now rejected, so the test above did use the stored one.
    const wrongPassword = secret('Store-File-wrong-pw-8');
    const update = await log.run(['pagerduty', 'update', name, '--password-stdin', '--no-test'], { env, input: wrongPassword });
    expect(update.stderr).toBe('');
    expect(update.code).toBe(0);
    expect(readFileSync(secretFile, 'utf8')).not.toContain(wrongPassword);
    const rejected = await log.run(['pagerduty', 'test', name, '--sandbox', '--json'], { env });
    expect(rejected.code).toBe(3);
    expect(jsonOf(rejected)).toMatchObject({ name, ok: false, error: { code: 'LOGIN_REJECTED' } });

    const remove = await log.run(['pagerduty', 'remove', name, '--yes'], { env });
    expect(remove.code).toBe(0);
    expect(configInstances(dir)).toEqual({});
  });
});

describe('no secret anywhere', () => {
  it('in all output of every CLI run above, and in every file of their config folders', () => {
    expect(SECRETS.length).toBeGreaterThan(0);
    expect(log.outputs.length).toBeGreaterThan(0);
    const files = existsSync(root) ? readTree(root).map(({ file, text }) => ({ where: file, text })) : [];
    expect(findLeak([...log.outputs, ...files], SECRETS)).toBeUndefined();
  });
});
