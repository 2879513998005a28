// Shows a person the current one-time code (the `code` command, the wizard's enrollment step). A shown code is
// recorded in the code ledger like a typed one: the IdP accepts each code once, so a log-in test right after
// must not type it again.
import { codeOfStep } from '../core/code-display.js';
import { planNextCode } from '../core/totp.js';
import type { MfaSecret } from '../core/types.js';
import type { CodeLedger } from './code-ledger.js';

export interface ShownCode {
  code: string;
  counter: number;
  expiresInSeconds: number;
}

/** A person needs a few seconds to read and type a code: one with less left waits for the next window. */
export const MIN_SECONDS_TO_TYPE = 5;

export async function nextShownCode(
  mfa: MfaSecret,
  codes: CodeLedger,
  opts: { minSecondsLeft?: number; now?: () => number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<ShownCode> {
  const now = opts.now ?? (() => Date.now() / 1000);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const minSecondsLeft = Math.min(opts.minSecondsLeft ?? MIN_SECONDS_TO_TYPE, mfa.period - 1);
  const plan = planNextCode({ mfa, nowSeconds: now(), minSecondsLeft, usedCounters: codes.used(mfa.secret) });
  if (plan.waitMs > 0) await sleep(plan.waitMs);
  codes.record(mfa.secret, plan.counter);
  return { counter: plan.counter, ...codeOfStep(mfa, plan.counter, now()) };
}
