// Emulated Microsoft Entra ID sign-in (login.microsoftonline.com) for SP-initiated SAML: ConvergedSignIn
// (email and password steps in one document, the inactive input kept with class moveOffScreen),
// ConvergedTFA (code, or push with number matching and "sign in another way"), KmsiInterrupt, then the
// SAML HTTP-POST back to PagerDuty. Facts from /work/shared/docs/login-pages.md; guesses marked NOT CONFIRMED.
import type { ServerResponse } from 'node:http';
import {
  type Request, type SandboxState, SessionStore, checkCode, clearFailures, escapeHtml, isLocked, recordFailure, safeEqual,
  redirect, scriptJson, sendHtml, sendJson, token,
} from './core.js';
import { autoPostPage, decodeAuthnRequest, encodeResponse } from './saml.js';
import { ENTRA_TENANTS, type EntraTenant, type EntraUser, pdHost } from './world.js';

export const ENTRA_HOST = 'login.microsoftonline.com';
/** Where a Defender for Cloud Apps session proxy puts the sign-in (mcas-proxy fault). NOT CONFIRMED: the exact
 *  host form; public reports show hosts under *.mcas.ms (aws-azure-login #323). */
export const ENTRA_MCAS_HOST = 'login-microsoftonline-com.mcas.ms';
// From weaker sources (see login-pages.md).
export const ENTRA_WRONG_CODE = "You didn't enter the expected verification code. Please try again.";
// NOT CONFIRMED (widely quoted, no citable repository): the other texts.
export const ENTRA_WRONG_PASSWORD = "Your account or password is incorrect. If you don't remember your password, reset it now.";
export const ENTRA_UNKNOWN_USER = 'This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.';
export const ENTRA_LOCKED = 'Your account is temporarily locked to prevent unauthorized use. Try again later, and if you still have trouble, contact your admin.';
// NOT CONFIRMED: Entra reports a re-used code (OathCodeDuplicate) with the same text as a wrong one.
export const ENTRA_REUSED_CODE = ENTRA_WRONG_CODE;

interface EntraTx {
  tenant: string;
  samlRequest: string;
  relayState: string | null;
  stage: 'signin' | 'tfa' | 'proof-up' | 'kmsi' | 'cmsi';
  username?: string;
  pushNumber?: number;
}

interface EntraSession {
  tenant: string;
  username: string;
}

const STYLE = `<style>
body{font-family:"Segoe UI","Helvetica Neue",Arial,sans-serif;background:#f2f2f2;margin:0;color:#1b1b1b}
#lightbox{width:440px;margin:80px auto;background:#fff;padding:44px;box-shadow:0 2px 6px #0003;box-sizing:border-box}
.title{font-size:24px;font-weight:600;margin:16px 0 12px}
.form-control{width:100%;box-sizing:border-box;border:0;border-bottom:1px solid #666;padding:6px 0;font-size:15px;margin-bottom:16px}
.has-error{border-bottom-color:#e81123}.alert-error{color:#e81123;font-size:15px;margin-bottom:8px}
.moveOffScreen{position:fixed;bottom:0;left:0;height:0!important;width:0!important;overflow:hidden;opacity:0;padding:0!important;border:0!important;margin:0!important}
.button_primary,.primary{background:#0067b8;color:#fff;border:0;min-width:108px;padding:6px 12px;font-size:15px;cursor:pointer}
.secondary{background:#ccc;border:0;min-width:108px;padding:6px 12px;font-size:15px;cursor:pointer}
.displaySign{font-size:40px;font-weight:600;text-align:center;margin:20px 0}
.tile{border-bottom:1px solid #ddd}.tile [role=button]{padding:12px 0;cursor:pointer}
.hidden{display:none}
</style>`;

function head(pageId: string, title: string, config: Record<string, unknown>): string {
  return `<!DOCTYPE html>
<html dir="ltr" class="" lang="en"><head>
<title>${escapeHtml(title)}</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=2.0, user-scalable=yes">
<meta name="PageID" content="${pageId}">
<meta name="SiteID" content="">
<meta name="ReqLang" content="en">
<meta name="LocLang" content="en">
<meta name="robots" content="none">
<script type="text/javascript">//<![CDATA[
$Config=${scriptJson({ pgid: pageId, ...config })};
//]]></script>
${STYLE}
</head>`;
}

