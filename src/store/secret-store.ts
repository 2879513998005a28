// Where secrets live: the OS keychain (default) or an encrypted file. Never plain text.
// Both back ends load lazily, so importing this module for its types costs nothing.
import { OnboardError } from '../core/errors.js';
import type { SecretStoreKind } from '../core/types.js';
import { PROBE_PREFIX, secretAccount, type SecretStore, type SecretStoreOptions } from './secret-store-types.js';

export { secretAccount, type SecretStore, type SecretStoreOptions } from './secret-store-types.js';

export async function openSecretStore(kind: SecretStoreKind, opts: SecretStoreOptions = {}): Promise<SecretStore> {
  if (kind === 'keychain') {
    const { KeychainClient, keychainLocation } = await import('./keychain.js');
    const client = new KeychainClient(opts.env ?? process.env, opts.timeoutMs);
    return {
      kind: 'keychain',
      location: keychainLocation(),
      set: (instance, secret, value) => client.set(secretAccount(instance, secret), value),
      get: (instance, secret) => client.get(secretAccount(instance, secret)),
      delete: async (instance, secret) => {
        await client.delete(secretAccount(instance, secret));
      },
      accounts: () => client.list(),
    };
  }
  if (kind === 'file') {
    const [{ EncryptedFileStore, secretFilePath }, { configDir }] = await Promise.all([import('./file-store.js'), import('./config-store.js')]);
    return new EncryptedFileStore(secretFilePath(configDir(opts.env ?? process.env)), { env: opts.env, passphrase: opts.passphrase });
  }
  throw new OnboardError('INVALID_INPUT', `Unknown secret store "${String(kind)}".`, { fix: 'Use --secret-store keychain or --secret-store file.' });
}

/**
 * A throw-away write, read and delete in the keychain: proves that "stored" will mean persisted.
 * Used by `doctor` and before any keychain write.
 */
export async function checkKeychain(
  opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<{ ok: true; backend: string } | { ok: false; error: OnboardError }> {
  const { KeychainClient, keychainBackend, keychainError } = await import('./keychain.js');
  const client = new KeychainClient(opts.env ?? process.env, opts.timeoutMs);
  const account = `${PROBE_PREFIX}${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const probe = `check-${Math.random().toString(36).slice(2)}`;
  try {
    await client.set(account, probe);
    const read = await client.get(account);
    await client.delete(account);
    if (read !== probe) {
      return { ok: false, error: keychainError({ message: 'a value just written read back differently' }, 'use') };
    }
    return { ok: true, backend: keychainBackend() };
  } catch (error) {
    if (!client.timedOut) await client.delete(account).catch(() => {});
    if (error instanceof OnboardError) return { ok: false, error };
    return { ok: false, error: keychainError({ message: (error as Error).message }, 'use') };
  } finally {
    client.close();
  }
}
