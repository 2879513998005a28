// Ctrl-C, SIGTERM and SIGHUP for the whole run of a command that saves (add, update, remove).
// Outside a save the run ends at once: exit 130 with one line (browsers and temp profiles go with the exit hooks).
// During a save (a `critical` section) the signal is only recorded: the save finishes or undoes itself, so the
// keychain and the config always agree, and then the run ends with exit 130 saying what was saved.
// A second signal during a save ends the run at once and says what may be left behind.
import { OnboardError, formatErrorLine, toJsonError } from '../core/errors.js';

const SIGNALS: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
export const INTERRUPTED_EXIT_CODE = 130;

interface Guard {
  json: boolean;
  /** The line printed when a signal arrives outside a save. */
  idleMessage: string;
  depth: number;
  pending: NodeJS.Signals | undefined;
  /** The run's result is out: a signal can no longer change or add anything (see exitGuardedRun). */
  settled: boolean;
  listener: (signal: NodeJS.Signals) => void;
}

// The CLI shell (CommonJS) installs the guard before it loads a command; the command (an ES module chunk with its
// own copy of this file) takes it over. One state per process, shared by both copies.
const STATE_KEY = Symbol.for('sspm-onboard.signal-guard');
const shared = globalThis as { [STATE_KEY]?: Guard };

function exitNow(message: string, json: boolean): never {
  const error = new OnboardError('INTERRUPTED', message);
  try {
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: toJsonError(error) })}\n`);
    process.stderr.write(`${formatErrorLine(error)}\n`);
  } catch {
    // a closed stream must not stop the exit
  }
  process.exit(INTERRUPTED_EXIT_CODE);
}

/** Installs the handlers for the rest of the run; calling again only updates the message and JSON mode. */
export function guardSignals(opts: { json: boolean; idleMessage: string }): void {
  const existing = shared[STATE_KEY];
  if (existing) {
    existing.json = opts.json;
    existing.idleMessage = opts.idleMessage;
    return;
  }
  const state: Guard = {
    ...opts,
    depth: 0,
    pending: undefined,
    settled: false,
    listener: (signal) => {
      if (state.settled) return;
      if (state.depth === 0) exitNow(state.idleMessage, state.json);
      if (state.pending) {
        exitNow('Interrupted twice during a save; it may be incomplete: `sspm-onboard doctor` finds anything left behind.', state.json);
      }
      state.pending = signal;
    },
  };
  shared[STATE_KEY] = state;
  // First in line: a browser session's own handler (registered later) never runs before this one.
  for (const signal of SIGNALS) process.prependListener(signal, state.listener);
}

/** Sets the line printed for a signal outside a save (e.g. once there is something to keep). */
export function setIdleMessage(message: string): void {
  const state = shared[STATE_KEY];
  if (state) state.idleMessage = message;
}

/** True once a signal arrived during the current save. */
export function interruptPending(): boolean {
  return shared[STATE_KEY]?.pending !== undefined;
}

/**
 * Runs fn with signals deferred. If one arrived meanwhile, the run ends afterwards with exit 130 and
 * `interruptedMessage(outcome)` (fn's result, or its error when it failed), unless fn already threw an
 * INTERRUPTED error of its own (after undoing its work).
 */
export async function critical<T>(fn: () => Promise<T>, interruptedMessage: (outcome: { result?: T; error?: unknown }) => string): Promise<T> {
  const state = shared[STATE_KEY];
  if (!state) return fn();
  state.depth += 1;
  let outcome: { result?: T; error?: unknown };
  try {
    outcome = { result: await fn() };
  } catch (error) {
    outcome = { error };
  } finally {
    state.depth -= 1;
  }
  if (state.pending !== undefined && state.depth === 0) {
    state.pending = undefined;
    if ((outcome.error as { name?: string; code?: string } | undefined)?.name === 'OnboardError' && (outcome.error as { code: string }).code === 'INTERRUPTED') {
      throw outcome.error;
    }
    throw new OnboardError('INTERRUPTED', interruptedMessage(outcome));
  }
  if ('error' in outcome) throw outcome.error;
  // From now on a signal outside a save comes after this one: the line must say what was saved.
  if (state.depth === 0) state.idleMessage = interruptedMessage(outcome);
  return outcome.result as T;
}

/**
 * Ends a guarded run explicitly once its output is flushed. Called when the command has returned (or its error was
 * printed): a signal's listener runs only between event-loop turns, so none can have run after the result's
 * synchronous lines, and from here on a signal is ignored rather than add a second line or JSON document.
 * Left to itself, Node's teardown stops its signal watchers before the process is gone, and a Ctrl-C in that moment
 * kills the run by the signal after it printed its success (a shell then sees 130 while everything was saved).
 * process.exit keeps the watchers to the end.
 */
export async function exitGuardedRun(): Promise<void> {
  const state = shared[STATE_KEY];
  if (!state) return;
  state.settled = true;
  await Promise.all(
    [process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => (stream.writableEnded || stream.destroyed ? resolve() : stream.write('', () => resolve())))),
  );
  process.exit(process.exitCode ?? 0);
}

/** For tests in this process. */
export function removeSignalGuard(): void {
  const state = shared[STATE_KEY];
  if (!state) return;
  for (const signal of SIGNALS) process.off(signal, state.listener);
  delete shared[STATE_KEY];
}