export function createEntra(state: SandboxState) {
  // flowToken (hidden field) -> transaction; NOT CONFIRMED: real Entra keeps more state in ctx/flowToken.
  const flows = new Map<string, EntraTx>();
  // NOT CONFIRMED: ESTSAUTH is Entra's well-known session cookie; its lifetime here is arbitrary.
  const sessions = new SessionStore<EntraSession>('ESTSAUTH', 8 * 60 * 60 * 1000, 'None');

  const findTenant = (id: string) => ENTRA_TENANTS.find((t) => t.tenant === id.toLowerCase());
  const findUser = (tenant: EntraTenant, username: string | undefined) =>
    tenant.users.find((u) => u.username.toLowerCase() === (username ?? '').trim().toLowerCase());
  const lockKey = (tenant: EntraTenant, username: string) => `entra:${tenant.tenant}:${username.trim().toLowerCase()}`;

  function newFlow(tx: EntraTx): string {
    const flowToken = token(48);
    flows.set(flowToken, tx);
    return flowToken;
  }

  function signInPage(tenant: EntraTenant, flowToken: string, view: 'username' | 'password', username: string, error: { field: 'username' | 'password'; text: string } | null): string {
    const onPassword = view === 'password';
    const usernameError = error?.field === 'username' ? error.text : '';
    const passwordError = error?.field === 'password' ? error.text : '';
    // Confirmed: PageID/pgid ConvergedSignIn, input[name=loginfmt]#i0116, input[name=passwd]#i0118, #idSIButton9 for
    // Next and Sign in, the inactive input keeps class moveOffScreen, .has-error + .alert-error (#usernameError,
    // #passwordError). NOT CONFIRMED: the rest of the markup, the form id and the hidden fields' names.
    return `${head('ConvergedSignIn', 'Sign in to your account', {
      urlPost: `/${tenant.tenant}/login`, urlGetCredentialType: `https://${ENTRA_HOST}/common/GetCredentialType?mkt=en-US`,
      sFT: flowToken, sCtx: flowToken.slice(0, 16), iDefaultView: onPassword ? 2 : 1, sErrTxt: error?.text ?? '',
    })}
