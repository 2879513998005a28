// When the state we acted on is still on screen with nothing to judge: wait, act again (only states whose click a
// re-render may swallow, only when nothing was sent, a bounded number of times), or stop as "nothing happened".
import { describe, expect, it } from 'vitest';
import { judgeStillThere, type StillThere, type StillThereVerdict } from '../../src/connect/untaken-click.js';

const MENU = { waitMs: 1_500, tries: 3 };
const NO_CHANGE_MS = 5_000;

describe('judgeStillThere', () => {
  it.each<[string, Omit<StillThere, 'noChangeMs'>, StillThereVerdict]>([
    ['a submission, still for under the limit: wait', { tries: 1, sent: false, unchangedMs: 4_999 }, 'wait'],
    ['a submission, still for the whole limit: nothing happened', { tries: 1, sent: false, unchangedMs: 5_000 }, 'nothing-happened'],
    ['a state without a retry is never acted on again', { tries: 0, sent: false, unchangedMs: 60_000 }, 'nothing-happened'],
    ['a menu toggle, just clicked: wait for the menu', { retry: MENU, tries: 1, sent: false, unchangedMs: 1_499 }, 'wait'],
    ['a menu toggle whose menu did not open: click again', { retry: MENU, tries: 1, sent: false, unchangedMs: 1_500 }, 'act-again'],
    ['the second click did not open it either: a third', { retry: MENU, tries: 2, sent: false, unchangedMs: 2_000 }, 'act-again'],
    ['the last try did not open it: nothing happened, never a verdict on the menu', { retry: MENU, tries: 3, sent: false, unchangedMs: 1_500 }, 'nothing-happened'],
    ['a request in flight after the click (unchanged 0): wait, whatever the tries', { retry: MENU, tries: 3, sent: true, unchangedMs: 0 }, 'wait'],
    ['a click that sent something took: never repeated, the usual limit', { retry: MENU, tries: 1, sent: true, unchangedMs: 4_000 }, 'wait'],
    ['a click that sent something and then nothing changed: nothing happened', { retry: MENU, tries: 1, sent: true, unchangedMs: 5_000 }, 'nothing-happened'],
    ['a retry wait longer than the no-change limit is cut to it', { retry: { waitMs: 9_000, tries: 2 }, tries: 1, sent: false, unchangedMs: 5_000 }, 'act-again'],
  ])('%s', (_name, input, verdict) => {
    expect(judgeStillThere({ ...input, noChangeMs: NO_CHANGE_MS })).toBe(verdict);
  });
});
