// File plumbing shared by the config store and the encrypted secret file:
// private folder and file modes, a cross-process lock, and atomic (rename-published, fsynced) writes.
import { promises as fs, chmodSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { OnboardError } from '../core/errors.js';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/**
 * Creates the folder 0700 when it is missing. A folder the user made keeps its mode (their choice; the files
 * in it are 0600), but one owned by another user is never used: they could read, swap or delete our files.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  let stat;
  try {
    const created = await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
    stat = await fs.stat(dir);
    if (created !== undefined && (stat.mode & 0o777) !== DIR_MODE) await fs.chmod(dir, DIR_MODE);
  } catch (error) {
    throw new OnboardError('INTERNAL', `Cannot create or secure the folder ${dir}: ${(error as Error).message}.`, {
      fix: 'Check its permissions, or point SSPM_ONBOARD_CONFIG_DIR at a folder you own.',
      cause: error,
    });
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new OnboardError('SECRET_STORE', `The folder ${dir} belongs to another user (uid ${stat.uid}); sspm-onboard does not keep anything there.`, {
      fix: 'Point SSPM_ONBOARD_CONFIG_DIR at a folder you own (or have it handed over: chown).',
    });
  }
}

/**
 * Refuses to write through a symbolic link whose target is in another folder (the write would land there);
 * a link within the same folder is followed as before.
 */
export async function refuseForeignSymlink(file: string): Promise<void> {
  const stat = await fs.lstat(file).catch(() => null);
  if (!stat?.isSymbolicLink()) return;
  const target = await fs.realpath(file).catch(() => undefined);
  const folder = await fs.realpath(path.dirname(file));
  if (target !== undefined && path.dirname(target) === folder) return;
  throw new OnboardError('SECRET_STORE', `${file} is a symbolic link to ${target ?? 'a missing file'}, outside its folder; sspm-onboard does not write through it.`, {
    fix: `Replace the link with a copy of the file (cp --remove-destination "$(readlink -f ${file})" ${file}), or point SSPM_ONBOARD_CONFIG_DIR at the folder it is in.`,
  });
}

/** An existing file with group/other bits gets 0600; best effort (the file may belong to someone else). Never through a link. */
export function tightenFileMode(file: string): void {
  try {
    const stat = lstatSync(file);
    if (!stat.isSymbolicLink() && (stat.mode & 0o777) !== FILE_MODE) chmodSync(file, FILE_MODE);
  } catch {
    // Reading still works; the next write sets the mode.
  }
}

export async function writePrivateFile(file: string, data: string): Promise<void> {
  // Loaded on first write only: read-only commands such as `list` never need it.
  const { default: writeFileAtomic } = await import('write-file-atomic');
  await refuseForeignSymlink(file);
  try {
    await writeFileAtomic(file, data, { mode: FILE_MODE, fsync: true, encoding: 'utf8' });
  } catch (error) {
    throw new OnboardError('INTERNAL', `Cannot write ${file}: ${(error as Error).message}; the previous file is unchanged.`, {
      fix: 'Check free space and the permissions of its folder, then try again.',
      cause: error,
    });
  }
}

// A crashed holder's lock is taken over after STALE_MS; retries wait long enough to outlast that, and a live
// holder saving to a slow keychain (the config lock covers the secret writes, each bounded at 15 s): about 75 s.
const STALE_MS = 5_000;
const LOCK_RETRIES = { retries: 300, factor: 1.2, minTimeout: 15, maxTimeout: 250, randomize: true };

/**
 * Runs fn while holding `${file}.lock` (a directory, created atomically by proper-lockfile).
 * fn gets a check to call right before publishing: it throws if the lock was lost meanwhile
 * (e.g. the process stalled past the stale time and another process took over).
 */
export async function withFileLock<T>(file: string, fn: (assertLockHeld: () => void) => Promise<T>): Promise<T> {
  const { default: lockfile } = await import('proper-lockfile');
  const lockPath = `${file}.lock`;
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, {
      realpath: false,
      lockfilePath: lockPath,
      stale: STALE_MS,
      update: STALE_MS / 5,
      retries: LOCK_RETRIES,
      onCompromised: (error) => {
        compromised = error;
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new OnboardError('INTERNAL', `Another sspm-onboard process is updating ${file}; gave up waiting for its lock.`, {
        fix: `Try again; if no other sspm-onboard is running, remove ${lockPath}.`,
        cause: error,
      });
    }
    throw new OnboardError('INTERNAL', `Cannot lock ${file}: ${(error as Error).message}.`, {
      fix: 'Check the permissions of its folder, then try again.',
      cause: error,
    });
  }
  const assertLockHeld = (): void => {
    if (compromised) {
      throw new OnboardError('INTERNAL', `Lost the lock on ${file} (${compromised.message}); nothing was written.`, {
        fix: 'Try again.',
        cause: compromised,
      });
    }
  };
  try {
    return await fn(assertLockHeld);
  } finally {
    await release().catch(() => {
      // Already released or taken over as stale: nothing left to undo.
    });
  }
}

/**
 * JSON text of one of our versioned files. Invalid JSON and a version newer than `maxVersion` are refused
 * (the file is never rewritten then); the shape is for the caller to check.
 */
export function parseVersionedJson(
  text: string,
  maxVersion: number,
  refuse: { invalid: (cause: unknown) => OnboardError; newer: (version: number) => OnboardError },
): unknown {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw refuse.invalid(error);
  }
  const version = typeof raw === 'object' && raw !== null ? (raw as { version?: unknown }).version : undefined;
  if (typeof version === 'number' && version > maxVersion) throw refuse.newer(version);
  return raw;
}
