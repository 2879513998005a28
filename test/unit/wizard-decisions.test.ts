// The wizard's decisions as tables: what follows a failed log-in test, the rule for a new passphrase, the default
// name, the sandbox samples for each login method, and update's first line.
import { describe, expect, it } from 'vitest';
import { afterFailedTest, MAX_SECRET_TRIES } from '../../src/wizard/retry-policy.js';
import { checkNewPassphrase, MIN_NEW_PASSPHRASE_LENGTH } from '../../src/wizard/passphrase.js';
import { suggestedName, updateIntro, wizardSteps } from '../../src/wizard/wizard.js';
import { sampleSuggestionsFor } from '../../src/commands/demo-suggestions.js';
import { SAMPLE_ACCOUNTS } from '../../src/sandbox/world.js';

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

describe('suggestedName: follows the URL entered, never a name in use', () => {
  it.each([
    [{ subdomain: 'acme', region: 'us' }, [], '', 'acme'],
    [{ subdomain: 'acme', region: 'us' }, ['acme'], '', 'acme-2'],
    [{ subdomain: 'acme', region: 'us' }, ['acme', 'acme-2'], '', 'acme-3'],
    [{ subdomain: null, region: 'eu' }, [], '', 'pagerduty-eu'],
    [{ subdomain: null, region: 'eu' }, ['pagerduty-eu'], '', 'pagerduty-eu-2'],
    [{ subdomain: 'contoso', region: 'us' }, [], 'sandbox-', 'sandbox-contoso'],
    [{ subdomain: 'globex', region: 'eu' }, ['sandbox-globex', 'globex'], 'sandbox-', 'sandbox-globex-2'],
  ] as const)('%j with %j taken, prefix %j -> %s', (draft, taken, prefix, expected) => {
    expect(suggestedName(draft, new Set(taken), prefix)).toBe(expected);
  });
});

describe('sandbox samples follow the chosen login method', () => {
  it.each([
    [undefined, 'us-okta-classic', 'okta'],
    ['credentials', 'us-credentials-legacy', 'credentials'],
    ['okta', 'us-okta-classic', 'okta'],
    ['azure', 'us-azure-code', 'azure'],
  ] as const)('%s -> the %s account', (method, label, offeredMethod) => {
    const account = SAMPLE_ACCOUNTS.find((a) => a.label === label)!;
    expect(sampleSuggestionsFor(method)).toEqual({
      url: account.url,
      user: account.user,
      password: account.password,
      loginMethod: offeredMethod,
      oktaSubdomain: account.oktaSubdomain ?? undefined,
      mfaSecret: account.mfaSecret ?? undefined,
      namePrefix: 'sandbox-',
    });
    expect(account.loginMethod).toBe(offeredMethod);
  });

  it('with samples the method is asked first; otherwise the onboarding guide order', () => {
    expect(wizardSteps(false).map((step) => step.name)).toEqual(['askUser', 'askPassword', 'askLocation', 'askLoginMethod', 'recheckUser', 'askOkta', 'askMfaSecret', 'askName']);
    expect(wizardSteps(true).map((step) => step.name)).toEqual(['askLoginMethod', 'askUser', 'askPassword', 'askLocation', 'recheckUser', 'askOkta', 'askMfaSecret', 'askName']);
  });
});

describe('updateIntro: which instance, and what update asks for', () => {
  const current = { user: 'owner@acme.example', host: 'acme.pagerduty.com' };
  it.each([
    [{ password: true, mfaSecret: false }, 'Updating "acme" (owner@acme.example at https://acme.pagerduty.com): type the new password; everything else stays as stored.'],
    [{ password: false, mfaSecret: true }, 'Updating "acme" (owner@acme.example at https://acme.pagerduty.com): type the new 2FA secret; everything else stays as stored.'],
    [{ password: true, mfaSecret: true }, 'Updating "acme" (owner@acme.example at https://acme.pagerduty.com): type the new password and 2FA secret; everything else stays as stored.'],
    [{ password: false, mfaSecret: false }, 'Updating "acme" (owner@acme.example at https://acme.pagerduty.com).'],
  ])('%j', (asks, line) => {
    expect(updateIntro('acme', current, asks)).toBe(line);
  });
});
