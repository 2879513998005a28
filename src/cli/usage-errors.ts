// Pure: turns commander's usage errors into our one error type, so they print in our style (one line,
// "Error: ... <fix>", JSON with --json) and never echo a secret someone put on the command line.
import { OnboardError } from '../core/errors.js';

export interface UsageContext {
  /** The user's arguments (process.argv without node and the script). */
  args: string[];
  /** The command that rejected them, e.g. "sspm-onboard pagerduty add". */
  commandPath: string;
  /** The subcommands of `pagerduty`, for "did you mean". */
  pagerdutyCommands: string[];
}

const SECRET_FLAGS: Record<string, { what: string; fix: (commandPath: string) => string }> = {
  '--password': {
    what: 'the password',
    fix: (commandPath) => `Pipe it in (printf %s "$PASSWORD" | ${commandPath} --password-stdin ...) or set SSPM_PAGERDUTY_PASSWORD.`,
  },
  '--mfa-secret': { what: 'the 2FA secret', fix: () => 'Use --mfa-secret-stdin, --mfa-secret-file <path> or SSPM_PAGERDUTY_MFA_SECRET.' },
  '--passphrase': { what: 'the passphrase', fix: () => 'Set SSPM_ONBOARD_PASSPHRASE, or answer the prompt in a terminal.' },
};

/** Edit distance, small inputs only (command names). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

export function closestCommand(word: string, commands: string[]): string | undefined {
  const lower = word.toLowerCase();
  const ranked = commands
    .map((command) => ({ command, score: command.startsWith(lower) ? 0 : distance(lower, command) }))
    .filter(({ score }) => score <= 2)
    .sort((a, b) => a.score - b.score);
  return ranked[0]?.command;
}

/** A secret given as a flag value (`--password x`, `--password=x`): its own error that never repeats the value. */
function secretOnCommandLine(args: string[], commanderCode: string, commandPath: string): OnboardError | undefined {
  for (const arg of args) {
    if (arg === '--') break;
    const [flag, ...value] = arg.split('=');
    const secret = SECRET_FLAGS[flag!];
    if (!secret) continue;
    // `update <name> --password` (a yes/no flag) is fine; a value after it, or a flag add does not know, is not.
    const valueGiven = value.length > 0 || commanderCode === 'commander.excessArguments' || commanderCode === 'commander.unknownOption';
    if (valueGiven) {
      return new OnboardError('INVALID_INPUT', `No flag takes ${secret.what} as its value: it would be visible in the process list and the shell history.`, {
        fix: secret.fix(commandPath),
      });
    }
  }
  return undefined;
}

/** The first word after `pagerduty` when it is not one of its commands (`pagerduty lst`). */
function unknownPagerdutyCommand(args: string[], commands: string[]): string | undefined {
  const at = args.indexOf('pagerduty');
  const word = at === -1 ? undefined : args[at + 1];
  if (word === undefined || word.startsWith('-') || commands.includes(word)) return undefined;
  return word;
}

/**
 * Commander's text without its "error: " prefix, on one line (its hints come on lines of their own), ending
 * with a full stop; no `=value` echoed; control characters in a quoted argument (an escape sequence) escaped.
 */
function cleanMessage(message: string): string {
  const text = message
    .replace(/^error:\s*/i, '')
    .replace(/'(--[^'=\s]+)=[^']*'/g, "'$1=…'")
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.?!)]$/.test(sentence) ? sentence : `${sentence}.`;
}

export function usageError(commanderCode: string, commanderMessage: string, context: UsageContext): OnboardError {
  const secret = secretOnCommandLine(context.args, commanderCode, context.commandPath);
  if (secret) return secret;
  if (commanderCode === 'commander.excessArguments') {
    const word = unknownPagerdutyCommand(context.args, context.pagerdutyCommands);
    if (word !== undefined) {
      const guess = closestCommand(word, context.pagerdutyCommands);
      return new OnboardError('INVALID_INPUT', `Unknown command "${word}" for sspm-onboard pagerduty.`, {
        fix: `${guess ? `Did you mean: sspm-onboard pagerduty ${guess}? ` : ''}Commands: ${context.pagerdutyCommands.join(', ')}.`,
      });
    }
  }
  return new OnboardError('INVALID_INPUT', cleanMessage(commanderMessage), { fix: `See: ${context.commandPath} --help` });
}
