// When the state we acted on is still on screen with nothing to judge: wait, act again (only states whose action
// works in place, like opening a menu, and only a bounded number of times), or stop as "nothing happened".
import { describe, expect, it } from 'vitest';
import { judgeStillThere, type StillThere, type StillThereVerdict } from '../../src/connect/in-place.js';

const MENU = { waitMs: 1_500, tries: 3 };
const NO_CHANGE_MS = 5_000;

describe('judgeStillThere', () => {
  it.each<[string, Omit<StillThere, 'noChangeMs'>, StillThereVerdict]>([
    ['a submission, still for under the limit: wait', { tries: 1, unchangedMs: 4_999 }, 'wait'],
    ['a submission, still for the whole limit: nothing happened', { tries: 1, unchangedMs: 5_000 }, 'nothing-happened'],
    ['a submission is never acted on again, however often it was', { tries: 0, unchangedMs: 60_000 }, 'nothing-happened'],
    ['a menu toggle, just clicked: wait for the menu', { inPlace: MENU, tries: 1, unchangedMs: 1_499 }, 'wait'],
    ['a menu toggle whose menu did not open: click again', { inPlace: MENU, tries: 1, unchangedMs: 1_500 }, 'act-again'],
    ['the second click did not open it either: a third', { inPlace: MENU, tries: 2, unchangedMs: 2_000 }, 'act-again'],
    ['the last try did not open it: nothing happened, never a verdict on the menu', { inPlace: MENU, tries: 3, unchangedMs: 1_500 }, 'nothing-happened'],
    ['a request in flight after the click (unchanged 0): wait, whatever the tries', { inPlace: MENU, tries: 3, unchangedMs: 0 }, 'wait'],
    ['an in-place wait longer than the no-change limit is cut to it', { inPlace: { waitMs: 9_000, tries: 2 }, tries: 1, unchangedMs: 5_000 }, 'act-again'],
  ])('%s', (_name, input, verdict) => {
    expect(judgeStillThere({ ...input, noChangeMs: NO_CHANGE_MS })).toBe(verdict);
  });
});
