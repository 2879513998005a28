// Fixes that fit the situation (issue 10, point 3): what a user is told to run depends on whether anything is
// stored, a locked account is told apart from a wrong password by the page's words, and a near-miss Okta org or
// service region is named as the likely value.
import { describe, expect, it } from 'vitest';
import { changeFix, describeWait, lockedFix, loginRejectedFix } from '../../src/core/fixes.js';
import { refusalMeaning } from '../../src/connect/flow-tables.js';
import { looksRateLimited } from '../../src/connect/rate-limit.js';
import { otherOktaDomain, otherRegionHost, type PolicyInstance } from '../../src/connect/origin-policy.js';

describe('changeFix and loginRejectedFix', () => {
  it.each([
    [{ name: 'acme', stored: true }, '--region eu', 'sspm-onboard pagerduty update acme --region eu'],
    [{ name: 'acme', stored: false }, '--region eu', 'run the command again with --region eu'],
  ])('%j %s', (target, flags, expected) => {
    expect(changeFix(target, flags)).toBe(expected);
  });

  it('a failed add or flags-only test never suggests update (nothing is stored)', () => {
    expect(loginRejectedFix({ name: 'acme', stored: false })).toBe('Check the user (--user) and the password, then run the command again.');
    expect(loginRejectedFix({ name: 'acme', stored: true })).toBe('Check the user and the password; store new ones with: sspm-onboard pagerduty update acme');
  });
});

describe('describeWait', () => {
  it.each([
    [30, '30 s'],
    [90, '90 s'],
    [900, '15 min'],
    [7200, '2 h'],
    [5400, '90 min'],
  ])('%i -> %s', (seconds, expected) => {
    expect(describeWait(seconds)).toBe(expected);
  });
});

describe('refusalMeaning: a locked account, by its words', () => {
  it.each([
    // PagerDuty (sandbox wording), Okta Classic and Identity Engine, Entra (AADSTS50053, smart lockout).
    ['Your account is locked because of too many failed sign in attempts. Please try again in 15 minutes.', 'account-locked'],
    ['Your account is locked. Please contact your administrator.', 'account-locked'],
    ['This factor is suspended for your account due to too many failed attempts', 'account-locked'],
    ["Your account is locked. You've tried to sign in too many times with an incorrect user ID or password.", 'account-locked'],
    ['Your account has been locked. Contact your support person to unlock it, then try again.', 'account-locked'],
    ['Your account is temporarily locked to prevent unauthorized use. Try again later, and if you still have trouble, contact your admin.', 'account-locked'],
    ['You have been locked out of your account.', 'account-locked'],
    ['Account locked', 'account-locked'],
    // Not a lock: wrong password, rate limiting, a blocked sign-in, a "locked" that is about something else.
    ['Invalid email or password.', undefined],
    ['Too many sign-in attempts. Please wait 30 seconds and try again.', undefined],
    ['Your sign-in was blocked by Conditional Access.', undefined],
    ['Unlock your phone and open Microsoft Authenticator.', undefined],
    ['', undefined],
  ])('%s -> %s', (text, expected) => {
    expect(refusalMeaning(text)?.id).toBe(expected);
  });

  it('lock texts that speak of too many attempts are not read as rate limiting', () => {
    for (const text of ['Your account is locked because of too many failed sign in attempts.', 'This factor is suspended for your account due to too many failed attempts']) {
      expect(looksRateLimited(text), text).toBe(false);
    }
  });
});

describe('lockedFix', () => {
  it.each([
    ['PagerDuty', 900, /^Wait 15 min \(the page's words\) for the lock to end and run the command again, or ask PagerDuty Support to unlock it;/],
    ['Okta', undefined, /^Wait until the lock ends and run the command again, or have an Okta admin unlock the user/],
    ['Microsoft Entra ID', undefined, /or have an Entra admin unlock the user or reset the password/],
  ] as const)('%s', (service, wait, expected) => {
    const fix = lockedFix(service, wait);
    expect(fix).toMatch(expected);
    expect(fix).not.toMatch(/check the (user and the )?password/i);
  });
});

const okta = (org: string, domain: 'okta.com' | 'oktapreview.com' | 'okta-emea.com'): PolicyInstance => ({ subdomain: 'globex', region: 'eu', loginMethod: 'okta', okta: { org, domain } });

describe('otherOktaDomain: the org given without its domain, found on another Okta domain', () => {
  it.each([
    [okta('globex', 'okta.com'), 'globex.okta-emea.com', { org: 'globex.okta-emea.com', given: 'globex.okta.com' }],
    [okta('globex', 'okta.com'), 'GLOBEX.oktapreview.com', { org: 'globex.oktapreview.com', given: 'globex.okta.com' }],
    [okta('globex', 'okta-emea.com'), 'globex.okta.com', { org: 'globex.okta.com', given: 'globex.okta-emea.com' }],
    [okta('globex', 'okta.com'), 'globex.okta.com', null], // the org itself
    [okta('globex', 'okta.com'), 'evil.okta-emea.com', null], // another org: not "likely meant"
    [okta('globex', 'okta.com'), 'globex.okta-emea.com.evil.example', null],
    [okta('globex', 'okta.com'), 'globex-okta-emea.com', null],
    [{ ...okta('globex', 'okta.com'), loginMethod: 'azure' as const }, 'globex.okta-emea.com', null],
  ])('%j at %s', (instance, host, expected) => {
    expect(otherOktaDomain(host, instance)).toEqual(expected);
  });
});

describe('otherRegionHost', () => {
  it.each([
    [{ subdomain: 'acme-eu', region: 'us' as const }, { host: 'acme-eu.eu.pagerduty.com', region: 'eu' }],
    [{ subdomain: 'acme', region: 'eu' as const }, { host: 'acme.pagerduty.com', region: 'us' }],
    [{ subdomain: null, region: 'us' as const }, null],
  ])('%j', (instance, expected) => {
    expect(otherRegionHost(instance)).toEqual(expected);
  });
});
