// The signal guard's line must say what a run has already saved: a Ctrl-C that arrives after a save finished
// (while the run prints its result and exits) once said "left unchanged" about an instance whose new secrets
// were in place. Each case runs in a child process, since the guard ends its process.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SIGNALS_MODULE = path.resolve(import.meta.dirname, '../../src/cli/signals.ts');

function runGuarded(body: string, after = "await new Promise((resolve) => setTimeout(resolve, 5000)); process.stderr.write('still running\\n');"): { status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const script = `
    const { guardSignals, critical, exitGuardedRun } = await import(${JSON.stringify(SIGNALS_MODULE)});
    guardSignals({ json: false, idleMessage: 'Interrupted; "acme" was left unchanged.' });
    ${body}
    process.kill(process.pid, 'SIGINT');
    ${after}
  `;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

describe('signal guard', () => {
  it('before any save: the idle line', () => {
    const { status, stderr } = runGuarded('');
    expect(status).toBe(130);
    expect(stderr.trim()).toBe('Interrupted; "acme" was left unchanged.');
  });

  it('after a save finished: the line says what was saved', () => {
    const { status, stderr } = runGuarded(
      `await critical(async () => 'saved', ({ error }) => (error ? 'Interrupted; "acme" was left unchanged.' : 'Interrupted after saving "acme".'));`,
    );
    expect(status).toBe(130);
    expect(stderr.trim()).toBe('Interrupted after saving "acme".');
  });

  it('after a save failed: the idle line stays', () => {
    const { status, stderr } = runGuarded(
      `await critical(async () => { throw new Error('store down'); }, () => 'Interrupted after saving "acme".').catch(() => undefined);`,
    );
    expect(status).toBe(130);
    expect(stderr.trim()).toBe('Interrupted; "acme" was left unchanged.');
  });

  it('once the result is out: a late signal adds no line, and the run ends with its own exit code', () => {
    // The signal arrives as the command prints its result and returns; its listener runs only after exitGuardedRun
    // has begun, which ends the run without Node's teardown (where a Ctrl-C would kill it after it printed success).
    // The flush is made slow, as on a pipe where stdout is asynchronous (macOS): the listener runs during it.
    const slowFlush = "const write = process.stdout.write.bind(process.stdout); process.stdout.write = (chunk, done) => write(chunk, () => setTimeout(done, 200));";
    const { status, signal, stdout, stderr } = runGuarded(
      `await critical(async () => 'saved', () => 'Interrupted after saving "acme".'); process.stdout.write('{"ok":true}\\n');`,
      `${slowFlush} await exitGuardedRun();`,
    );
    expect({ status, signal }).toEqual({ status: 0, signal: null });
    expect(stdout).toBe('{"ok":true}\n');
    expect(stderr).toBe('');
  });
});
