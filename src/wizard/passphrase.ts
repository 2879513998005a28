// The encrypted secret file's passphrase at a prompt. A new file's passphrase is chosen here, once, and nothing
// can recover it: it must be long enough and typed the same twice.
import type { Prompter } from './prompter.js';

export const MIN_NEW_PASSPHRASE_LENGTH = 12;

/** Why a new passphrase is refused (one line naming the rule), or true. Counted in characters, not bytes. */
export function checkNewPassphrase(value: string): true | string {
  const length = [...value].length;
  if (length < MIN_NEW_PASSPHRASE_LENGTH) {
    return `The passphrase must be at least ${MIN_NEW_PASSPHRASE_LENGTH} characters (this one has ${length}); type a longer one.`;
  }
  return true;
}

const CHOOSE = `New passphrase for the encrypted secret file (at least ${MIN_NEW_PASSPHRASE_LENGTH} characters; SSPM_ONBOARD_PASSPHRASE skips this)`;

/** Asks for a new passphrase and its confirmation until both match. */
export async function askNewPassphrase(prompter: Prompter): Promise<string> {
  for (;;) {
    const first = await prompter.password({ message: CHOOSE, validate: checkNewPassphrase });
    const again = await prompter.password({ message: 'The same passphrase again' });
    if (again === first) return first;
    prompter.note('The two passphrases differ; choose it again.');
  }
}

export async function askPassphrase(prompter: Prompter): Promise<string> {
  return prompter.password({ message: 'Passphrase of the encrypted secret file (SSPM_ONBOARD_PASSPHRASE skips this)' });
}
