// The one error type of the tool. Every failure a user can act on is an OnboardError with a code;
// the code alone decides the exit status and the JSON error (see exitCodeFor / toJsonError).

export const ERROR_CODES = {
  INVALID_INPUT: 2,
  LOGIN_REJECTED: 3,
  MFA_REJECTED: 4,
  NOT_OWNER: 5,
  NETWORK: 6,
  /** The service refused more log-ins for now (HTTP 429 or its "too many" page); like NETWORK, worth a retry later. */
  RATE_LIMITED: 6,
  UNRECOGNIZED_PAGE: 7,
  SECRET_STORE: 8,
  /** No Chromium-based browser on this machine: an install away, not a bug. */
  NO_BROWSER: 9,
  INTERRUPTED: 130,
  INTERNAL: 1,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class OnboardError extends Error {
  readonly code: ErrorCode;
  /** The command or action that fixes it, printed after the message ("To fix: ..."). */
  readonly fix?: string;
  /** RATE_LIMITED: the wait the service asked for, when it said one. */
  readonly retryAfterSeconds?: number;
  /** What the refusal means when the service said it in words the tables know (LOGIN_REJECTED: a locked account). */
  readonly reason?: RefusalReason;
  /** Fields of the command's JSON document already known when it failed (add: the instance and its test result),
   *  so that a failure still prints one document of the command's shape. */
  readonly json?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { fix?: string; cause?: unknown; retryAfterSeconds?: number; reason?: RefusalReason; json?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OnboardError';
    this.code = code;
    this.fix = options.fix;
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
    if (options.reason !== undefined) this.reason = options.reason;
    if (options.json) this.json = options.json;
  }
}

export function exitCodeFor(code: ErrorCode): number {
  return ERROR_CODES[code];
}

/** The CLI shell (CommonJS) and the commands (ES modules) each carry a copy of this module: recognise the
 *  other copy's errors by their shape, not by class identity. */
function isOnboardError(error: unknown): error is OnboardError {
  if (error instanceof OnboardError) return true;
  const candidate = error as { name?: unknown; code?: unknown } | null;
  return candidate !== null && typeof candidate === 'object' && candidate.name === 'OnboardError' && typeof candidate.code === 'string' && candidate.code in ERROR_CODES;
}

export function asOnboardError(error: unknown): OnboardError {
  if (isOnboardError(error)) return error;
  // @inquirer/prompts throws ExitPromptError on Ctrl-C / closed stdin.
  if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
    return new OnboardError('INTERRUPTED', 'Interrupted; nothing was saved.');
  }
  const message = error instanceof Error ? error.message : String(error);
  return new OnboardError('INTERNAL', `Unexpected error: ${message}`, {
    fix: 'Run again with --debug for details and report it if it persists.',
    cause: error,
  });
}

/** The `error` member of every JSON document: the same fields for every code (`fix` null when none). */
export interface JsonError {
  code: ErrorCode;
  message: string;
  fix: string | null;
  /** RATE_LIMITED only, when the service said how long to wait. */
  retryAfterSeconds?: number;
  /** When known: "account-locked" (LOGIN_REJECTED whose page said the account is locked; wait or have it unlocked). */
  reason?: RefusalReason;
}

export type RefusalReason = 'account-locked';

export function toJsonError(error: OnboardError): JsonError {
  return {
    code: error.code,
    message: error.message,
    fix: error.fix ?? null,
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    ...(error.reason !== undefined ? { reason: error.reason } : {}),
  };
}

/** The one JSON document a failed command prints: its known fields, `ok: false` and the error. */
export function toJsonDocument(error: OnboardError): Record<string, unknown> {
  return { ok: false, ...error.json, error: toJsonError(error) };
}

/** One line for stderr: the message, then the fix. An interrupt is the user's choice, not an error: no prefix. */
export function formatErrorLine(error: OnboardError): string {
  const text = error.fix ? `${error.message} ${error.fix}` : error.message;
  return error.code === 'INTERRUPTED' ? text : `Error: ${text}`;
}

export const EXIT_CODE_HELP = `Exit codes:
  0    ok
  1    unexpected error
  2    invalid input or usage
  3    log-in rejected (user or password)
  4    MFA rejected (check the 2FA secret)
  5    signed in, but not as the Account Owner
  6    network error or timeout; or rate limited by PagerDuty (RATE_LIMITED)
  7    unrecognized page (the sign-in flow met a page it does not know)
  8    secret store unavailable (keychain / encrypted file)
  9    no browser found (install one, or --browser / SSPM_ONBOARD_BROWSER)
  130  interrupted (Ctrl-C)`;
