// Reads secrets from where scripts put them: stdin, a file, or the environment. Never from argv.
import { OnboardError } from '../core/errors.js';
import { ENV, type SecretInputs } from './inputs.js';
import { readAllStdin, readSmallFile } from './io.js';

export interface SecretFlags {
  passwordStdin?: boolean;
  mfaSecretStdin?: boolean;
  mfaSecretFile?: string;
  mfaSecretQr?: string;
}

/** Strips the one newline `echo` or a heredoc adds; the rest of the value is kept as typed. */
export function trimOneTrailingNewline(value: string): string {
  return value.replace(/\r?\n$/, '');
}

export function checkSecretFlags(flags: SecretFlags): void {
  if (flags.passwordStdin && flags.mfaSecretStdin) {
    throw new OnboardError('INVALID_INPUT', '--password-stdin and --mfa-secret-stdin both want stdin; only one secret can come from it.', {
      fix: `Give the 2FA secret with --mfa-secret-file <path> or ${ENV.mfaSecret}.`,
    });
  }
  const mfaSources = [flags.mfaSecretStdin && '--mfa-secret-stdin', flags.mfaSecretFile !== undefined && '--mfa-secret-file', flags.mfaSecretQr !== undefined && '--mfa-secret-qr'].filter(Boolean);
  if (mfaSources.length > 1) {
    throw new OnboardError('INVALID_INPUT', `${mfaSources.join(' and ')} ${mfaSources.length === 2 ? 'both' : 'all'} give the 2FA secret; use one of them.`);
  }
}

export async function readSecretInputs(flags: SecretFlags, env: NodeJS.ProcessEnv, stdin: NodeJS.ReadStream): Promise<SecretInputs> {
  checkSecretFlags(flags);
  const secrets: SecretInputs = {};
  if (flags.passwordStdin) {
    secrets.password = trimOneTrailingNewline(await readAllStdin(stdin, '--password-stdin'));
    if (secrets.password === '') throw new OnboardError('INVALID_INPUT', '--password-stdin read an empty password from stdin.', { fix: "Pipe it in, e.g. printf %s \"$PASSWORD\" | sspm-onboard pagerduty add --password-stdin ..." });
  } else if (env[ENV.password]) {
    secrets.password = env[ENV.password];
  }
  if (flags.mfaSecretStdin) {
    secrets.mfaSecret = trimOneTrailingNewline(await readAllStdin(stdin, '--mfa-secret-stdin')).trim();
    if (secrets.mfaSecret === '') throw new OnboardError('INVALID_INPUT', '--mfa-secret-stdin read an empty 2FA secret from stdin.');
  } else if (flags.mfaSecretFile !== undefined) {
    try {
      secrets.mfaSecret = (await readSmallFile(flags.mfaSecretFile, `--mfa-secret-file "${flags.mfaSecretFile}"`)).trim();
    } catch (error) {
      if (error instanceof OnboardError) throw error;
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read it';
      throw new OnboardError('INVALID_INPUT', `--mfa-secret-file "${flags.mfaSecretFile}": ${reason}.`, { fix: 'Point it at a file that holds only the base32 secret or the otpauth:// URI.' });
    }
    if (secrets.mfaSecret === '') throw new OnboardError('INVALID_INPUT', `--mfa-secret-file "${flags.mfaSecretFile}" is empty.`);
  } else if (flags.mfaSecretQr !== undefined) {
    // Loaded only when used: the QR decoder is a WebAssembly module.
    const { readQrSecret } = await import('./qr-image.js');
    const qr = await readQrSecret(flags.mfaSecretQr);
    secrets.mfaSecret = qr.uri;
    secrets.mfaQr = qr;
  } else if (env[ENV.mfaSecret]) {
    secrets.mfaSecret = env[ENV.mfaSecret];
  }
  return secrets;
}