<body class="cb" style="display: block;">
<form name="f1" id="i0281" novalidate="novalidate" spellcheck="false" method="post" target="_top" autocomplete="off" action="/${tenant.tenant}/login">
<div class="login-paginated-page"><div id="lightbox" class="sign-in-box ext-sign-in-box fade-in-lightbox">
<div class="logo" role="img" aria-label="Microsoft">Microsoft</div>
<div id="identityBanner" class="identityBanner${onPassword ? '' : ' hidden'}"><div id="displayName" class="identity">${escapeHtml(username)}</div></div>
<div role="heading" aria-level="1" class="row title ext-title" id="loginHeader"><div>${onPassword ? 'Enter password' : 'Sign in'}</div></div>
<div id="usernameError" class="alert alert-error${usernameError ? '' : ' hidden'}" role="alert" aria-live="assertive">${escapeHtml(usernameError)}</div>
<input type="email" name="loginfmt" id="i0116" maxlength="113" lang="en" class="form-control ltr_override input ext-input text-box ext-text-box${onPassword ? ' moveOffScreen' : ''}${usernameError ? ' has-error' : ''}" aria-required="true" aria-describedby="loginHeader usernameError" placeholder="Email, phone, or Skype" aria-label="Enter your email, phone, or Skype." value="${escapeHtml(username)}"${onPassword ? ' tabindex="-1" aria-hidden="true"' : ''}>
<div id="passwordError" class="alert alert-error${passwordError ? '' : ' hidden'}" role="alert" aria-live="assertive">${escapeHtml(passwordError)}</div>
<input name="passwd" type="password" id="i0118" autocomplete="off" class="form-control input ext-input text-box ext-text-box${onPassword ? '' : ' moveOffScreen'}${passwordError ? ' has-error' : ''}" aria-required="true" placeholder="Password" aria-label="Enter the password for ${escapeHtml(username)}"${onPassword ? '' : ' tabindex="-1" aria-hidden="true"'}>
<div id="idDiv_PWD_ForgotPassword" class="${onPassword ? '' : 'hidden'}"><a id="idA_PWD_ForgotPassword" href="#">Forgot my password</a></div>
<input type="hidden" name="flowToken" value="${escapeHtml(flowToken)}">
<input type="hidden" name="ctx" value="${escapeHtml(flowToken.slice(0, 16))}">
<input type="hidden" name="i13" value="0">
<div id="accountTypeView" class="hidden">
<div class="row text-body">It looks like this email is used with more than one account from Microsoft. Which one do you want to use?</div>
<div class="tile" role="listitem"><div id="aadTile" role="button" tabindex="0">Work or school account<br><small>Created by your IT department</small></div></div>
<div class="tile" role="listitem"><div id="msaTile" role="button" tabindex="0">Personal account<br><small>Created by you</small></div></div>
</div>
<div id="credentialPickerView" class="hidden">
<div id="credentialList" role="list">
<div class="tile" role="listitem"><div data-test-cred-id="fido" role="button" tabindex="0">Face, fingerprint, PIN or security key</div></div>
<div class="tile" role="listitem"><div data-test-cred-id="remotengc" role="button" tabindex="0">Approve a request on my Microsoft Authenticator app</div></div>
<div class="tile" role="listitem"><div data-test-cred-id="password" role="button" tabindex="0">Use my password</div></div>
</div></div>
<div id="remoteNgcView" class="hidden">
<div id="idDiv_RemoteNGC_PollingDescription" class="row text-body">Open your Authenticator app, and enter the number shown to sign in.</div>
<div id="idRemoteNGC_DisplaySign" class="displaySign"></div>
<div class="row"><a id="idA_PWD_SwitchToPassword" href="#">Use your password instead</a></div>
<div class="row"><a id="idA_PWD_SwitchToCredPicker" href="#">Other ways to sign in</a></div>
</div>
<div id="primaryButtonRow" class="inline-block button-item ext-button-item"><input type="submit" id="idSIButton9" class="win-button button_primary high-contrast-overrides button ext-button primary ext-primary" value="${onPassword ? 'Sign in' : 'Next'}"></div>
</div></div>
</form>
<script type="text/javascript">
(function () {
  var view = $Config.iDefaultView === 2 ? 'password' : 'username';
  var form = document.getElementById('i0281');
  var user = document.getElementById('i0116');
  var pass = document.getElementById('i0118');
  var button = document.getElementById('idSIButton9');
  function show(id, text) { var el = document.getElementById(id); el.textContent = text; el.classList.toggle('hidden', !text); }
  function offScreen(input, off) {
    input.classList.toggle('moveOffScreen', off);
    if (off) { input.setAttribute('tabindex', '-1'); input.setAttribute('aria-hidden', 'true'); }
    else { input.removeAttribute('tabindex'); input.removeAttribute('aria-hidden'); }
  }
  var heading = document.querySelector('#loginHeader div');
  var views = ['accountTypeView', 'credentialPickerView', 'remoteNgcView'];
  // Shows one of the extra views (or none: the password step), with the email parked off screen as Entra does.
  function showView(id, title) {
    views.forEach(function (v) { document.getElementById(v).classList.toggle('hidden', v !== id); });
    document.getElementById('primaryButtonRow').classList.toggle('hidden', Boolean(id));
    heading.textContent = title;
  }
  function toPassword() {
    showView(null, 'Enter password');
    view = 'password';
    offScreen(pass, false);
    document.getElementById('idDiv_PWD_ForgotPassword').classList.remove('hidden');
    button.value = 'Sign in';
    pass.focus();
  }
  // After the account type: passwordless phone sign-in, the credential picker, or the password.
  function afterAccountType(credentials) {
    if (credentials.RemoteNgcParams) {
      document.getElementById('idRemoteNGC_DisplaySign').textContent = String(credentials.RemoteNgcParams.DisplaySign);
      showView('remoteNgcView', 'Approve sign in request');
    } else if (credentials.PrefCredential === 7) {
      showView('credentialPickerView', 'Choose a way to sign in');
    } else {
      toPassword();
    }
  }
  function onTile(id, handler) {
    document.getElementById(id).addEventListener('click', function (event) { event.preventDefault(); handler(); });
  }
  var lastCredentials = null;
  onTile('aadTile', function () { afterAccountType(lastCredentials); });
  onTile('msaTile', function () { location.href = 'https://login.live.com/'; });
  onTile('idA_PWD_SwitchToPassword', toPassword);
  onTile('idA_PWD_SwitchToCredPicker', function () { showView('credentialPickerView', 'Choose a way to sign in'); });
  document.getElementById('credentialList').addEventListener('click', function (event) {
    var tile = event.target.closest && event.target.closest('[data-test-cred-id]');
    if (tile && tile.getAttribute('data-test-cred-id') === 'password') toPassword();
  });
  form.addEventListener('submit', function (event) {
    if (view === 'chooser') { event.preventDefault(); return; }
    if (view === 'password') {
      if (!pass.value) { event.preventDefault(); pass.classList.add('has-error'); show('passwordError', 'Please enter your password.'); }
      return;
    }
    event.preventDefault();
    var name = user.value.trim();
    if (!/^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$/.test(name)) {
      user.classList.add('has-error'); show('usernameError', 'Enter a valid email address, phone number, or Skype name.'); return;
    }
    button.disabled = true;
    fetch($Config.urlGetCredentialType, { method: 'POST', headers: { 'Content-Type': 'application/json; charset=UTF-8' },
      body: JSON.stringify({ username: name, isOtherIdpSupported: true, flowToken: $Config.sFT }) })
      .then(function (r) { return r.json(); })
      .then(function (result) {
        button.disabled = false;
        if (result.IfExistsResult !== 0 && result.IfExistsResult !== 6) { user.classList.add('has-error'); show('usernameError', ${scriptJson(ENTRA_UNKNOWN_USER)}); return; }
        user.classList.remove('has-error'); show('usernameError', '');
        view = 'chooser';
        offScreen(user, true);
        document.getElementById('displayName').textContent = name;
        document.getElementById('identityBanner').classList.remove('hidden');
        lastCredentials = result.Credentials;
        if (result.IfExistsResult === 6) showView('accountTypeView', 'Pick an account');
        else afterAccountType(result.Credentials);
      })
      .catch(function () { button.disabled = false; show('usernameError', 'Something went wrong. Please try again.'); });
  });
})();
</script>
</body></html>`;
  }

  function codeView(flowToken: string, error: string): string {
    // Confirmed: input[name=otc]#idTxtBx_SAOTCC_OTC, #idSubmit_SAOTCC_Continue, #idDiv_SAOTCC_Description,
    // #idSpan_SAOTCC_Error_OTC. NOT CONFIRMED: title and the rest.
    return `<div id="idDiv_SAOTCC_Title" role="heading" aria-level="1" class="row title">Enter code</div>
