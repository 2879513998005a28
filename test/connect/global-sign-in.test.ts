// The engine on canned pages of PagerDuty's global sign-in (identity.pagerduty.com) and on pages where something
// is in the way: a modal dialog over the form, a backdrop, a button that does nothing. Served by request
// interception (no server), in a real Chromium.
import { describe, expect, it } from 'vitest';
import { OnboardError } from '../../src/core/errors.js';
import type { ResolvedInstance } from '../../src/cli/inputs.js';
import { useCannedBrowser, type CannedRoute as Route, type CannedRun } from '../helpers/canned-flow.js';

const canned = useCannedBrowser();

const credentials: ResolvedInstance = { name: 'acme', subdomain: 'acme', region: 'us', loginMethod: 'credentials', user: 'owner@acme.example', password: 'canned-pw-123', okta: null, mfa: null };

function run(instance: ResolvedInstance, routes: Record<string, Route>): Promise<CannedRun> {
  return canned.run(instance, routes, { deadlineMs: 40_000 });
}

const ENTER_EMAIL = 'https://identity.pagerduty.com/global/authn/authentication/PagerDutyGlobalLogin/enter_email';
const EMAIL_FORM = `<form method="post" action="/global/authn/authentication/PagerDutyGlobalLogin/enter_email">
<label for="email">Email</label><input id="email" name="email" type="text"><button id="submit" type="submit">Next</button></form>`;
/** A real modal: showModal() puts it in the top layer and makes the rest of the page inert. */
const DIALOG = `<dialog id="confirm"><p>You are being taken to PagerDuty's new sign-in page.</p>
<form method="dialog"><button value="ok">Continue</button></form></dialog><script>document.getElementById('confirm').showModal()</script>`;
/** A script-made modal: role=dialog with aria-modal over a backdrop, removed by its Continue button. */
const ARIA_DIALOG = `<div id="backdrop" style="position:fixed;inset:0;background:#0008;z-index:10"></div>
<div role="dialog" aria-modal="true" style="position:fixed;top:30%;left:30%;z-index:11;background:#fff;padding:20px"><p>Sign in with your PagerDuty account?</p>
<button type="button" onclick="document.getElementById('backdrop').remove();this.parentElement.remove()">Continue</button></div>`;
const PASSWORD_PAGE = (error = '') => `<!doctype html><title>Sign In | PagerDuty</title>${error}<form method="post" action="/global/authn/authentication/PagerDutyGlobalLogin/password">
<p>owner@acme.example</p><label>Password <input name="pw" type="password"></label><button type="submit">Sign In</button></form>`;

function globalRoutes(overlay: string, password = credentials.password): Record<string, Route> {
  return {
    'GET https://acme.pagerduty.com/sign_in': (url) => ({ body: '', location: `${ENTER_EMAIL}?return_to=${encodeURIComponent(url.searchParams.get('user_return_to') ?? '')}` }),
    [`GET ${ENTER_EMAIL}`]: () => ({ body: `<!doctype html><title>Sign In | PagerDuty</title>${EMAIL_FORM}${overlay}` }),
    [`POST ${ENTER_EMAIL}`]: () => ({ body: '', location: 'https://identity.pagerduty.com/global/authn/authentication/PagerDutyGlobalLogin/password' }),
    'GET https://identity.pagerduty.com/global/authn/authentication/PagerDutyGlobalLogin/password': () => ({ body: PASSWORD_PAGE() }),
    'POST https://identity.pagerduty.com/global/authn/authentication/PagerDutyGlobalLogin/password': (_url, body) =>
      new URLSearchParams(body).get('pw') === password
        ? { body: '', location: 'https://acme.pagerduty.com/global/authn/handoff?code=one-time' }
        : { body: PASSWORD_PAGE('<div class="error" role="alert">The email or password you entered is incorrect.</div>') },
    'GET https://acme.pagerduty.com/global/authn/handoff': () => ({ body: '', location: 'https://acme.pagerduty.com/incidents' }),
    'GET https://acme.pagerduty.com/incidents': () => ({ body: '<!doctype html><title>Incidents - PagerDuty</title><h1>Incidents</h1>' }),
  };
}

