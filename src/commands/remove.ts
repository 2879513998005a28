// `pagerduty remove <name>`: the config entry and its secrets. Asks first unless --yes.
import { OnboardError } from '../core/errors.js';
import { processIo, ioCanPrompt } from '../cli/io.js';
import { openStore, requireInstance, unknownInstanceError } from './stored.js';

export async function removeCommand(name: string, flags: { yes?: boolean; json?: boolean; input?: boolean }): Promise<void> {
  const io = processIo();
  const config = await requireInstance(name, io);
  if (!flags.yes) {
    if (!ioCanPrompt(io, flags.input === false)) {
      throw new OnboardError('INVALID_INPUT', `Removing "${name}" needs a confirmation.`, { fix: `Add --yes: sspm-onboard pagerduty remove ${name} --yes` });
    }
    const { confirm } = await import('@inquirer/prompts');
    if (!(await confirm({ message: `Remove "${name}" and its stored secrets?`, default: false }, { output: flags.json ? io.stderr : io.stdout }))) {
      io.info('Nothing removed.');
      if (flags.json) io.out(JSON.stringify({ ok: true, removed: null, declined: true }));
      return;
    }
  }
  const store = await openStore(config.secretStore, io);
  // Secrets first: a config entry without secrets can be re-added; secrets without an entry would be orphans.
  await store.delete(name, 'password');
  await store.delete(name, 'mfa-secret');
  const { updateConfig } = await import('../store/config-store.js');
  await updateConfig((instances) => {
    if (!instances.delete(name)) throw unknownInstanceError(name);
  }, io.env);
  if (flags.json) io.out(JSON.stringify({ ok: true, removed: name }));
  else io.out(`Removed "${name}": its config entry and its secrets in ${store.location}.`);
}
