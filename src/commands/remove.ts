// `pagerduty remove <name>`: the config entry and its secrets, or, when the entry is gone, the secrets it left
// behind (in the keychain or the encrypted file). Asks first unless --yes. Runs under the config lock, so it never
// interleaves with an add or update of the same name; a signal meanwhile lets it finish (exit 130 afterwards).
import { OnboardError } from '../core/errors.js';
import type { SecretKind } from '../core/types.js';
import { processIo, ioCanPrompt, type Io } from '../cli/io.js';
import { critical, guardSignals } from '../cli/signals.js';
import { openStore, unknownInstanceError } from './stored.js';

type Store = Awaited<ReturnType<typeof openStore>>;

/** The secrets a name has in each store when it has no config entry; stores that cannot be read count as empty. */
async function leftBehind(name: string, io: Io): Promise<Array<{ store: Store; secrets: SecretKind[] }>> {
  const { secretsOf } = await import('../store/orphans.js');
  const found: Array<{ store: Store; secrets: SecretKind[] }> = [];
  for (const kind of ['keychain', 'file'] as const) {
    try {
      const store = await openStore(kind, io);
      const secrets = secretsOf(await store.accounts(), name);
      if (secrets.length > 0) found.push({ store, secrets });
    } catch {
      // No keychain here, or no readable file: nothing of this name can be removed from it either.
    }
  }
  return found;
}

export async function removeCommand(name: string, flags: { yes?: boolean; json?: boolean; input?: boolean }): Promise<void> {
  const io = processIo();
  guardSignals({ json: Boolean(flags.json), idleMessage: 'Interrupted; nothing was removed.' });
  const { getInstance, withConfigLock } = await import('../store/config-store.js');
  const config = await getInstance(name, io.env);
  const orphans = config ? [] : await leftBehind(name, io);
  if (!config && orphans.length === 0) throw unknownInstanceError(name);
  const what = config
    ? `"${name}" and its stored secrets`
    : `the secrets "${name}" left behind (it has no config entry) from ${orphans.map((o) => o.store.location).join(' and ')}`;
  if (!flags.yes) {
    if (!ioCanPrompt(io, flags.input === false)) {
      throw new OnboardError('INVALID_INPUT', `Removing ${what} needs a confirmation.`, { fix: `Add --yes: sspm-onboard pagerduty remove ${name} --yes` });
    }
    const { confirm } = await import('@inquirer/prompts');
    if (!(await confirm({ message: `Remove ${what}?`, default: false }, { output: flags.json ? io.stderr : io.stdout }))) {
      io.info('Nothing removed.');
      if (flags.json) io.out(JSON.stringify({ ok: true, removed: null, declined: true }));
      return;
    }
  }

  const removedFrom = await critical(
    () =>
      withConfigLock(async (tx) => {
        const entry = tx.instances.get(name);
        if (!config) {
          if (entry) {
            throw new OnboardError('INVALID_INPUT', `"${name}" was added by another run meanwhile; nothing was removed.`, {
              fix: `To remove it, run again: sspm-onboard pagerduty remove ${name}`,
            });
          }
          for (const { store, secrets } of orphans) for (const secret of secrets) await store.delete(name, secret);
          return orphans.map((o) => o.store.location);
        }
        if (!entry) throw unknownInstanceError(name);
        const store = await openStore(entry.secretStore, io);
        // The entry first, then its secrets, both under the lock: a reader (test, update) never finds an entry
        // whose secrets are half gone. Should deleting a secret fail, `remove <name>` finds it again by name.
        tx.instances.delete(name);
        await tx.commit();
        try {
          await store.delete(name, 'password');
          await store.delete(name, 'mfa-secret');
        } catch (error) {
          const why = error instanceof Error ? error.message.replace(/\.$/, '') : String(error);
          throw new OnboardError('SECRET_STORE', `Removed the config entry of "${name}", but not all of its secrets: ${why}.`, {
            fix: `When the store answers again, run: sspm-onboard pagerduty remove ${name} --yes`,
            cause: error,
          });
        }
        return [store.location];
      }, io.env),
    ({ error }) =>
      error ? `Interrupted, and the removal failed: ${error instanceof Error ? error.message : String(error)}` : `Interrupted after removing "${name}".`,
  );
  if (flags.json) io.out(JSON.stringify({ ok: true, removed: name }));
  else if (config) io.out(`Removed "${name}": its config entry and its secrets in ${removedFrom.join(' and ')}.`);
  else io.out(`Removed the secrets "${name}" left behind in ${removedFrom.join(' and ')}; it had no config entry.`);
}
