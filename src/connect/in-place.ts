// What to do when the state we just acted on is still on screen, in the same document, with nothing to judge
// (no error, no request in flight): wait, act on it again, or stop as "nothing happened".
//
// Most actions submit something, so a page that stays as it was for NO_CHANGE_MS means the click landed on
// something in the way. Some actions only change the page in place (a click that opens a menu): they send nothing
// and may miss when the page re-renders under the click (the Okta Classic widget's factor menu while its beacon
// animates). Those states say so in the table (`inPlace`), and are acted on again, a bounded number of times.

/** A table state whose action changes the page in place: how long to wait for the change, and how many tries. */
export interface InPlaceRetry {
  /** The page must have been still for this long (no request in flight or finished) before we act again. */
  waitMs: number;
  /** Actions in all, the first included. */
  tries: number;
}

export type StillThereVerdict = 'wait' | 'act-again' | 'nothing-happened';

export interface StillThere {
  /** The state's in-place retry, when the table gives one. */
  inPlace?: InPlaceRetry;
  /** How many times we have acted on this state in this run. */
  tries: number;
  /** How long the page has been still since we acted (0 while a request is in flight). */
  unchangedMs: number;
  /** The limit for states without an in-place retry. */
  noChangeMs: number;
}

export function judgeStillThere({ inPlace, tries, unchangedMs, noChangeMs }: StillThere): StillThereVerdict {
  const limit = inPlace ? Math.min(inPlace.waitMs, noChangeMs) : noChangeMs;
  if (unchangedMs < limit) return 'wait';
  return inPlace && tries < inPlace.tries ? 'act-again' : 'nothing-happened';
}
