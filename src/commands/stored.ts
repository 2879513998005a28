// Reading stored instances back with their secrets, for `test` and `update`.
import { OnboardError } from '../core/errors.js';
import type { InstanceConfig, SecretStoreKind } from '../core/types.js';
import { parseMfaSecret } from '../core/mfa-secret.js';
import type { ResolvedInstance } from '../cli/inputs.js';
import { ioCanPrompt, type Io } from '../cli/io.js';

export function unknownInstanceError(name: string): OnboardError {
  return new OnboardError('INVALID_INPUT', `No instance named "${name}".`, { fix: 'See the names with: sspm-onboard pagerduty list' });
}

export async function requireInstance(name: string, io: Io): Promise<InstanceConfig> {
  const { getInstance } = await import('../store/config-store.js');
  const config = await getInstance(name, io.env);
  if (!config) throw unknownInstanceError(name);
  return config;
}

/** `creating`: the file does not exist yet, so this passphrase is a new one (asked twice, with a minimum length). */
export async function passphrasePrompt(io: Io, creating: boolean): Promise<string> {
  if (!ioCanPrompt(io, false)) {
    throw new OnboardError('INVALID_INPUT', 'The encrypted secret file needs its passphrase.', { fix: 'Set SSPM_ONBOARD_PASSPHRASE.' });
  }
  const [{ inquirerPrompter }, { askNewPassphrase, askPassphrase }] = await Promise.all([import('../wizard/prompter.js'), import('../wizard/passphrase.js')]);
  // On stderr: stdout may be carrying a JSON document.
  const prompter = await inquirerPrompter(io.stderr);
  return creating ? askNewPassphrase(prompter) : askPassphrase(prompter);
}

type SecretStore = Awaited<ReturnType<typeof import('../store/secret-store.js').openSecretStore>>;
const openStores = new Map<SecretStoreKind, Promise<SecretStore>>();

/** One store per kind and process: `test --all` opens the keychain helper (or derives the file key) once. */
export function openStore(kind: SecretStoreKind, io: Io): Promise<SecretStore> {
  let store = openStores.get(kind);
  if (!store) {
    store = import('../store/secret-store.js').then(({ openSecretStore }) => openSecretStore(kind, { env: io.env, passphrase: ({ creating }) => passphrasePrompt(io, creating) }));
    openStores.set(kind, store);
  }
  return store;
}

/** Before any sign-in: the encrypted file's passphrase is at hand and opens it, as the keychain probe does for
 *  the keychain, so that a wrong or missing passphrase never costs an Account Owner log-in. */
export async function checkSecretFileBeforeSignIn(kind: SecretStoreKind, io: Io): Promise<void> {
  if (kind !== 'file') return;
  const store = await openStore(kind, io);
  await store.checkPassphrase?.();
}

/** Reads take no lock: a `remove` may have taken the entry, then its secrets, between our two reads. */
async function throwIfRemovedMeanwhile(name: string, io: Io): Promise<void> {
  const { getInstance } = await import('../store/config-store.js');
  if (!(await getInstance(name, io.env))) throw unknownInstanceError(name);
}

/** The stored config plus its secrets from the store it names. */
export async function withSecrets(config: InstanceConfig, io: Io): Promise<ResolvedInstance> {
  const store = await openStore(config.secretStore, io);
  const password = await store.get(config.name, 'password');
  if (password === null) {
    await throwIfRemovedMeanwhile(config.name, io);
    throw new OnboardError('SECRET_STORE', `The password of "${config.name}" is missing from ${store.location}.`, {
      fix: `Store it again: sspm-onboard pagerduty update ${config.name} --password-stdin`,
    });
  }
  let mfa = null;
  if (config.loginMethod !== 'credentials') {
    const stored = await store.get(config.name, 'mfa-secret');
    if (stored === null) {
      await throwIfRemovedMeanwhile(config.name, io);
      throw new OnboardError('SECRET_STORE', `The 2FA secret of "${config.name}" is missing from ${store.location}.`, {
        fix: `Store it again: sspm-onboard pagerduty update ${config.name} --mfa-secret-stdin`,
      });
    }
    mfa = parseMfaSecret(stored, '2FA secret');
  }
  return { name: config.name, subdomain: config.subdomain, region: config.region, loginMethod: config.loginMethod, user: config.user, password, okta: config.okta, mfa };
}
