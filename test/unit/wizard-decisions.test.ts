// The wizard's decisions as tables: what follows a failed log-in test, and the rule for a new passphrase.
import { describe, expect, it } from 'vitest';
import { afterFailedTest, MAX_SECRET_TRIES } from '../../src/wizard/retry-policy.js';
import { checkNewPassphrase, MIN_NEW_PASSPHRASE_LENGTH } from '../../src/wizard/passphrase.js';

describe('afterFailedTest: a rejected secret is asked again, 3 tries in all; a network error offers a retry', () => {
  it.each([
    ['LOGIN_REJECTED', 1, 'credentials', 'ask-password'],
    ['LOGIN_REJECTED', 2, 'okta', 'ask-password'],
    ['LOGIN_REJECTED', 3, 'credentials', 'stop'],
    ['MFA_REJECTED', 1, 'okta', 'ask-mfa-secret'],
    ['MFA_REJECTED', 2, 'azure', 'ask-mfa-secret'],
    ['MFA_REJECTED', 3, 'azure', 'stop'],
    // Password and 2FA secret share the tries: each rejection counts toward the account's lock-out.
    ['MFA_REJECTED', 3, 'okta', 'stop'],
    ['MFA_REJECTED', 1, 'credentials', 'stop'],
    ['NETWORK', 0, 'credentials', 'offer-retry'],
    ['NETWORK', 3, 'okta', 'offer-retry'],
    ['RATE_LIMITED', 0, 'credentials', 'stop'],
    ['NOT_OWNER', 0, 'credentials', 'stop'],
    ['UNRECOGNIZED_PAGE', 0, 'azure', 'stop'],
    ['NO_BROWSER', 0, 'okta', 'stop'],
    ['INTERNAL', 0, 'okta', 'stop'],
  ] as const)('%s after %i rejected tries (%s) -> %s', (code, rejectedTries, loginMethod, action) => {
    expect(afterFailedTest(code, { rejectedTries, loginMethod })).toEqual({ action });
  });

  it('a locked account stops at once: another password would be one more failure', () => {
    expect(afterFailedTest('LOGIN_REJECTED', { rejectedTries: 1, loginMethod: 'credentials', accountLocked: true })).toEqual({ action: 'stop' });
    expect(afterFailedTest('MFA_REJECTED', { rejectedTries: 1, loginMethod: 'okta', accountLocked: true })).toEqual({ action: 'stop' });
  });

  it('allows 3 tries', () => expect(MAX_SECRET_TRIES).toBe(3));
});

describe('checkNewPassphrase: at least 12 characters, counted as characters', () => {
  it.each([
    ['', false],
    ['short', false],
    ['elevenchars', false],
    ['twelve-chars', true],
    ['correct horse battery staple', true],
    // 12 characters that are 24 bytes in UTF-8 pass; 11 emoji (22 UTF-16 units) do not.
    ['ééééééééééé', false],
    ['éééééééééééé', true],
    ['😀😀😀😀😀😀😀😀😀😀😀', false],
  ])('%j -> %s', (value, ok) => {
    const verdict = checkNewPassphrase(value);
    if (ok) expect(verdict).toBe(true);
    else expect(verdict).toMatch(new RegExp(`^The passphrase must be at least ${MIN_NEW_PASSPHRASE_LENGTH} characters \\(this one has \\d+\\); type a longer one\\.$`));
  });
});
