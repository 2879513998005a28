// What the wizard does after a failed log-in test, so that one wrong answer does not throw all the others away.
// Every rejected try counts toward the account's lock-out (PagerDuty, Okta and Entra lock after a few), so the
// secrets get MAX_SECRET_TRIES tries in all, password and 2FA secret together.
import type { ErrorCode } from '../core/errors.js';
import type { LoginMethod } from '../core/types.js';

export const MAX_SECRET_TRIES = 3;

export type AfterFailedTest =
  | { action: 'ask-password' }
  | { action: 'ask-mfa-secret' }
  /** A yes/no question: test again with the same answers. */
  | { action: 'offer-retry' }
  | { action: 'stop' };

/**
 * `rejectedTries`: log-in tests so far whose password or 2FA secret was rejected, this one included.
 * A rate limit or a locked account stops: trying again at once only extends it.
 */
export function afterFailedTest(code: ErrorCode, state: { rejectedTries: number; loginMethod: LoginMethod; accountLocked?: boolean }): AfterFailedTest {
  // A locked account needs waiting or an admin; another password would only count as one more failure.
  if (state.accountLocked) return { action: 'stop' };
  const triesLeft = state.rejectedTries < MAX_SECRET_TRIES;
  if (code === 'LOGIN_REJECTED' && triesLeft) return { action: 'ask-password' };
  if (code === 'MFA_REJECTED' && triesLeft && state.loginMethod !== 'credentials') return { action: 'ask-mfa-secret' };
  if (code === 'NETWORK') return { action: 'offer-retry' };
  return { action: 'stop' };
}

export const isSecretRejection = (code: ErrorCode): boolean => code === 'LOGIN_REJECTED' || code === 'MFA_REJECTED';
