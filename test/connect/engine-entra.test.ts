// The engine on canned Entra pages (served by request interception, no server): markup choices the sandbox
// does not make, where a wrong guess would type a secret into the wrong field or onto the wrong host.
import { describe, expect, it } from 'vitest';
import { OnboardError } from '../../src/core/errors.js';
import type { ResolvedInstance } from '../../src/cli/inputs.js';
import { useCannedBrowser, type CannedRoute as Route } from '../helpers/canned-flow.js';

const canned = useCannedBrowser();

const TENANT = '00000000-0000-0000-0000-000000000000';
const azure: ResolvedInstance = {
  name: 'acme', subdomain: 'acme', region: 'us', loginMethod: 'azure', user: 'megan@acme.example', password: 'canned-pw-123', okta: null,
  mfa: { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', digits: 6, period: 30, algorithm: 'sha1' },
};
const pdPage = (idpUrl: string) => `<!doctype html><title>Sign In | PagerDuty</title><form method="post" action="/sign_in">
<input id="user_email" name="user[email]" type="email"><input id="user_password" name="user[password]" type="password">
<input type="submit" name="commit" value="Sign In"></form><a href="${idpUrl}">Sign In With Your Identity Provider</a>`;

/** Runs the flow; `posted` gets "<url> <body>" of every POST, in order. */
async function run(routes: Record<string, Route>, posted: string[]): Promise<OnboardError | 'signed-in'> {
  const { result, trail } = await canned.run(azure, routes);
  posted.push(...trail.posted);
  return result;
}

describe('engine on canned Entra pages', () => {
  it('types the email, not the password, while the email input is the visible one (the password input visible too)', async () => {
    // An email step whose password input is on screen as well (no moveOffScreen): the password state must not
    // fire, or the password would be typed before Entra even knows the user.
    const signIn = `<!doctype html><meta name="PageID" content="ConvergedSignIn"><title>Sign in to your account</title>
<form id="f" method="post" action="/${TENANT}/login">
<input type="email" name="loginfmt" id="i0116"><input type="password" name="passwd" id="i0118">
<input type="submit" id="idSIButton9" value="Next"></form><script>
var step = 'email';
document.getElementById('f').addEventListener('submit', function (event) {
  if (step !== 'email') return;
  event.preventDefault();
  var email = document.getElementById('i0116'), pass = document.getElementById('i0118');
  fetch('/common/GetCredentialType', { method: 'POST', body: JSON.stringify({ username: email.value, passwordTyped: pass.value !== '' }) })
    .then(function () { step = 'password'; email.style.display = 'none'; document.getElementById('idSIButton9').value = 'Sign in'; });
});
</script>`;
    const posted: string[] = [];
    const result = await run(
      {
        'GET https://acme.pagerduty.com/sign_in': () => ({ body: pdPage(`https://login.microsoftonline.com/${TENANT}/saml2?SAMLRequest=abc`) }),
        [`GET https://login.microsoftonline.com/${TENANT}/saml2`]: () => ({ body: signIn }),
        'POST https://login.microsoftonline.com/common/GetCredentialType': () => ({ body: '{}', type: 'application/json' }),
        [`POST https://login.microsoftonline.com/${TENANT}/login`]: () => ({ body: '', location: 'https://acme.pagerduty.com/incidents' }),
        'GET https://acme.pagerduty.com/incidents': () => ({ body: '<title>Incidents</title><h1>Incidents</h1>' }),
      },
      posted,
    );
    expect(result).toBe('signed-in');
    expect(posted).toEqual([
      `https://login.microsoftonline.com/common/GetCredentialType ${JSON.stringify({ username: azure.user, passwordTyped: false })}`,
      `https://login.microsoftonline.com/${TENANT}/login loginfmt=${encodeURIComponent(azure.user)}&passwd=${azure.password}`,
    ]);
  });

  it('a registration page with only a skip link (SkipMfaRegistration) is skipped; #iCancel elsewhere is not taken for one', async () => {
    const nudge = `<!doctype html><meta name="PageID" content="ConvergedProofUpRedirect"><title>Sign in to your account</title>
<div role="heading">Let's keep your account secure</div>
<form method="post" action="/${TENANT}/ProofUpRedirect"><input type="submit" id="idSubmit_ProofUp_Redirect" value="Next"></form>
<a href="/${TENANT}/skip" data-bind="click: SkipMfaRegistration">Skip for now (14 days until this is required)</a>`;
    const posted: string[] = [];
    const skipped = await run(
      {
        'GET https://acme.pagerduty.com/sign_in': () => ({ body: pdPage(`https://login.microsoftonline.com/${TENANT}/saml2?SAMLRequest=abc`) }),
        [`GET https://login.microsoftonline.com/${TENANT}/saml2`]: () => ({ body: nudge }),
        [`GET https://login.microsoftonline.com/${TENANT}/skip`]: () => ({ body: '', location: 'https://acme.pagerduty.com/incidents' }),
        'GET https://acme.pagerduty.com/incidents': () => ({ body: '<title>Incidents</title><h1>Incidents</h1>' }),
      },
      posted,
    );
    expect(skipped).toBe('signed-in');
    expect(posted, 'Next (registration) never pressed').toEqual([]);

    // A page that merely has an element with id iCancel is not a registration nudge: unrecognized, nothing clicked.
    const other = await run(
      {
        'GET https://acme.pagerduty.com/sign_in': () => ({ body: pdPage(`https://login.microsoftonline.com/${TENANT}/saml2?SAMLRequest=abc`) }),
        [`GET https://login.microsoftonline.com/${TENANT}/saml2`]: () => ({ body: '<!doctype html><h1>Something else</h1><a id="iCancel" href="/x">Cancel</a>' }),
      },
      posted,
    );
    expect((other as OnboardError).code).toBe('UNRECOGNIZED_PAGE');
  });

  it('an IdP link to a Defender for Cloud Apps proxy host stops before typing, naming the proxy', async () => {
    const posted: string[] = [];
    const result = await run(
      {
        'GET https://acme.pagerduty.com/sign_in': () => ({ body: pdPage(`https://login.microsoftonline.com.mcas.ms/${TENANT}/saml2?SAMLRequest=abc`) }),
        [`GET https://login.microsoftonline.com.mcas.ms/${TENANT}/saml2`]: () => ({
          body: '<!doctype html><meta name="PageID" content="ConvergedSignIn"><form method="post" action="/x"><input type="email" name="loginfmt"><input type="submit" id="idSIButton9" value="Next"></form>',
        }),
      },
      posted,
    );
    expect((result as OnboardError).code).toBe('UNRECOGNIZED_PAGE');
    expect((result as OnboardError).message).toMatch(/^Stopped before typing anything on login\.microsoftonline\.com\.mcas\.ms: .*Defender for Cloud Apps/);
    expect(posted).toEqual([]);
  });
});
