// The contract every secret back end meets, and how a secret is named inside one. Its own module so that the
// back ends (file-store.ts, keychain) and the chooser (secret-store.ts) import this, never each other.
import type { SecretKind, SecretStoreKind } from '../core/types.js';

export interface SecretStore {
  readonly kind: SecretStoreKind;
  /** Human text: "OS keychain (Secret Service), service sspm-onboard", or the encrypted file's path. */
  readonly location: string;
  set(instance: string, secret: SecretKind, value: string): Promise<void>;
  /** null when there is no such secret. */
  get(instance: string, secret: SecretKind): Promise<string | null>;
  /** No error when there is no such secret. */
  delete(instance: string, secret: SecretKind): Promise<void>;
  /** The names (accounts) of every entry this store holds for sspm-onboard; no secret is read. */
  accounts(): Promise<string[]>;
  /** The encrypted file: a passphrase is at hand and opens the file (run before any sign-in). */
  checkPassphrase?(): Promise<void>;
}

export interface SecretStoreOptions {
  env?: NodeJS.ProcessEnv;
  /** Asked only when the encrypted file needs it and SSPM_ONBOARD_PASSPHRASE is unset; `creating`: a new file. */
  passphrase?: (use: { creating: boolean }) => Promise<string>;
  /** Bound on every keychain call (default 5000 ms). */
  timeoutMs?: number;
}

export const SECRET_KINDS: readonly SecretKind[] = ['password', 'mfa-secret'];

/** The keychain account (and encrypted-file entry name) of one secret; the service is always "sspm-onboard". */
export function secretAccount(instance: string, secret: SecretKind): string {
  return `${instance}/${secret}`;
}

/** The instance and secret an account names, or null for anything else (e.g. a keychain probe's ".check/..."). */
export function parseSecretAccount(account: string): { instance: string; secret: SecretKind } | null {
  const slash = account.lastIndexOf('/');
  if (slash <= 0) return null;
  const secret = account.slice(slash + 1);
  if (!(SECRET_KINDS as readonly string[]).includes(secret)) return null;
  return { instance: account.slice(0, slash), secret: secret as SecretKind };
}

/** The keychain probe's throw-away entries: `.check/<pid>-<time>-<random>`. */
export const PROBE_PREFIX = '.check/';

/** The pid that wrote a probe entry, or null when the account is not a probe's. */
export function probeOwnerPid(account: string): number | null {
  const match = /^\.check\/(\d+)-/.exec(account);
  return match ? Number(match[1]) : null;
}
