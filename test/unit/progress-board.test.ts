// The live board of `test` with several instances on a terminal: one line per instance and what it shows.
import { describe, expect, it } from 'vitest';
import { boardLines, nextProgress, type InstanceProgress } from '../../src/commands/progress-board.js';

const NOW = 1_000_000;

describe('boardLines', () => {
  const rows: Array<{ name: string; progress: InstanceProgress }> = [
    { name: 'acme', progress: { state: 'passed', ms: 1432 } },
    { name: 'globex-eu', progress: { state: 'running', step: 'mfa', startedAt: NOW - 3_400, note: 'waiting 12 s for a fresh one-time code' } },
    { name: 'hooli', progress: { state: 'failed', step: 'idp', ms: 2080 } },
    { name: 'initech', progress: { state: 'waiting' } },
  ];

  it('one line per instance, then how many are done', () => {
    expect(boardLines(rows, { now: NOW, frame: 0, width: 120 })).toEqual([
      '✔ acme       passed in 1.4 s',
      '⠋ globex-eu  Enter the one-time code (3 s): waiting 12 s for a fresh one-time code',
      '✖ hooli      FAILED at "Sign in at the identity provider" after 2.1 s',
      '· initech    waiting',
      '2 of 4 done',
    ]);
  });

  it('the spinner turns with the frame', () => {
    expect(boardLines(rows, { now: NOW, frame: 1, width: 120 })[1]).toMatch(/^⠙ /);
    expect(boardLines(rows, { now: NOW, frame: 10, width: 120 })[1]).toMatch(/^⠋ /);
  });

  it.each([40, 60, 80])('no line reaches the width %i (a wrapped line would break the redraw)', (width) => {
    for (const line of boardLines(rows, { now: NOW, frame: 0, width })) expect([...line].length, line).toBeLessThan(width);
    expect(boardLines(rows, { now: NOW, frame: 0, width })[1]).toMatch(/…$/);
  });
});

describe('nextProgress', () => {
  const started = NOW - 5_000;
  it.each([
    [{ state: 'waiting' }, { type: 'step-started', step: 'open-sign-in' }, { state: 'running', step: 'open-sign-in', startedAt: NOW }],
    [{ state: 'running', step: 'idp', startedAt: NOW - 10 }, { type: 'note', text: 'slow' }, { state: 'running', step: 'idp', startedAt: NOW - 10, note: 'slow' }],
    [{ state: 'running', step: 'idp', startedAt: NOW - 10 }, { type: 'step-ended', step: 'idp', ok: true }, { state: 'running', step: 'idp', startedAt: NOW - 10 }],
    [{ state: 'running', step: 'idp', startedAt: NOW - 10 }, { type: 'step-ended', step: 'idp', ok: false }, { state: 'failed', step: 'idp', ms: 5_000 }],
    [{ state: 'running', step: 'owner-check', startedAt: NOW - 10 }, { type: 'step-ended', step: 'owner-check', ok: true }, { state: 'passed', ms: 5_000 }],
    [{ state: 'passed', ms: 10 }, { type: 'step-started', step: 'idp' }, { state: 'passed', ms: 10 }],
  ] as Array<[InstanceProgress, Parameters<typeof nextProgress>[1], InstanceProgress]>)('%j + %j', (current, event, expected) => {
    expect(nextProgress(current, event, NOW, started)).toEqual(expected);
  });
});
