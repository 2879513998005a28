import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OnboardError } from '../../src/core/errors.js';
import { openSecretStore, secretAccount } from '../../src/store/secret-store.js';
import { tempConfigDir, uniqueName } from './helpers.js';

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('encrypted secret file', () => {
  let t: ReturnType<typeof tempConfigDir>;
  let file: string;
  beforeEach(() => {
    t = tempConfigDir();
    t.env.SSPM_ONBOARD_PASSPHRASE = 'correct horse battery staple';
    file = path.join(t.dir, 'secrets.enc.json');
  });
  afterEach(() => t.cleanup());

  it('round-trips secrets and says where they live', async () => {
    const store = await openSecretStore('file', { env: t.env });
    expect(store.kind).toBe('file');
    expect(store.location).toBe(file);
    const name = uniqueName('acme');
    expect(await store.get(name, 'password')).toBeNull();
    await store.set(name, 'password', 'pässwörd with spaces ✓');
    await store.set(name, 'mfa-secret', 'otpauth://totp/x?secret=JBSWY3DPEHPK3PXP');
    await store.set(name, 'password', 'second value');

    const again = await openSecretStore('file', { env: t.env });
    expect(await again.get(name, 'password')).toBe('second value');
    expect(await again.get(name, 'mfa-secret')).toBe('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP');
    expect(await again.get('other', 'password')).toBeNull();

    await again.delete(name, 'password');
    await again.delete(name, 'password');
    expect(await again.get(name, 'password')).toBeNull();
    expect(await again.get(name, 'mfa-secret')).toBe('otpauth://totp/x?secret=JBSWY3DPEHPK3PXP');
  });

  it('keeps no plain text: version, kdf params, salt and sealed entries only', async () => {
    const store = await openSecretStore('file', { env: t.env });
    const secret = 'S3cr3t-Needle-Value-1234567890';
    await store.set('acme', 'password', secret);
    const bytes = readFileSync(file);
    for (const needle of [secret, Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex'), t.env.SSPM_ONBOARD_PASSPHRASE!]) {
      expect(bytes.includes(Buffer.from(needle))).toBe(false);
    }
    const json = JSON.parse(bytes.toString('utf8'));
    expect(json).toMatchObject({ version: 1, kdf: { name: 'scrypt', N: 32768, r: 8, p: 1 } });
    expect(Buffer.from(json.salt, 'base64')).toHaveLength(16);
    expect(Object.keys(json.entries)).toEqual([secretAccount('acme', 'password')]);
    const entry = json.entries['acme/password'];
    expect(Buffer.from(entry.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(entry.tag, 'base64')).toHaveLength(16);

    // Same value again: fresh IV, different ciphertext.
    await store.set('acme', 'password', secret);
    const next = JSON.parse(readFileSync(file, 'utf8')).entries['acme/password'];
    expect(next.iv).not.toBe(entry.iv);
    expect(next.data).not.toBe(entry.data);
  });

  it('refuses a wrong passphrase, for reads and writes, and leaves the file alone', async () => {
    await (await openSecretStore('file', { env: t.env })).set('acme', 'password', 'pw');
    const before = readFileSync(file, 'utf8');
    const wrong = await openSecretStore('file', { env: { ...t.env, SSPM_ONBOARD_PASSPHRASE: 'wrong' } });
    for (const attempt of [() => wrong.get('acme', 'password'), () => wrong.set('other', 'password', 'x')]) {
      const error = (await attempt().catch((e: unknown) => e)) as OnboardError;
      expect(error).toBeInstanceOf(OnboardError);
      expect(error.code).toBe('SECRET_STORE');
      expect(error.message).toBe(`The passphrase does not open ${file}.`);
      expect(error.fix).toContain('SSPM_ONBOARD_PASSPHRASE');
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('detects an entry moved to another name (the name is authenticated)', async () => {
    const store = await openSecretStore('file', { env: t.env });
    await store.set('acme', 'password', 'pw');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    json.entries['evil/password'] = json.entries['acme/password'];
    writeFileSync(file, JSON.stringify(json));
    await expect(store.get('evil', 'password')).rejects.toMatchObject({ code: 'SECRET_STORE', message: expect.stringContaining('damaged entry') });
  });

  it('asks the passphrase callback when the variable is unset, and names the variable when neither is there', async () => {
    delete t.env.SSPM_ONBOARD_PASSPHRASE;
    let asked = 0;
    const store = await openSecretStore('file', { env: t.env, passphrase: async () => (asked++, 'typed') });
    await store.set('acme', 'password', 'pw');
    expect(await store.get('acme', 'password')).toBe('pw');
    expect(asked).toBe(1);
    expect(await (await openSecretStore('file', { env: { ...t.env, SSPM_ONBOARD_PASSPHRASE: 'typed' } })).get('acme', 'password')).toBe('pw');

    const none = await openSecretStore('file', { env: t.env });
    await expect(none.get('acme', 'password')).rejects.toMatchObject({ code: 'INVALID_INPUT', fix: expect.stringContaining('SSPM_ONBOARD_PASSPHRASE') });
  });

  it('writes the file 0600 in a 0700 folder, and tightens them', async () => {
    const store = await openSecretStore('file', { env: t.env });
    await store.set('acme', 'password', 'pw');
    expect(mode(t.dir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    chmodSync(file, 0o644);
    await store.get('acme', 'password');
    expect(mode(file)).toBe(0o600);
  });

  it('refuses a corrupt or newer file without overwriting it', async () => {
    const store = await openSecretStore('file', { env: t.env });
    await store.set('acme', 'password', 'pw');
    for (const text of ['{"version": 1, "entries": ', JSON.stringify({ version: 9, entries: {} })]) {
      writeFileSync(file, text);
      await expect(store.get('acme', 'password')).rejects.toMatchObject({ code: 'SECRET_STORE', message: expect.stringContaining(file) });
      await expect(store.set('acme', 'password', 'x')).rejects.toMatchObject({ code: 'SECRET_STORE' });
      expect(readFileSync(file, 'utf8')).toBe(text);
    }
  });
});
