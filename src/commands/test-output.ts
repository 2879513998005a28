// Progress and results of connection tests: a spinner per step on a terminal, plain lines otherwise,
// JSON on stdout when asked. Status goes to stderr so stdout carries only results.
import { chalkStderr } from 'chalk';
import type { Io } from '../cli/io.js';
import { describeSkew } from '../core/clock-skew.js';
import type { BrowserRun } from './shared.js';
import { STEP_LABEL, type ProgressReporter, type StepName, type TestResult, type TestTarget } from '../connect/types.js';

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

export async function runTestsWithOutput(
  targets: TestTarget[],
  run: BrowserRun,
  io: Io,
  opts: { json: boolean; quietJson?: boolean; concurrency?: number; perHost?: number; requireOwner?: boolean },
): Promise<TestResult[]> {
  const quiet = opts.json || opts.quietJson;
  const reporter = quiet ? undefined : io.stderr.isTTY && targets.length === 1 ? await spinnerReporter(io) : plainReporter(io, targets.length > 1);
  const { runConnectionTests } = await import('../connect/run-tests.js');
  return runConnectionTests(targets, {
    executable: run.executable,
    browserArgs: run.browserArgs,
    timeoutMs: run.timeoutMs,
    debugDir: run.debugDir,
    debugSaved: (target, folder) => io.info(`Debug files for ${target}: ${folder}`),
    concurrency: opts.concurrency,
    perHost: opts.perHost,
    requireOwner: opts.requireOwner,
    env: io.env,
    reporter,
  });
}

export function resultLine(result: TestResult): string {
  const seconds = (result.durationMs / 1000).toFixed(1);
  const skew = result.clockSkewMs ? `; this machine's clock is ${describeSkew(result.clockSkewMs)} the identity provider's` : '';
  if (result.ok) return `${result.name}: passed in ${seconds} s; Account Owner ${result.owner}${result.ownerDetail ? ` (${result.ownerDetail})` : ''}${skew}`;
  return `${result.name}: FAILED (${result.error!.code}) ${result.error!.message}${result.error!.fix ? ` ${result.error!.fix}` : ''}`;
}