<div id="idDiv_SAOTCC_Description" class="row text-body">Enter the code displayed in the authenticator app on your mobile device</div>
<div id="idDiv_SAOTCC_ErrorMsg_OTC" class="row"><span id="idSpan_SAOTCC_Error_OTC" class="error alert-error${error ? '' : ' hidden'}" role="alert">${escapeHtml(error)}</span></div>
<input name="otc" type="tel" id="idTxtBx_SAOTCC_OTC" class="form-control input ext-input text-box ext-text-box${error ? ' has-error' : ''}" autocomplete="off" aria-required="true" placeholder="Code" aria-label="Code" maxlength="6">
<input type="hidden" name="mfaAuthMethod" value="PhoneAppOTP">
<input type="hidden" name="flowToken" value="${escapeHtml(flowToken)}">
<div class="row"><input type="submit" id="idSubmit_SAOTCC_Continue" class="win-button button_primary button ext-button primary ext-primary" value="Verify"></div>`;
  }

  function tfaPage(flowToken: string, tx: EntraTx, user: EntraUser, mode: 'code' | 'push' | 'push-denied' | 'push-timeout', error: string): string {
    const proofs = `<div id="idDiv_SAOTCS_Title" role="heading" aria-level="1" class="row title">Verify your identity</div>
<div id="idDiv_SAOTCS_Proofs" class="tile-container" role="list">
<div class="row tile" role="listitem"><div class="table" role="button" tabindex="0" data-value="PhoneAppNotification">Approve a request on my Microsoft Authenticator app</div></div>
<div class="row tile" role="listitem"><div class="table" role="button" tabindex="0" data-value="PhoneAppOTP">Use a verification code</div></div>
</div>`;
    const push = `<div id="idDiv_SAOTCAS_Title" role="heading" aria-level="1" class="row title">Approve sign in request</div>
