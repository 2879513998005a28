// What the wizard shows and asks about an instance: never a secret, and the last question says what happens next.
import { describe, expect, it } from 'vitest';
import { publicView, reviewQuestion, summaryLines } from '../../src/core/instance-view.js';
import type { MfaSecret } from '../../src/core/types.js';

const mfa: MfaSecret = { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', digits: 6, period: 30, algorithm: 'sha1' };
const credentials = publicView({ name: 'acme', subdomain: 'acme', region: 'us', loginMethod: 'credentials', user: 'owner@acme.example', okta: null });
const okta = publicView({ name: 'acme-eu', subdomain: 'acme', region: 'eu', loginMethod: 'okta', user: 'jane', okta: { org: 'acme', domain: 'oktapreview.com' }, mfa });
const azure = publicView({ name: 'pagerduty-us', subdomain: null, region: 'us', loginMethod: 'azure', user: 'megan@contoso.example', okta: null, mfa });

describe('reviewQuestion', () => {
  it.each([
    [credentials, { test: true, store: true, verb: 'add' }, 'Sign in to https://acme.pagerduty.com as owner@acme.example to test, then save it as "acme"?'],
    [okta, { test: true, store: true, verb: 'add' }, 'Sign in to https://acme.eu.pagerduty.com as jane through Okta (https://acme.oktapreview.com) to test, then save it as "acme-eu"?'],
    [azure, { test: true, store: true, verb: 'update' }, 'Sign in to https://app.pagerduty.com as megan@contoso.example through Microsoft Entra ID to test, then replace what "pagerduty-us" has stored?'],
    [credentials, { test: true, store: false, verb: 'add' }, 'Sign in to https://acme.pagerduty.com as owner@acme.example to test (nothing is saved)?'],
    [credentials, { test: false, store: true, verb: 'add' }, 'Save it as "acme" (owner@acme.example at https://acme.pagerduty.com) without a log-in test?'],
    [okta, { test: false, store: true, verb: 'update' }, 'Replace what "acme-eu" has stored (jane at https://acme.eu.pagerduty.com) without a log-in test?'],
    [credentials, { test: false, store: false, verb: 'add' }, null],
  ] as const)('%#: %j', (view, plan, expected) => {
    expect(reviewQuestion(view, plan)).toBe(expected);
  });
});

describe('summaryLines', () => {
  it('names host, region, method, user, Okta org and code shape; no secret', () => {
    expect(summaryLines(okta)).toEqual([
      'Name:          acme-eu',
      'PagerDuty:     https://acme.eu.pagerduty.com (EU service region)',
      'Login method:  Okta SSO',
      'User:          jane',
      'Okta org:      https://acme.oktapreview.com',
      '2FA codes:     6 digits every 30 s (SHA1)',
    ]);
    expect(summaryLines(azure)[1]).toBe('PagerDuty:     https://app.pagerduty.com (US service region, no personalized subdomain)');
    expect(JSON.stringify([okta, azure, summaryLines(okta), summaryLines(azure)])).not.toContain(mfa.secret);
  });
});
