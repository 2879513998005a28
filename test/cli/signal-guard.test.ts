// The signal guard's line must say what a run has already saved: a Ctrl-C that arrives after a save finished
// (while the run prints its result and exits) once said "left unchanged" about an instance whose new secrets
// were in place. Each case runs in a child process, since the guard ends its process.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SIGNALS_MODULE = path.resolve(import.meta.dirname, '../../src/cli/signals.ts');

function runGuarded(body: string): { status: number | null; stderr: string } {
  const script = `
    const { guardSignals, critical } = await import(${JSON.stringify(SIGNALS_MODULE)});
    guardSignals({ json: false, idleMessage: 'Interrupted; "acme" was left unchanged.' });
    ${body}
    process.kill(process.pid, 'SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 5000));
    process.stderr.write('still running\\n');
  `;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stderr: result.stderr };
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
});
