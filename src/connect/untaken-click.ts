// What to do when the state we just acted on is still on screen, in the same document, with nothing to judge
// (no error, no request in flight): wait, act on it again, or stop as "nothing happened".
//
// A page that stays as it was for NO_CHANGE_MS after a submission means the click landed on something in the
// way. But a script-rendered page can also re-render under the click, and then the click does nothing at all:
// the real Okta widgets do that while they animate or redraw a view (Classic's factor menu toggle, the Identity
// Engine authenticator list). Those states say so in the table (`retryUntaken`): when nothing at all was sent
// since the click, clicking again cannot submit anything twice, so it is done, a bounded number of times.

/** A table state whose click may be swallowed by a re-render: how long to wait, and how many tries in all. */
export interface UntakenRetry {
  /** The page must have been still for this long since the click before we act again. */
  waitMs: number;
  /** Actions in all, the first included. */
  tries: number;
}

export type StillThereVerdict = 'wait' | 'act-again' | 'nothing-happened';

export interface StillThere {
  /** The state's retry, when the table gives one. */
  retry?: UntakenRetry;
  /** How many times we have acted on this state in this run. */
  tries: number;
  /** Whether any request was sent since the click (then it took: it is never repeated). */
  sent: boolean;
  /** How long the page has been still since we acted (0 while a request is in flight). */
  unchangedMs: number;
  /** The limit for everything else. */
  noChangeMs: number;
}

export function judgeStillThere({ retry, tries, sent, unchangedMs, noChangeMs }: StillThere): StillThereVerdict {
  const retrying = retry !== undefined && !sent;
  const limit = retrying ? Math.min(retry.waitMs, noChangeMs) : noChangeMs;
  if (unchangedMs < limit) return 'wait';
  return retrying && tries < retry.tries ? 'act-again' : 'nothing-happened';
}
