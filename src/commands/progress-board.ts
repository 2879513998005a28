// Pure: the live progress display of `test` with several instances on a terminal: one line per instance, redrawn
// in place (see test-output.ts), instead of a line per step of every instance interleaved.
import { STEP_LABEL, type StepName } from '../connect/types.js';

export type InstanceProgress =
  | { state: 'waiting' }
  | { state: 'running'; step: StepName; startedAt: number; note?: string }
  | { state: 'passed'; ms: number }
  | { state: 'failed'; step: StepName; ms: number };

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function symbol(progress: InstanceProgress, frame: number): string {
  switch (progress.state) {
    case 'waiting':
      return '·';
    case 'running':
      return SPINNER[frame % SPINNER.length]!;
    case 'passed':
      return '✔';
    case 'failed':
      return '✖';
  }
}

function text(progress: InstanceProgress, now: number): string {
  switch (progress.state) {
    case 'waiting':
      return 'waiting';
    case 'running':
      return `${STEP_LABEL[progress.step]} (${Math.max(0, Math.floor((now - progress.startedAt) / 1000))} s)${progress.note ? `: ${progress.note}` : ''}`;
    case 'passed':
      return `passed in ${seconds(progress.ms)}`;
    case 'failed':
      return `FAILED at "${STEP_LABEL[progress.step]}" after ${seconds(progress.ms)}`;
  }
}

/** One line per instance, then a count; each cut to `width - 1` characters so the terminal never wraps it (a
 *  wrapped line would break the redraw). */
export function boardLines(rows: Array<{ name: string; progress: InstanceProgress }>, opts: { now: number; frame: number; width: number }): string[] {
  const nameWidth = Math.min(Math.max(...rows.map((r) => r.name.length)), 32);
  const limit = Math.max(20, opts.width - 1);
  const done = rows.filter((r) => r.progress.state === 'passed' || r.progress.state === 'failed').length;
  const lines = rows.map(({ name, progress }) => `${symbol(progress, opts.frame)} ${name.padEnd(nameWidth)}  ${text(progress, opts.now)}`);
  lines.push(`${done} of ${rows.length} done`);
  return lines.map((line) => ([...line].length > limit ? `${[...line].slice(0, limit - 1).join('')}…` : line));
}

/** Folds one reporter event into an instance's progress. A test ends failed on a step that did not end ok, and
 *  passed when its last step (the owner check) ends ok. */
export function nextProgress(
  current: InstanceProgress,
  event: { type: 'step-started'; step: StepName } | { type: 'step-ended'; step: StepName; ok: boolean } | { type: 'note'; text: string },
  now: number,
  startedAt: number,
): InstanceProgress {
  if (current.state === 'passed' || current.state === 'failed') return current;
  if (event.type === 'step-started') return { state: 'running', step: event.step, startedAt: now };
  if (event.type === 'note') return current.state === 'running' ? { ...current, note: event.text } : current;
  if (!event.ok) return { state: 'failed', step: event.step, ms: now - startedAt };
  if (event.step === 'owner-check') return { state: 'passed', ms: now - startedAt };
  return current;
}
