// `pagerduty code [name]`: the current one-time code and how long it stays valid, for a stored instance or for a
// secret from stdin, a file, a QR screenshot or the environment. It is what an IdP's enrollment screen asks for
// ("enter the code from your app"). Every code shown is recorded in the code ledger, so a log-in test right after
// waits for a fresh one instead of typing a code the IdP has already accepted.
import { OnboardError } from '../core/errors.js';
import { formatCode } from '../core/code-display.js';
import { parseMfaSecret, describeMfaSecret } from '../core/mfa-secret.js';
import { describeQrSecret } from '../core/qr-secret.js';
import type { MfaSecret } from '../core/types.js';
import { ENV } from '../cli/inputs.js';
import { readSecretInputs } from '../cli/secret-inputs.js';
import { processIo, type Io } from '../cli/io.js';
import { fileCodeLedger, ledgerDir } from '../connect/code-ledger.js';
import { nextShownCode } from '../connect/shown-code.js';
import { openStore, requireInstance } from './stored.js';

export interface CodeFlags {
  mfaSecretStdin?: boolean;
  mfaSecretFile?: string;
  mfaSecretQr?: string;
  watch?: boolean;
  json?: boolean;
}

async function storedSecret(name: string, io: Io): Promise<MfaSecret> {
  const config = await requireInstance(name, io);
  if (config.loginMethod === 'credentials') {
    throw new OnboardError('INVALID_INPUT', `"${name}" signs in with PagerDuty credentials; it has no 2FA secret.`, {
      fix: `To add one, run: sspm-onboard pagerduty update ${name} --login-method okta|azure`,
    });
  }
  const store = await openStore(config.secretStore, io);
  const stored = await store.get(name, 'mfa-secret');
  if (stored === null) {
    throw new OnboardError('SECRET_STORE', `The 2FA secret of "${name}" is missing from ${store.location}.`, {
      fix: `Store it again: sspm-onboard pagerduty update ${name} --mfa-secret-stdin`,
    });
  }
  return parseMfaSecret(stored, '2FA secret');
}

async function givenSecret(flags: CodeFlags, io: Io): Promise<MfaSecret> {
  const secrets = await readSecretInputs(flags, io.env, io.stdin);
  if (secrets.mfaSecret === undefined) {
    throw new OnboardError('INVALID_INPUT', 'Missing the 2FA secret: give an instance name or a secret.', {
      fix: `Run \`sspm-onboard pagerduty code <name>\`, or pass --mfa-secret-stdin, --mfa-secret-file <path> or --mfa-secret-qr <image>, or set ${ENV.mfaSecret}.`,
    });
  }
  if (secrets.mfaQr) io.info(`2FA secret from the QR code: ${describeQrSecret(secrets.mfaQr)}.`);
  return parseMfaSecret(secrets.mfaSecret, '2FA secret');
}

export async function codeCommand(name: string | undefined, flags: CodeFlags): Promise<void> {
  const io = processIo();
  const fromFlags = flags.mfaSecretStdin || flags.mfaSecretFile !== undefined || flags.mfaSecretQr !== undefined;
  if (name !== undefined && fromFlags) {
    throw new OnboardError('INVALID_INPUT', 'Give either an instance name or a 2FA secret (--mfa-secret-stdin, --mfa-secret-file, --mfa-secret-qr), not both.');
  }
  if (flags.watch && flags.json) throw new OnboardError('INVALID_INPUT', '--watch and --json cannot be combined: --json prints one code and exits.');
  if (flags.watch && !(io.stdout.isTTY && io.stdin.isTTY)) {
    throw new OnboardError('INVALID_INPUT', '--watch refreshes the code on a terminal; stdout or stdin here is not one.', { fix: 'Run it in a terminal, or drop --watch to print one code.' });
  }
  const mfa = name !== undefined ? await storedSecret(name, io) : await givenSecret(flags, io);
  const codes = fileCodeLedger(ledgerDir(io.env));

  if (flags.json) {
    const shown = await nextShownCode(mfa, codes);
    io.out(JSON.stringify({ code: shown.code, expiresInSeconds: shown.expiresInSeconds, period: mfa.period, digits: mfa.digits }));
    return;
  }
  if (!flags.watch) {
    const shown = await nextShownCode(mfa, codes);
    io.out(`${formatCode(shown.code)}  (valid ${shown.expiresInSeconds} s more)`);
    return;
  }
  await watch(mfa, codes, io);
}

/** Rewrites one line each second until Ctrl-C; a new window's code is recorded as soon as it is shown. */
async function watch(mfa: MfaSecret, codes: ReturnType<typeof fileCodeLedger>, io: Io): Promise<void> {
  io.info(`${describeMfaSecret(mfa)}. Ctrl-C to stop.`);
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  try {
    let shown = await nextShownCode(mfa, codes, { minSecondsLeft: 0 });
    while (!stopped) {
      const left = Math.floor((shown.counter + 1) * mfa.period - Date.now() / 1000);
      if (left <= 0) {
        shown = await nextShownCode(mfa, codes, { minSecondsLeft: 0 });
        continue;
      }
      io.stdout.write(`\r\x1b[2K${formatCode(shown.code)}  (valid ${left} s more)`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 1000 - (Date.now() % 1000) + 5);
      });
    }
  } finally {
    process.off('SIGINT', stop);
    // The last code leaves the screen with the command.
    io.stdout.write('\r\x1b[2K');
  }
}