<div id="idDiv_SAOTCAS_Description" class="row text-body">Open your Authenticator app, and enter the number shown to sign in.</div>
<div id="idRichContext_DisplaySign" class="displaySign" aria-live="assertive">${tx.pushNumber ?? 0}</div>
<div class="row text-body">No numbers in your app? Make sure to upgrade to the latest version.</div>`;
    // Confirmed ids: #idDiv_SAASDS_Description (denied), #idDiv_SAASTO_Description (timed out). NOT CONFIRMED: texts,
    // and that the answer can come before the page shows the number (here it does, so a client cannot race it).
    const ended = mode === 'push-denied'
      ? `<div id="idDiv_SAASDS_Title" role="heading" aria-level="1" class="row title">Request denied</div>
<div id="idDiv_SAASDS_Description" class="row text-body">We sent an identity verification request to your mobile device, but you denied it.</div>`
      : `<div id="idDiv_SAASTO_Title" role="heading" aria-level="1" class="row title">We didn't hear from you</div>
<div id="idDiv_SAASTO_Description" class="row text-body">We sent an identity verification request to your mobile device, but we didn't hear from you in time.</div>`;
    const body = mode === 'code' ? codeView(flowToken, error) : mode === 'push' ? push : ended;
    // Confirmed: #idDiv_SAOTCAS_Description, #idRichContext_DisplaySign. NOT CONFIRMED (no citable repository):
    // #signInAnotherWay -> #idDiv_SAOTCS_Proofs -> div[data-value="PhoneAppOTP"]; here they are rendered in
    // place by script, like the real page does, so the code input exists only once chosen.
    return `${head('ConvergedTFA', 'Sign in to your account', { urlPost: '/common/SAS/ProcessAuth', sFT: flowToken, defaultProof: mode === 'push' ? 'PhoneAppNotification' : 'PhoneAppOTP' })}
<body class="cb">
<form name="f1" id="i0281" method="post" action="/common/SAS/ProcessAuth" autocomplete="off" novalidate>
<div id="lightbox">
<div class="logo" role="img" aria-label="Microsoft">Microsoft</div>
<div class="identityBanner"><div id="displayName" class="identity">${escapeHtml(user.username)}</div></div>
<div id="tfaView">${body}</div>
<div class="row"><a id="signInAnotherWay" href="#" role="link">${mode === 'code' ? 'Having trouble? Sign in another way' : "I can't use my Microsoft Authenticator app right now"}</a></div>
</div>
</form>
<template id="proofsTemplate">${proofs}</template>
<template id="codeTemplate">${codeView(flowToken, '')}</template>
<script type="text/javascript">
(function () {
  var view = document.getElementById('tfaView');
  function render(id) { view.innerHTML = ''; view.appendChild(document.getElementById(id).content.cloneNode(true)); }
  document.getElementById('signInAnotherWay').addEventListener('click', function (event) {
    event.preventDefault();
    render('proofsTemplate');
    this.parentNode.classList.add('hidden');
  });
  view.addEventListener('click', function (event) {
    var tile = event.target.closest && event.target.closest('[data-value]');
    if (!tile) return;
    if (tile.getAttribute('data-value') === 'PhoneAppOTP') { render('codeTemplate'); document.getElementById('idTxtBx_SAOTCC_OTC').focus(); }
    else { render('proofsTemplate'); }
  });
})();
</script>
</body></html>`;
  }

  function kmsiPage(flowToken: string): string {
    // Confirmed: #KmsiDescription, Yes #idSIButton9, No #idBtn_Back. NOT CONFIRMED: texts, LoginOptions values.
    return `${head('KmsiInterrupt', 'Sign in to your account', { urlPost: '/kmsi', sFT: flowToken })}
<body class="cb">
<form name="f1" id="i0281" method="post" action="/kmsi" novalidate>
<div id="lightbox">
<div class="logo" role="img" aria-label="Microsoft">Microsoft</div>
<div role="heading" aria-level="1" class="row title">Stay signed in?</div>
<div id="KmsiDescription" class="row text-body">Stay signed in so you don't have to sign in again next time.</div>
<div id="KmsiCheckboxField" class="row"><label><input type="checkbox" name="DontShowAgain" id="KmsiCheckbox"> Don't show this again</label></div>
<input type="hidden" name="LoginOptions" value="1">
<input type="hidden" name="flowToken" value="${escapeHtml(flowToken)}">
<div class="row">
<input type="button" id="idBtn_Back" class="win-button button-secondary button ext-button secondary ext-secondary" value="No">
<input type="submit" id="idSIButton9" class="win-button button_primary button ext-button primary ext-primary" value="Yes">
</div></div>
</form>
<script type="text/javascript">
document.getElementById('idBtn_Back').addEventListener('click', function () {
  var form = document.getElementById('i0281'); form.elements.LoginOptions.value = '3'; form.submit();
});
</script>
</body></html>`;
  }

  function proofUpPage(tenant: EntraTenant, flowToken: string, skippable: boolean): string {
    // Confirmed: PageID ConvergedProofUpRedirect, "Ask later" #btnAskLater (login-pages.md). NOT CONFIRMED: texts,
    // the Next button's id, the form's action and fields.
    const title = skippable ? "Let's keep your account secure" : 'More information required';
    return `${head('ConvergedProofUpRedirect', 'Sign in to your account', { urlPost: `/${tenant.tenant}/ProofUpRedirect`, sFT: flowToken, fShowSkip: skippable })}
<body class="cb">
<form name="f1" id="i0281" method="post" action="/${tenant.tenant}/ProofUpRedirect" novalidate>
<div id="lightbox">
<div class="logo" role="img" aria-label="Microsoft">Microsoft</div>
<div role="heading" aria-level="1" class="row title">${title}</div>
<div class="row text-body">${skippable ? "We'll help you set up another way to verify it's you." : 'Your organization needs more information to keep your account secure'}</div>
<input type="hidden" name="flowToken" value="${escapeHtml(flowToken)}">
<input type="hidden" name="action" value="register">
<div class="row">
${skippable ? '<input type="button" id="btnAskLater" class="win-button button-secondary button ext-button secondary" value="Ask later">' : ''}
<input type="submit" id="idSubmit_ProofUp_Redirect" class="win-button button_primary button ext-button primary ext-primary" value="Next">
</div></div>
</form>
<script type="text/javascript">
var later = document.getElementById('btnAskLater');
if (later) later.addEventListener('click', function () { var form = document.getElementById('i0281'); form.elements.action.value = 'skip'; form.submit(); });
</script>
</body></html>`;
  }

  function cmsiPage(flowToken: string): string {
    // Confirmed: PageID CmsiInterrupt, #appConfirmTitle, continue with the primary button. NOT CONFIRMED: texts,
    // the primary button's id (the usual #idSIButton9), the form's action.
    return `${head('CmsiInterrupt', 'Sign in to your account', { urlPost: '/appverify', sFT: flowToken })}
<body class="cb">
<form name="f1" id="i0281" method="post" action="/appverify" novalidate>
<div id="lightbox">
<div class="logo" role="img" aria-label="Microsoft">Microsoft</div>
<div id="appConfirmTitle" role="heading" aria-level="1" class="row title">Continue to sign in?</div>
<div id="appConfirmDescription" class="row text-body">Only continue if you started this sign-in yourself, on a site you trust.</div>
<input type="hidden" name="flowToken" value="${escapeHtml(flowToken)}">
<div class="row">
<input type="button" id="idBtn_Back" class="win-button button-secondary button ext-button secondary" value="Cancel">
<input type="submit" id="idSIButton9" class="win-button button_primary button ext-button primary ext-primary" value="Continue">
</div></div>
</form>
<script type="text/javascript">
document.getElementById('idBtn_Back').addEventListener('click', function () { location.href = 'https://login.microsoftonline.com/common/cancelled'; });
</script>
</body></html>`;
  }

  function errorPage(res: ServerResponse, status: number, message: string): void {
    sendHtml(res, status, `${head('ConvergedError', 'Sign in to your account', {})}<body class="cb"><div id="lightbox">
<div role="heading" aria-level="1" class="row title">Sorry, but we're having trouble signing you in.</div>
<div id="service_exception_message" class="row text-body">${escapeHtml(message)}</div></div></body></html>`);
  }

  function samlPost(res: ServerResponse, tenant: EntraTenant, samlRequest: string, relayState: string | null, user: EntraUser): void {
    const request = decodeAuthnRequest(samlRequest)!;
    const app = tenant.apps.find((a) => `https://${pdHost(a.pdSubdomain, a.region)}` === request.issuer)!;
    const spHost = pdHost(app.pdSubdomain, app.region);
    const acs = `https://${spHost}/sso/saml/consume`;
    const samlResponse = encodeResponse({
      key: state.samlKey, issuer: `https://sts.windows.net/${tenant.tenant}/`, inResponseTo: request.id, destination: acs,
      audience: `https://${spHost}`, nameId: user.nameId,
    });
    sendHtml(res, 200, autoPostPage({ title: 'Working...', formId: 'hiddenform', acs, samlResponse, relayState }));
  }

  function flowFrom(req: Request): { flowToken: string; tx: EntraTx; tenant: EntraTenant } | null {
    const flowToken = req.form.get('flowToken') ?? (typeof req.json?.flowToken === 'string' ? req.json.flowToken : '');
    const tx = flowToken ? flows.get(flowToken) : undefined;
    const tenant = tx ? findTenant(tx.tenant) : undefined;
    return tx && tenant ? { flowToken, tx, tenant } : null;
  }

  async function handle(req: Request, res: ServerResponse): Promise<boolean> {
    // The Defender for Cloud Apps proxy passes the same pages through under its own host.
    if (req.host !== ENTRA_HOST && req.host !== ENTRA_MCAS_HOST) return false;

    const saml = /^\/([0-9a-f-]{36})\/saml2$/i.exec(req.path);
    if (saml && req.method === 'GET' && state.faults.mcasProxy && req.host === ENTRA_HOST) {
      return redirect(res, `https://${ENTRA_MCAS_HOST}${req.path}?${req.query.toString()}`), true;
    }
    if (saml && req.method === 'GET') {
      const tenant = findTenant(saml[1]!);
      const samlRequest = req.query.get('SAMLRequest') ?? '';
      const decoded = decodeAuthnRequest(samlRequest);
      if (!tenant) return errorPage(res, 400, `AADSTS90002: Tenant '${saml[1]}' not found.`), true;
      const known = decoded && tenant.apps.some((a) => decoded.issuer === `https://${pdHost(a.pdSubdomain, a.region)}` && decoded.acs === `${decoded.issuer}/sso/saml/consume`);
      if (!known) return errorPage(res, 400, 'AADSTS700016: Application was not found in the directory.'), true;
      const session = sessions.find(req);
      const sessionUser = session && session.tenant === tenant.tenant ? findUser(tenant, session.username) : undefined;
      if (sessionUser) return samlPost(res, tenant, samlRequest, req.query.get('RelayState'), sessionUser), true;
      const flowToken = newFlow({ tenant: tenant.tenant, samlRequest, relayState: req.query.get('RelayState'), stage: 'signin' });
      sendHtml(res, 200, signInPage(tenant, flowToken, 'username', '', null));
      return true;
    }

    if (req.method === 'POST' && req.path === '/common/GetCredentialType') {
      const flow = flowFrom(req);
      const username = typeof req.json?.username === 'string' ? req.json.username : '';
      const exists = flow ? findUser(flow.tenant, username) !== undefined : false;
      // NOT CONFIRMED: IfExistsResult 6 (a work and a personal account share the email), PrefCredential 7 (show the
      // credential picker) and RemoteNgcParams (passwordless phone sign-in) as the signals for the extra screens.
      const screens = state.faults.entra;
      const credentials = {
        PrefCredential: screens.passwordless ? 4 : screens.credentialPicker ? 7 : 1,
        HasPassword: true,
        RemoteNgcParams: screens.passwordless ? { DisplaySign: 10 + Math.floor(Math.random() * 90) } : null,
      };
      const ifExists = !exists ? 1 : screens.accountPicker ? 6 : 0;
      sendJson(res, 200, { Username: username, Display: username, IfExistsResult: ifExists, ThrottleStatus: 0, Credentials: credentials });
      return true;
    }

    const login = /^\/([0-9a-f-]{36})\/login$/i.exec(req.path);
    if (login && req.method === 'POST') {
      const flow = flowFrom(req);
      if (!flow || flow.tx.stage !== 'signin') return errorPage(res, 400, 'AADSTS90015: The flow token is invalid or expired. Please sign in again.'), true;
      const { tx, tenant, flowToken } = flow;
      const username = (req.form.get('loginfmt') ?? '').trim();
      const user = findUser(tenant, username);
      if (!user) return sendHtml(res, 200, signInPage(tenant, flowToken, 'username', username, { field: 'username', text: ENTRA_UNKNOWN_USER })), true;
      const key = lockKey(tenant, username);
      if (isLocked(state, key)) return sendHtml(res, 200, signInPage(tenant, flowToken, 'password', username, { field: 'password', text: ENTRA_LOCKED })), true;
      if (!safeEqual(user.password, req.form.get('passwd') ?? '')) {
        recordFailure(state, key);
        const text = isLocked(state, key) ? ENTRA_LOCKED : ENTRA_WRONG_PASSWORD;
        return sendHtml(res, 200, signInPage(tenant, flowToken, 'password', username, { field: 'password', text })), true;
      }
      tx.stage = 'tfa';
      tx.username = user.username;
      tx.pushNumber = 10 + Math.floor(Math.random() * 90);
      const screens = state.faults.entra;
      const push = screens.pushDenied ? 'push-denied' : screens.pushTimeout ? 'push-timeout' : 'push';
      sendHtml(res, 200, tfaPage(flowToken, tx, user, user.defaultMethod === 'PhoneAppNotification' ? push : 'code', ''));
      return true;
    }

    if (req.method === 'POST' && req.path === '/common/SAS/ProcessAuth') {
      const flow = flowFrom(req);
      if (!flow || flow.tx.stage !== 'tfa') return errorPage(res, 400, 'AADSTS90015: The flow token is invalid or expired. Please sign in again.'), true;
      const { tx, tenant, flowToken } = flow;
      const user = findUser(tenant, tx.username)!;
      const key = lockKey(tenant, user.username);
      let error: string;
      if (isLocked(state, key)) {
        error = ENTRA_LOCKED;
      } else {
        const result = checkCode(state, `entra:${tenant.tenant}:${user.username}`, user.totpSecret, req.form.get('otc') ?? '');
        if (result === 'ok') {
          clearFailures(state, key);
          const screens = state.faults.entra;
          if (screens.nudge || screens.proofUp) {
            tx.stage = 'proof-up';
            sendHtml(res, 200, proofUpPage(tenant, flowToken, !screens.proofUp));
            return true;
          }
          tx.stage = 'kmsi';
          sendHtml(res, 200, kmsiPage(flowToken));
          return true;
        }
        recordFailure(state, key);
        error = isLocked(state, key) ? ENTRA_LOCKED : result === 'reused' ? ENTRA_REUSED_CODE : ENTRA_WRONG_CODE;
      }
      sendHtml(res, 200, tfaPage(flowToken, tx, user, 'code', error));
      return true;
    }

    const proofUp = /^\/([0-9a-f-]{36})\/ProofUpRedirect$/i.exec(req.path);
    if (proofUp && req.method === 'POST') {
      const flow = flowFrom(req);
      if (!flow || flow.tx.stage !== 'proof-up') return errorPage(res, 400, 'AADSTS90015: The flow token is invalid or expired. Please sign in again.'), true;
      // Registering needs a person at mysignins.microsoft.com (not emulated); skipping is allowed only on the nudge.
      if (req.form.get('action') !== 'skip' || state.faults.entra.proofUp) return redirect(res, 'https://mysignins.microsoft.com/register'), true;
      flow.tx.stage = 'kmsi';
      sendHtml(res, 200, kmsiPage(flow.flowToken));
      return true;
    }

    if (req.method === 'POST' && req.path === '/kmsi') {
      const flow = flowFrom(req);
      if (!flow || flow.tx.stage !== 'kmsi') return errorPage(res, 400, 'AADSTS90015: The flow token is invalid or expired. Please sign in again.'), true;
      const { tx, tenant, flowToken } = flow;
      const user = findUser(tenant, tx.username)!;
      sessions.create(req, res, { tenant: tenant.tenant, username: user.username });
      if (state.faults.entra.cmsi) {
        tx.stage = 'cmsi';
        sendHtml(res, 200, cmsiPage(flowToken));
        return true;
      }
      flows.delete(flowToken);
      samlPost(res, tenant, tx.samlRequest, tx.relayState, user);
      return true;
    }

    if (req.method === 'POST' && req.path === '/appverify') {
      const flow = flowFrom(req);
      if (!flow || flow.tx.stage !== 'cmsi') return errorPage(res, 400, 'AADSTS90015: The flow token is invalid or expired. Please sign in again.'), true;
      const { tx, tenant, flowToken } = flow;
      flows.delete(flowToken);
      samlPost(res, tenant, tx.samlRequest, tx.relayState, findUser(tenant, tx.username)!);
      return true;
    }

    errorPage(res, 404, 'AADSTS900561: The endpoint only accepts POST requests, or the page does not exist.');
    return true;
  }

  return { handle };
}