describe('PagerDuty global sign-in (identity.pagerduty.com)', () => {
  it.each([
    ['a <dialog> opened with showModal()', DIALOG],
    ['a role=dialog aria-modal=true layer over a backdrop', ARIA_DIALOG],
    ['no confirmation', ''],
  ])('with %s: starts at /sign_in?user_return_to=/incidents, dismisses the modal, then email, password, back on the account host', async (_label, overlay) => {
    const { result, trail } = await run(credentials, globalRoutes(overlay));
    expect(result).toBe('signed-in');
    expect(trail.requests[0]).toBe('GET https://acme.pagerduty.com/sign_in?user_return_to=/incidents');
    expect(trail.posted).toEqual([
      `${ENTER_EMAIL} email=${encodeURIComponent(credentials.user)}`,
      `https://identity.pagerduty.com/global/authn/authentication/PagerDutyGlobalLogin/password pw=${credentials.password}`,
    ]);
  });

  it('a wrong password on the identity host is LOGIN_REJECTED quoting the page', async () => {
    const { result } = await run(credentials, globalRoutes(DIALOG, 'another-password'));
    expect(result).toBeInstanceOf(OnboardError);
    expect((result as OnboardError).code).toBe('LOGIN_REJECTED');
    expect((result as OnboardError).message).toContain('The email or password you entered is incorrect.');
  });

  it('SSO: "Sign In with Single Sign-On", the subdomain page\'s #sso_submit, then the account\'s SSO entry', async () => {
    const okta: ResolvedInstance = { ...credentials, loginMethod: 'okta', okta: { org: 'acme', domain: 'okta.com' }, mfa: { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', digits: 6, period: 30, algorithm: 'sha1' } };
    const subdomainPage = 'https://identity.pagerduty.com/global/authn/authentication/PagerDutyGlobalLogin/subdomain';
    const routes: Record<string, Route> = {
      ...globalRoutes(DIALOG),
      [`GET ${ENTER_EMAIL}`]: () => ({ body: `<!doctype html>${EMAIL_FORM}<a href="${subdomainPage}">Sign In with Single Sign-On</a>${DIALOG}` }),
      [`GET ${subdomainPage}`]: () => ({ body: `<!doctype html><form method="post" action="${subdomainPage}"><input name="account" type="text"><span>.pagerduty.com</span><button id="sso_submit" type="submit">Sign In</button></form>` }),
      [`POST ${subdomainPage}`]: (_url, body) => ({ body: '', location: `https://${new URLSearchParams(body).get('account')}.pagerduty.com/sso/saml/login` }),
      'GET https://acme.pagerduty.com/sso/saml/login': () => ({ body: '', location: 'https://acme.okta.com/app/pagerduty/exk1/sso/saml?SAMLRequest=abc' }),
      'GET https://acme.okta.com/app/pagerduty/exk1/sso/saml': () => ({ body: '<!doctype html><title>Okta</title><p>Okta is down for maintenance.</p>' }),
    };
    const { result, trail } = await run(okta, routes);
    // The canned Okta page is unknown: the flow got there through the global sign-in, and typed only the subdomain.
    expect((result as OnboardError).code).toBe('UNRECOGNIZED_PAGE');
    expect((result as OnboardError).message).toContain('https://acme.okta.com/app/pagerduty/exk1/sso/saml');
    expect(trail.posted).toEqual([`${subdomainPage} account=acme`]);
  });
});

describe('something in the way', () => {
  it('a modal the tables do not know hides the form behind it: nothing is typed, the run ends as an unrecognized page', async () => {
    const cookieDialog = `<dialog id="consent"><p>We use cookies.</p><button>Accept all</button></dialog><script>document.getElementById('consent').showModal()</script>`;
    const { result, trail } = await run(credentials, globalRoutes(cookieDialog));
    expect((result as OnboardError).code).toBe('UNRECOGNIZED_PAGE');
    expect((result as OnboardError).message).toContain(ENTER_EMAIL);
    expect(trail.posted).toEqual([]);
  });

  it('a form under a full-window backdrop (no dialog role) is not visible: nothing is typed', async () => {
    const backdrop = '<div style="position:fixed;inset:0;background:#0006;z-index:5"></div>';
    const { result, trail } = await run(credentials, globalRoutes(backdrop));
    expect((result as OnboardError).code).toBe('UNRECOGNIZED_PAGE');
    expect(trail.posted).toEqual([]);
  });

  it('a click that changes nothing ends as UNRECOGNIZED_PAGE naming the state and the button, not as a network timeout', async () => {
    const deadForm = `<!doctype html><title>Sign In | PagerDuty</title><form id="f"><label for="email">Email</label><input id="email" name="email" type="text">
<button id="submit" type="submit">Next</button></form><script>document.getElementById('f').addEventListener('submit', function (e) { e.preventDefault(); });</script>`;
    const { result, trail } = await run(credentials, { ...globalRoutes(''), [`GET ${ENTER_EMAIL}`]: () => ({ body: deadForm }) });
    expect(result).toBeInstanceOf(OnboardError);
    const error = result as OnboardError;
    expect(error.code).toBe('UNRECOGNIZED_PAGE');
    expect(error.message).toContain('"pagerduty.email"');
    expect(error.message).toContain('button#submit "Next"');
    expect(error.message).toContain(ENTER_EMAIL);
    expect(error.message).not.toContain('return_to');
    expect(trail.posted).toEqual([]);
  });
});
