// Saving an instance so that the keychain (or encrypted file) and config.json always agree.
//
// Order, all under the config lock (so a second run waits, then sees the outcome and refuses):
//   1. claim: the caller checks the name is still free (add) or unchanged since it was read (update);
//      a refusal here writes nothing at all;
//   2. secrets, one at a time, each remembered with what it replaced;
//   3. config.json, written atomically: the commit point.
// Any failure, or a signal (see src/cli/signals.ts), before the commit undoes step 2 in reverse order, still under
// the lock, so no other run ever sees secrets without their config entry.
import { OnboardError } from '../core/errors.js';
import type { InstanceConfig, SecretKind } from '../core/types.js';
import { withConfigLock } from './config-store.js';
import type { SecretStore } from './secret-store-types.js';

export interface SecretChange {
  secret: SecretKind;
  /** null deletes it. */
  value: string | null;
}

export interface SaveTransaction<T> {
  store: SecretStore;
  instance: string;
  changes: SecretChange[];
  /** Under the lock, before any secret is written: throw to refuse (nothing is changed). */
  claim(instances: Map<string, InstanceConfig>): void;
  /** Under the lock, after the secrets: the config change to publish. */
  apply(instances: Map<string, InstanceConfig>): T;
  /** Read what each secret held, to put it back on undo (update). Without it, undo deletes (add: the name was free). */
  restorePrevious: boolean;
  /** Polled between steps; true stops before the commit and undoes (a signal arrived). */
  interrupted?: () => boolean;
  /** The INTERRUPTED error's message when `interrupted` stopped the save. */
  interruptedMessage?: string;
  env?: NodeJS.ProcessEnv;
}

interface Done {
  secret: SecretKind;
  previous: string | null;
}

export async function saveTransaction<T>(tx: SaveTransaction<T>): Promise<T> {
  const { store, instance } = tx;
  return withConfigLock(async (config) => {
    tx.claim(config.instances);
    const done: Done[] = [];
    const stopIfInterrupted = (): void => {
      if (tx.interrupted?.()) throw new OnboardError('INTERRUPTED', tx.interruptedMessage ?? 'Interrupted; nothing was saved.');
    };
    try {
      stopIfInterrupted();
      for (const change of tx.changes) {
        const previous = tx.restorePrevious ? await store.get(instance, change.secret) : null;
        if (change.value === null && previous === null && tx.restorePrevious) continue;
        // Recorded before the write: a write that fails half-way (timeout) is undone too.
        done.push({ secret: change.secret, previous });
        if (change.value === null) await store.delete(instance, change.secret);
        else await store.set(instance, change.secret, change.value);
        stopIfInterrupted();
      }
      const result = tx.apply(config.instances);
      stopIfInterrupted();
      await config.commit();
      return result;
    } catch (error) {
      const left = await undo(store, instance, done);
      if (left.length === 0) throw error;
      const why = error instanceof Error ? error.message : String(error);
      throw new OnboardError(
        error instanceof OnboardError ? error.code : 'SECRET_STORE',
        `${why.replace(/\.$/, '')}; undoing the secrets written so far failed, so ${left.map((s) => `"${instance}/${s}"`).join(' and ')} may be left in ${store.location}.`,
        { fix: `Run: sspm-onboard pagerduty remove ${instance} --yes (it also removes secrets without a config entry), or see sspm-onboard doctor.`, cause: error },
      );
    }
  }, tx.env);
}

/** Puts back what each secret held, last first; returns the secrets that could not be put back. */
async function undo(store: SecretStore, instance: string, done: Done[]): Promise<SecretKind[]> {
  const left: SecretKind[] = [];
  for (const { secret, previous } of [...done].reverse()) {
    try {
      if (previous === null) await store.delete(instance, secret);
      else await store.set(instance, secret, previous);
    } catch {
      left.push(secret);
    }
  }
  return left;
}
