// The edges of the process: streams, environment and the decision whether we may prompt.
// Commands receive an Io so tests and the wizard never touch process.* directly.
import { OnboardError } from '../core/errors.js';

export interface Io {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** Status lines for humans: stderr, so stdout stays clean for results and JSON. */
  info(line: string): void;
  /** Results: stdout. */
  out(line: string): void;
}

export function processIo(): Io {
  return {
    // A getter: the first touch of process.stdin builds a stream (a few ms), which `list` never needs.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    info: (line) => process.stderr.write(`${line}\n`),
    out: (line) => process.stdout.write(`${line}\n`),
  };
}

export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** Prompts only when a person can answer them: both ends are terminals, not CI, and not --no-input. */
export function canPrompt(opts: { stdinIsTty: boolean; stdoutIsTty: boolean; env: NodeJS.ProcessEnv; noInput: boolean }): boolean {
  return opts.stdinIsTty && opts.stdoutIsTty && !isCi(opts.env) && !opts.noInput;
}

export function ioCanPrompt(io: Io, noInput: boolean): boolean {
  return canPrompt({ stdinIsTty: Boolean(io.stdin.isTTY), stdoutIsTty: Boolean(io.stdout.isTTY), env: io.env, noInput });
}

/** Passwords, 2FA secrets and otpauth URIs are short: a bound keeps a runaway pipe or a wrong file (a log,
 *  /dev/zero) from filling memory before anything is checked. */
export const MAX_SECRET_INPUT_BYTES = 64 * 1024;

function tooLarge(what: string, limit: number): OnboardError {
  return new OnboardError('INVALID_INPUT', `${what} is larger than ${limit / 1024} KiB, far more than a password or 2FA secret (nothing was read past that).`, {
    fix: 'Give only the secret itself.',
  });
}

/** UTF-8 text, refusing invalid bytes: decoding them would yield U+FFFD characters, and a password typed with
 *  those only counts toward a lock-out. */
export function decodeUtf8Strict(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new OnboardError('INVALID_INPUT', `${what} is not valid UTF-8 text (value not shown).`, {
      fix: 'Give the secret as UTF-8, exactly as typed in the sign-in form (check the terminal or file encoding).',
    });
  }
}

/** All of stdin as strict UTF-8, at most `limit` bytes. `what` names the source in errors ("--password-stdin"). */
export async function readAllStdin(stdin: NodeJS.ReadStream, what = 'stdin', limit = MAX_SECRET_INPUT_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += bytes.length;
    if (size > limit) throw tooLarge(`${what}: stdin`, limit);
    chunks.push(bytes);
  }
  return decodeUtf8Strict(Buffer.concat(chunks), `${what}: stdin`);
}

/** A small file as strict UTF-8, at most `limit` bytes (a FIFO or device is read only that far). */
export async function readSmallFile(file: string, what: string, limit = MAX_SECRET_INPUT_BYTES): Promise<string> {
  const { open } = await import('node:fs/promises');
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(limit + 1);
    let size = 0;
    while (size < buffer.length) {
      const { bytesRead } = await handle.read(buffer, size, buffer.length - size, null);
      if (bytesRead === 0) break;
      size += bytesRead;
    }
    if (size > limit) throw tooLarge(what, limit);
    return decodeUtf8Strict(buffer.subarray(0, size), what);
  } finally {
    await handle.close();
  }
}
