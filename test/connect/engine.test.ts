// The engine against small canned pages (served by request interception, no server): states it must recognise
// beyond the sandbox's own pages, and how it ends on each.
import { describe, expect, it } from 'vitest';
import { OnboardError } from '../../src/core/errors.js';
import type { ResolvedInstance } from '../../src/cli/inputs.js';
import { useCannedBrowser, type CannedRoute as Route } from '../helpers/canned-flow.js';

const canned = useCannedBrowser();

const PD_ONE_PAGE = `<!doctype html><title>Sign In | PagerDuty</title><form method="post" action="/sign_in">
<input id="user_email" name="user[email]" type="email"><input id="user_password" name="user[password]" type="password">
<input type="submit" name="commit" value="Sign In"></form>
<a href="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2?SAMLRequest=abc">Sign In With Your Identity Provider</a>`;

const azure: ResolvedInstance = { name: 'acme', subdomain: 'acme', region: 'us', loginMethod: 'azure', user: 'megan@acme.example', password: 'canned-pw-123', okta: null, mfa: { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', digits: 6, period: 30, algorithm: 'sha1' } };
const credentials: ResolvedInstance = { ...azure, loginMethod: 'credentials', user: 'owner@acme.example', mfa: null };

/** Runs the flow; `posted` gets "<url> <body>" of every POST, in order. */
async function run(instance: ResolvedInstance, routes: Record<string, Route>, posted: string[] = []): Promise<OnboardError | 'signed-in'> {
  const { result, trail } = await canned.run(instance, routes);
  posted.push(...trail.posted);
  return result;
}

const okta: ResolvedInstance = { ...azure, loginMethod: 'okta', user: 'megan', okta: { org: 'acme', domain: 'okta.com' } };
const PD_TO_OKTA = PD_ONE_PAGE.replace(
  'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2?SAMLRequest=abc',
  'https://acme.okta.com/app/pagerduty/exk1/sso/saml?SAMLRequest=abc',
);

/** Pages where the factor the 2FA secret is for is not on offer: only push and SMS. */
const NO_TOTP_FACTOR = {
  oktaClassic: `<!doctype html><title>Acme - Okta Verify</title><div id="okta-sign-in" class="auth-container main-container">
<a href="#" class="link-button option-selected" onclick="document.getElementById('okta-dropdown-options').style.display='block';return false">Okta Verify</a>
<div id="okta-dropdown-options" style="display:none"><ul>
<li class="factor-option"><a title="Okta Verify" href="#">Okta Verify</a></li><li class="factor-option"><a title="SMS Authentication" href="#">SMS Authentication</a></li>
</ul></div><form data-se="factor-push"><input type="submit" value="Send Push" data-type="save"></form></div>`,
  oktaIdentityEngine: `<!doctype html><title>Acme - Sign In</title><div id="okta-sign-in" class="auth-container main-container"><div class="authenticator-list">
<div class="authenticator-row"><div class="authenticator-button" data-se="okta_verify-push"><a class="button select-factor" href="#">Select</a></div></div>
<div class="authenticator-row"><div class="authenticator-button" data-se="phone_number"><a class="button select-factor" href="#">Select</a></div></div>
</div></div>`,
  entraProofs: `<!doctype html><meta name="PageID" content="ConvergedTFA"><title>Sign in to your account</title><div id="idDiv_SAOTCS_Proofs" role="list">
<div class="row tile" role="listitem"><div class="table" role="button" data-value="PhoneAppNotification">Approve a request on my Microsoft Authenticator app</div></div>
<div class="row tile" role="listitem"><div class="table" role="button" data-value="OneWaySMS">Text +X XXXXXXXX12</div></div></div>`,
};

describe('engine on canned pages', () => {
  it.each([
    ['Okta Classic', okta, PD_TO_OKTA, 'GET https://acme.okta.com/app/pagerduty/exk1/sso/saml', NO_TOTP_FACTOR.oktaClassic, /Okta does not offer this user Google Authenticator/],
    ['Okta Identity Engine', okta, PD_TO_OKTA, 'GET https://acme.okta.com/app/pagerduty/exk1/sso/saml', NO_TOTP_FACTOR.oktaIdentityEngine, /Okta does not offer this user Google Authenticator/],
    ['Entra', azure, PD_ONE_PAGE, 'GET https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2', NO_TOTP_FACTOR.entraProofs, /Entra ID does not offer this user a verification code/],
  ])('%s offering no TOTP factor ends in MFA_REJECTED saying which factor to enroll, with nothing typed there', async (_label, instance, pdPage, idpRoute, idpPage, message) => {
    const posted: string[] = [];
    const result = await run(instance, { 'GET https://acme.pagerduty.com/sign_in': () => ({ body: pdPage }), [idpRoute]: () => ({ body: idpPage }) }, posted);
    expect(result).toBeInstanceOf(OnboardError);
    expect((result as OnboardError).code).toBe('MFA_REJECTED');
    expect((result as OnboardError).message).toMatch(message);
    expect((result as OnboardError).fix).toMatch(/2FA secret/);
    expect(posted).toEqual([]);
  });

  // The real Classic widget (okta-sign-in.classic.js 7.49.0) with Okta Verify as the default factor: the factor menu
  // is a toggle a.option-selected (aria-controls="okta-dropdown-options") over a list #okta-dropdown-options that
  // the stylesheet keeps hidden until the toggle shows it (and whose own box has no height: its list overflows it).
  // While the widget animates its beacon in, it can re-render the menu under our click, and the click opens nothing.
  // Each page below answers the first click(s) that way.
  const classicFactorPage = (behaviour: string) => `<!doctype html><title>Acme - Okta Verify</title>
<style>.options{display:none;height:0}.options-wrap{position:absolute;width:320px;margin:0;background:#fff}.option-selected{display:inline-block;width:30px;height:30px}</style><main id="okta-sign-in" class="auth-container main-container"><div class="beacon-container"></div>
<form data-se="factor-push" class="mfa-verify o-form"><h2 data-se="o-form-head">Okta Verify (megan)</h2><input type="submit" value="Send Push" data-type="save"></form></main>
<script>
var GOOGLE = '<li class="factor-option"><a href="/signin/verify/google/token:software:totp">Google Authenticator</a></li>';
var VERIFY = '<li class="factor-option"><a href="#">Okta Verify (iPhone)</a></li>';
var clicks = 0;
function render(entries) {
  document.querySelector('.beacon-container').innerHTML = '<div class="dropdown more-actions"><a href="#" class="link-button option-selected" aria-expanded="false" aria-controls="okta-dropdown-options">'
    + '<span class="option-selected-text"></span><span class="icon-dm"></span></a><div id="okta-dropdown-options" class="options"><ul class="okta-dropdown-list options-wrap">'
    + '<li class="dropdown-list-title option-disabled"><a href="">Select an authentication factor</a></li>' + entries + '</ul></div></div>';
  document.querySelector('a.option-selected').addEventListener('click', function (e) {
    e.preventDefault();
    clicks += 1;
    ${behaviour}
  });
}
function toggle() {
  var menu = document.getElementById('okta-dropdown-options');
  var open = getComputedStyle(menu).display === 'none';
  menu.style.display = open ? 'block' : 'none';
  document.querySelector('a.option-selected').setAttribute('aria-expanded', String(open));
}
render(VERIFY + GOOGLE);
</script>`;
  const CLASSIC_TOTP_PAGE = `<!doctype html><title>Acme - Google Authenticator</title><main id="okta-sign-in"><form method="post" action="/api/v1/authn/factors/g/verify" data-se="factor-totp">
<input type="text" name="answer"><input type="submit" value="Verify" data-type="save"></form></main>`;
  const classicRoutes = (factorPage: string): Record<string, Route> => ({
    'GET https://acme.pagerduty.com/sign_in': () => ({ body: PD_TO_OKTA }),
    'GET https://acme.okta.com/app/pagerduty/exk1/sso/saml': () => ({ body: factorPage }),
    'GET https://acme.okta.com/signin/verify/google/token:software:totp': () => ({ body: CLASSIC_TOTP_PAGE }),
    'POST https://acme.okta.com/api/v1/authn/factors/g/verify': () => ({ body: '', location: 'https://acme.pagerduty.com/incidents' }),
    'GET https://acme.pagerduty.com/incidents': () => ({ body: '<title>Incidents</title><h1>Incidents</h1>' }),
  });
  const codePosted = (posted: string[]) => posted.filter((p) => p.startsWith('https://acme.okta.com/api/v1/authn/factors/g/verify answer='));
  // Each test that types a code has a secret of its own: a shared one would make it wait for the next code window
  // (codes are never used twice), past the run's deadline.
  const oktaWithSecret = (secret: string): ResolvedInstance => ({ ...okta, mfa: { ...okta.mfa!, secret } });

  describe('Okta Classic factor menu: a menu that did not open is not a missing factor', () => {
    it('the first click re-renders the menu closed (widget animating): clicked again, Google Authenticator chosen, signed in', async () => {
      const posted: string[] = [];
      const result = await run(oktaWithSecret('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'), classicRoutes(classicFactorPage('if (clicks === 1) render(VERIFY + GOOGLE); else toggle();')), posted);
      expect(result).toBe('signed-in');
      expect(codePosted(posted), 'one code typed on the Google Authenticator page').toHaveLength(1);
    });

    it('a menu that opens without its entries and closes again is opened afresh, never judged while closed', async () => {
      // Opened before the widget had its factors, then re-rendered closed with them: the first look at the menu
      // finds no Google Authenticator, but the menu it looked in is gone, so that is not "not offered".
      const behaviour = 'if (clicks === 1) { render(VERIFY); toggle(); setTimeout(function () { render(VERIFY + GOOGLE); }, 1000); } else toggle();';
      const posted: string[] = [];
      const result = await run(oktaWithSecret('MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U'), classicRoutes(classicFactorPage(behaviour)), posted);
      expect(result).toBe('signed-in');
      expect(codePosted(posted)).toHaveLength(1);
    });

    it('a toggle that never opens the menu ends as an unrecognized page naming the state and the tries, not as "no Google Authenticator"', async () => {
      const posted: string[] = [];
      const result = await run(okta, classicRoutes(classicFactorPage('/* ignores every click */')), posted);
      expect(result).toBeInstanceOf(OnboardError);
      expect((result as OnboardError).code).toBe('UNRECOGNIZED_PAGE');
      expect((result as OnboardError).message).toMatch(/Nothing happened after clicking a\b.*\(3 times\) on "okta\.classic\.other-factor"/);
      expect(posted.filter((p) => p.includes('acme.okta.com')), 'nothing typed at Okta').toEqual([]);
    });

    it('Identity Engine Gen2: a "Select" click the list swallows while it redraws is clicked again (nothing was sent)', async () => {
      const list = `<!doctype html><title>Acme - Sign In</title><main id="okta-sign-in"><form data-se="o-form" class="ion-form o-form"><div class="authenticator-list"></div></form></main>
<script>
var clicks = 0;
function render() {
  document.querySelector('.authenticator-list').innerHTML = '<div class="authenticator-row"><h3>Okta Verify</h3><div class="authenticator-button" data-se="okta_verify-push"><a class="button select-factor" href="#">Select</a></div></div>'
    + '<div class="authenticator-row"><h3>Google Authenticator</h3><div class="authenticator-button" data-se="google_otp"><a class="button select-factor" href="/signin/verify/google">Select</a></div></div>';
  document.querySelector('[data-se="google_otp"] a').addEventListener('click', function (e) { clicks += 1; if (clicks === 1) { e.preventDefault(); render(); } });
}
render();
</script>`;
      const code = `<!doctype html><title>Acme - Google Authenticator</title><main id="okta-sign-in"><form data-se="o-form" method="post" action="/idp/idx/challenge/answer">
<input type="text" name="credentials.passcode"><input type="submit" value="Verify" data-type="save"></form></main>`;
      const posted: string[] = [];
      const result = await run(
        oktaWithSecret('KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU'),
        {
          'GET https://acme.pagerduty.com/sign_in': () => ({ body: PD_TO_OKTA }),
          'GET https://acme.okta.com/app/pagerduty/exk1/sso/saml': () => ({ body: list }),
          'GET https://acme.okta.com/signin/verify/google': () => ({ body: code }),
          'POST https://acme.okta.com/idp/idx/challenge/answer': () => ({ body: '', location: 'https://acme.pagerduty.com/incidents' }),
          'GET https://acme.pagerduty.com/incidents': () => ({ body: '<title>Incidents</title><h1>Incidents</h1>' }),
        },
        posted,
      );
      expect(result).toBe('signed-in');
      expect(posted.filter((p) => p.startsWith('https://acme.okta.com/idp/idx/challenge/answer'))).toHaveLength(1);
    });

    it('an open menu without Google Authenticator is still MFA_REJECTED saying so', async () => {
      const result = await run(okta, classicRoutes(classicFactorPage('toggle();').replace('render(VERIFY + GOOGLE);\n</script>', 'render(VERIFY);\n</script>')));
      expect((result as OnboardError).code).toBe('MFA_REJECTED');
      expect((result as OnboardError).message).toMatch(/Okta does not offer this user Google Authenticator/);
    });
  });

  it('an Entra error page (ConvergedError) ends in LOGIN_REJECTED quoting it, before typing anything there', async () => {
    const posted: string[] = [];
    const result = await run(
      azure,
      {
        'GET https://acme.pagerduty.com/sign_in': () => ({ body: PD_ONE_PAGE }),
        'GET https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2': () => ({
          body: `<!doctype html><meta name="PageID" content="ConvergedError"><div id="errorDescription">AADSTS50105: The signed in user is not assigned to a role for the application.</div>`,
        }),
      },
      posted,
    );
    expect(result).toBeInstanceOf(OnboardError);
    const error = result as OnboardError;
    expect(error.code).toBe('LOGIN_REJECTED');
    expect(error.message).toContain('AADSTS50105');
    expect(posted).toEqual([]);
  });

  it('a sign-in moved to identity.pagerduty.com that renders its form late is not taken for signed in', async () => {
    // The shared identity host's root path is also an app path elsewhere; while its script has not rendered
    // the two-step form there is nothing on screen, which must not count as "signed in".
    const identityPage = `<!doctype html><title>PagerDuty</title><div id="root"></div><script>
setTimeout(function () {
  document.getElementById('root').innerHTML = '<form method="post" action="/session"><label>Email <input type="email" name="email"></label>'
    + '<div id="pw" hidden><label>Password <input type="password" name="password"></label><button type="submit">Sign In</button></div>'
    + '<button type="button" id="next">Next</button></form>';
  document.getElementById('next').onclick = function () { document.getElementById('pw').hidden = false; this.remove(); };
}, 1500);
</script>`;
    const posted: string[] = [];
    const result = await run(
      credentials,
      {
        'GET https://acme.pagerduty.com/sign_in': () => ({ body: '', location: 'https://identity.pagerduty.com/?account=acme' }),
        'GET https://identity.pagerduty.com/': () => ({ body: identityPage }),
        'POST https://identity.pagerduty.com/session': () => ({ body: '', location: 'https://acme.pagerduty.com/incidents' }),
        'GET https://acme.pagerduty.com/incidents': () => ({ body: '<title>Incidents</title><h1>Incidents</h1>' }),
      },
      posted,
    );
    expect(result).toBe('signed-in');
    expect(posted).toEqual([`https://identity.pagerduty.com/session email=${encodeURIComponent(credentials.user)}&password=${credentials.password}`]);
  });

  it('Entra asking the user to register sign-in methods (ConvergedProofUpRedirect) is MFA_REJECTED with what to do', async () => {
    const result = await run(azure, {
      'GET https://acme.pagerduty.com/sign_in': () => ({ body: PD_ONE_PAGE }),
      'GET https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2': () => ({
        body: `<!doctype html><meta name="PageID" content="ConvergedProofUpRedirect"><title>Sign in to your account</title>
<div role="heading">More information required</div><p>Your organization needs more information to keep your account secure</p><input type="submit" id="idSubmit_ProofUp_Redirect" value="Next">`,
      }),
    });
    expect((result as OnboardError).code).toBe('MFA_REJECTED');
    expect((result as OnboardError).message).toContain('More information required');
    expect((result as OnboardError).fix).toMatch(/Sign in once in a browser/);
  });

  it('a password rejected in a way the tables do not name (a re-rendered form with an alert) is LOGIN_REJECTED', async () => {
    const result = await run(credentials, {
      'GET https://acme.pagerduty.com/sign_in': () => ({ body: PD_ONE_PAGE }),
      'POST https://acme.pagerduty.com/sign_in': () => ({ body: PD_ONE_PAGE.replace('<form', '<p class="notice-box" role="alert">That password is not valid.</p><form') }),
    });
    expect((result as OnboardError).code).toBe('LOGIN_REJECTED');
    expect((result as OnboardError).message).toContain('That password is not valid.');
  });

  it('signed in when PagerDuty lands on an app page; an unknown page after sign-in is UNRECOGNIZED_PAGE without the query', async () => {
    const signedIn = await run(credentials, {
      'GET https://acme.pagerduty.com/sign_in': () => ({ body: PD_ONE_PAGE }),
      'POST https://acme.pagerduty.com/sign_in': () => ({ body: '', location: 'https://acme.pagerduty.com/incidents?x=1' }),
      'GET https://acme.pagerduty.com/incidents': () => ({ body: '<title>Incidents</title><h1>Incidents</h1>' }),
    });
    expect(signedIn).toBe('signed-in');

    const unknown = await run(credentials, {
      'GET https://acme.pagerduty.com/sign_in': () => ({ body: PD_ONE_PAGE }),
      'POST https://acme.pagerduty.com/sign_in': () => ({ body: '', location: 'https://acme.pagerduty.com/survey?token=secret-token' }),
      'GET https://acme.pagerduty.com/survey': () => ({ body: '<h1>Tell us about you</h1><button>Continue</button>' }),
    });
    expect((unknown as OnboardError).code).toBe('UNRECOGNIZED_PAGE');
    expect((unknown as OnboardError).message).toContain('https://acme.pagerduty.com/survey');
    expect((unknown as OnboardError).message).not.toContain('secret-token');
  });

  it('a hand-back form that does not submit itself is submitted only to PagerDuty', async () => {
    const handback = (action: string) => `<!doctype html><form method="post" action="${action}"><input type="hidden" name="SAMLResponse" value="x"></form>`;
    const posted: string[] = [];
    const result = await run(
      azure,
      {
        'GET https://acme.pagerduty.com/sign_in': () => ({ body: PD_ONE_PAGE }),
        'GET https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2': () => ({ body: handback('https://evil.example/collect') }),
      },
      posted,
    );
    expect((result as OnboardError).code).toBe('UNRECOGNIZED_PAGE');
    expect((result as OnboardError).message).toContain('evil.example');
    expect(posted).toEqual([]);
  });
});
