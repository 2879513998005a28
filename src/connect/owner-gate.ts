// Pure: what the owner check's answer means for the test. "not-owner" always fails; "unverified" (the role
// could not be read) passes with a warning, or fails when the caller requires a confirmed Account Owner.
import { OnboardError } from '../core/errors.js';
import type { OwnerStatus } from '../core/types.js';

export type OwnerVerdict = { ok: true; warning?: string } | { ok: false; error: OnboardError };

export function ownerVerdict(check: { status: OwnerStatus; detail: string }, user: string, requireOwner: boolean): OwnerVerdict {
  if (check.status === 'verified') return { ok: true };
  if (check.status === 'not-owner') {
    return {
      ok: false,
      error: new OnboardError('NOT_OWNER', `Signed in as ${user}, but that user is not the Account Owner (${check.detail}).`, {
        fix: "The scanner needs the Account Owner's log-in: onboard the user who has the Account Owner role (PagerDuty: People, Users).",
      }),
    };
  }
  if (requireOwner) {
    return {
      ok: false,
      error: new OnboardError('NOT_OWNER', `Signed in as ${user}, but the Account Owner role could not be confirmed (${check.detail}).`, {
        fix: 'Check in PagerDuty (People, Users) that this user is the Account Owner; without --require-owner (SSPM_REQUIRE_OWNER=1) an unconfirmed role passes with a warning.',
      }),
    };
  }
  return { ok: true, warning: `The Account Owner role could not be confirmed (${check.detail}); --require-owner makes this a failure.` };
}
