// Progress and results of connection tests: a spinner per step on a terminal, plain lines otherwise,
// JSON on stdout when asked. Status goes to stderr so stdout carries only results.
import { chalkStderr } from 'chalk';
import type { Io } from '../cli/io.js';
import { describeSkew } from '../core/clock-skew.js';
import type { BrowserRun } from './shared.js';
import { STEP_LABEL, type ProgressReporter, type StepName, type TestResult, type TestTarget } from '../connect/types.js';
import type { InstanceProgress } from './progress-board.js';

function plainReporter(io: Io, prefixNames: boolean): ProgressReporter {
  return {
    stepStarted: () => {},
    // Colour only where stderr supports it; chalk honours NO_COLOR and FORCE_COLOR.
    stepEnded: (target, step, ok, ms) =>
      io.info(`${prefixNames ? `${target}: ` : ''}${ok ? chalkStderr.green('ok  ') : chalkStderr.red('FAIL')} ${STEP_LABEL[step]} (${ms} ms)`),
    note: (target, text) => io.info(`${prefixNames ? `${target}: ` : ''}     ${text}`),
  };
}

async function spinnerReporter(io: Io): Promise<ProgressReporter> {
  const { default: ora } = await import('ora');
  let spinner: ReturnType<typeof ora> | null = null;
  return {
    stepStarted: (_target, step: StepName) => {
      spinner = ora({ text: STEP_LABEL[step], stream: io.stderr }).start();
    },
    note: (_target, text) => {
      if (spinner) spinner.text = `${spinner.text.split(' (')[0]} (${text})`;
    },
    stepEnded: (_target, step, ok, ms) => {
      const text = `${STEP_LABEL[step]} (${ms} ms)`;
      if (ok) spinner?.succeed(text);
      else spinner?.fail(text);
      spinner = null;
    },
  };
}

/** Redraw rate of the live board: enough for a spinner and a seconds counter, little work for the CPU. */
const BOARD_REDRAW_MS = 125;

/** Several instances on a terminal: one line each, redrawn in place (log-update erases what it drew before). The
 *  board is cleared when the run ends; the result lines follow. */
async function boardReporter(io: Io, names: string[]): Promise<ProgressReporter & { print(line: string): void; stop(): void }> {
  const { createLogUpdate } = await import('log-update');
  const { boardLines, nextProgress } = await import('./progress-board.js');
  // The cursor stays visible: a run ended by a signal must not leave the terminal without one.
  const draw = createLogUpdate(io.stderr, { showCursor: true });
  const rows = names.map((name) => ({ name, progress: { state: 'waiting' } as InstanceProgress, startedAt: 0 }));
  const byName = new Map(rows.map((row) => [row.name, row]));
  let frame = 0;
  let stopped = false;
  const render = () => stopped || draw(boardLines(rows, { now: Date.now(), frame, width: io.stderr.columns || 80 }).join('\n'));
  const apply = (target: string, event: Parameters<typeof nextProgress>[1]) => {
    const row = byName.get(target);
    if (!row) return;
    const now = Date.now();
    if (row.startedAt === 0) row.startedAt = now;
    row.progress = nextProgress(row.progress, event, now, row.startedAt);
    render();
  };
  const timer = setInterval(() => {
    frame += 1;
    render();
  }, BOARD_REDRAW_MS);
  timer.unref();
  render();
  return {
    stepStarted: (target, step) => apply(target, { type: 'step-started', step }),
    stepEnded: (target, step, ok) => apply(target, { type: 'step-ended', step, ok }),
    note: (target, text) => apply(target, { type: 'note', text }),
    // A line for the scroll-back (say, where debug files went): above the board, which is drawn again below it.
    print: (line) => {
      draw.clear();
      io.info(line);
      render();
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      draw.clear();
    },
  };
}

export async function runTestsWithOutput(
  targets: TestTarget[],
  run: BrowserRun,
  io: Io,
  opts: { json: boolean; quietJson?: boolean; concurrency?: number; perHost?: number; requireOwner?: boolean },
): Promise<TestResult[]> {
  const quiet = opts.json || opts.quietJson;
  const board = !quiet && io.stderr.isTTY && targets.length > 1 ? await boardReporter(io, targets.map((t) => t.name)) : undefined;
  const reporter = quiet ? undefined : board ?? (io.stderr.isTTY ? await spinnerReporter(io) : plainReporter(io, targets.length > 1));
  const { runConnectionTests } = await import('../connect/run-tests.js');
  let debugWritten = false;
  try {
    const results = await runConnectionTests(targets, {
    executable: run.executable,
    browserArgs: run.browserArgs,
    timeoutMs: run.timeoutMs,
    debugDir: run.debugDir,
      debugSaved: (target, folder) => {
        debugWritten = true;
        (board ? board.print : io.info)(`Debug files for ${target}: ${folder}`);
      },
      concurrency: opts.concurrency,
      perHost: opts.perHost,
      requireOwner: opts.requireOwner,
      env: io.env,
      reporter,
    });
    // Asked for debug files and got none: say why, rather than leave the user looking for them.
    if (run.debugDir && !debugWritten) io.info(`--debug-dir: nothing written to ${run.debugDir} (files are written only when a log-in test fails).`);
    return results;
  } finally {
    board?.stop();
  }
}

export function resultLine(result: TestResult): string {
  const seconds = (result.durationMs / 1000).toFixed(1);
  const skew = result.clockSkewMs ? `; this machine's clock is ${describeSkew(result.clockSkewMs)} the identity provider's` : '';
  if (result.ok) return `${result.name}: passed in ${seconds} s; Account Owner ${result.owner}${result.ownerDetail ? ` (${result.ownerDetail})` : ''}${skew}`;
  return `${result.name}: FAILED (${result.error!.code}) ${result.error!.message}${result.error!.fix ? ` ${result.error!.fix}` : ''}`;
}
