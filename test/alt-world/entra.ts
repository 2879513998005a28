// login.microsoftonline.com in the alternative world: ConvergedSignIn (email and password in one document,
// the inactive step's inputs moved off screen), ConvergedTFA with an authenticator-app code, KmsiInterrupt,
// and the SAML response posted back to PagerDuty.
import type { Req, Reply } from './http.js';
import { cookie, esc, html, json, notFound, str, token } from './http.js';
import type { EntraTenant, World } from './world.js';
import { autoPostHtml, readAuthnRequest, samlResponse } from './world.js';
import { checkTotp } from './totp.js';

type Stage = 'signin' | 'tfa' | 'tfa-done' | 'kmsi';

interface Flow {
  tenant: EntraTenant;
  stage: Stage;
  requestId: string;
  relay: string;
  user?: string;
}

export interface EntraState {
  flows: Map<string, Flow>;
}

export function makeEntraState(): EntraState {
  return { flows: new Map() };
}

const CSS = `body{font-family:"Segoe UI",sans-serif;background:#f2f2f2;margin:0}.inner{width:440px;margin:80px auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
.form-control{width:100%;border:0;border-bottom:1px solid #666;padding:6px 0;font-size:15px}.has-error{border-bottom-color:#e81123}
.alert-error{color:#e81123}.moveOffScreen{position:fixed;bottom:0;right:0;height:0!important;width:0!important;overflow:hidden;opacity:0;filter:alpha(opacity=0)}
.win-button{min-width:108px;height:32px;margin-top:24px}[hidden]{display:none!important}`;

function rotate(st: EntraState, old: string | undefined, flow: Flow): string {
  if (old) st.flows.delete(old);
  const ft = `AQABAAEA${token(48)}`;
  st.flows.set(ft, flow);
  return ft;
}

function shell(pgid: string, title: string, config: Record<string, unknown>, body: string, script: string): string {
  const cfg = JSON.stringify({ pgid, ...config }).replace(/</g, '\\u003c');
  return `<!DOCTYPE html><html dir="ltr" class="" lang="en"><head><title>${esc(title)}</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><meta name="PageID" content="${pgid}"><meta name="SiteID" content=""><meta name="ReqLang" content="en">
<meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=2.0, user-scalable=yes"><style>${CSS}</style>
<script type="text/javascript">//<![CDATA[
$Config=${cfg};
//]]></script></head>
<body class="cb" data-bind="defineGlobals: ServerData"><div id="lightbox" class="inner">
<div class="banner-logo" role="img" aria-label="Microsoft"></div>${body}</div>
<script type="text/javascript">${script}</script></body></html>`;
}

function signInPage(flow: Flow, ft: string, opts: { step: 'email' | 'password'; user?: string; passwordError?: string }): string {
  const pwStep = opts.step === 'password';
  const body = `<form name="f1" id="i0281" novalidate spellcheck="false" method="post" target="_top" autocomplete="off" action="/${flow.tenant.tenant}/login">
<div id="loginHeader" class="row title ext-title" role="heading" aria-level="1"><div>${pwStep ? 'Enter password' : 'Sign in'}</div></div>
<div id="displayName" class="identity"${pwStep ? '' : ' hidden'}>${esc(opts.user ?? '')}</div>
<div class="row"><div role="alert" aria-live="assertive"><div id="usernameError" class="alert alert-error" hidden></div></div>
<input type="email" name="loginfmt" id="i0116" maxlength="113" lang="en" class="form-control ltr_override input ext-input text-box ext-text-box${pwStep ? ' moveOffScreen' : ''}" aria-required="true" aria-label="Email, phone, or Skype" placeholder="Email, phone, or Skype" value="${esc(opts.user ?? '')}"${pwStep ? ' tabindex="-1" aria-hidden="true"' : ''}></div>
<div class="row"><div role="alert" aria-live="assertive"><div id="passwordError" class="alert alert-error"${opts.passwordError ? '' : ' hidden'}>${esc(opts.passwordError ?? '')}</div></div>
<input name="passwd" type="password" id="i0118" autocomplete="off" class="form-control input ext-input text-box ext-text-box${pwStep ? '' : ' moveOffScreen'}${opts.passwordError ? ' has-error' : ''}" aria-required="true" placeholder="Password" aria-label="Enter the password for ${esc(opts.user ?? '')}"${pwStep ? '' : ' tabindex="-1" aria-hidden="true"'}></div>
<div id="idA_PWD_ForgotPassword"${pwStep ? '' : ' hidden'}><a href="#">Forgot my password</a></div>
<input type="hidden" name="ps" value="2"><input type="hidden" name="ctx" value="${esc(flow.requestId)}"><input type="hidden" name="flowToken" value="${ft}">
<input type="hidden" name="canary" value="${token(20)}"><input type="hidden" name="i13" value="0"><input type="hidden" name="type" value="11">
<div class="win-button-pin-bottom"><input type="submit" id="idSIButton9" class="win-button button_primary button ext-button primary ext-primary" value="${pwStep ? 'Sign in' : 'Next'}"></div>
</form>`;
  const script = `(function () {
  var step = ${JSON.stringify(opts.step)};
  var form = document.getElementById('i0281');
  var email = document.getElementById('i0116'), pw = document.getElementById('i0118'), btn = document.getElementById('idSIButton9');
  function err(id, text) { var e = document.getElementById(id); e.textContent = text; e.hidden = !text; }
  (step === 'email' ? email : pw).focus();
  form.addEventListener('submit', function (e) {
    if (step === 'password') {
      if (!pw.value) { e.preventDefault(); err('passwordError', 'Please enter your password.'); pw.classList.add('has-error'); }
      return;
    }
    e.preventDefault();
    var name = email.value.trim();
    if (!/^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$/.test(name)) { err('usernameError', 'Enter a valid email address, phone number, or Skype name.'); email.classList.add('has-error'); return; }
    btn.disabled = true;
    fetch('/common/GetCredentialType?mkt=en-US', { method: 'POST', headers: { 'Content-Type': 'application/json; charset=UTF-8', 'hpgact': '1800', 'hpgid': '1104' },
      body: JSON.stringify({ username: name, isOtherIdpSupported: true, checkPhones: false, isRemoteNGCSupported: true, flowToken: $Config.sFT }) })
      .then(function (r) { return r.json(); })
      .then(function (r) {
        btn.disabled = false;
        if (r.IfExistsResult !== 0) {
          err('usernameError', "This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.");
          email.classList.add('has-error'); return;
        }
        err('usernameError', ''); email.classList.remove('has-error');
        setTimeout(function () {
          step = 'password';
          email.classList.add('moveOffScreen'); email.setAttribute('tabindex', '-1'); email.setAttribute('aria-hidden', 'true');
          pw.classList.remove('moveOffScreen'); pw.removeAttribute('tabindex'); pw.removeAttribute('aria-hidden');
          document.querySelector('#loginHeader div').textContent = 'Enter password';
          var d = document.getElementById('displayName'); d.textContent = name; d.hidden = false;
          document.getElementById('idA_PWD_ForgotPassword').hidden = false;
          btn.value = 'Sign in';
          pw.focus();
        }, 250);
      }, function () { btn.disabled = false; err('usernameError', 'We couldn\\'t reach the server. Please try again.'); });
  });
})();`;
  return shell('ConvergedSignIn', 'Sign in to your account', { sFT: ft, sCtx: flow.requestId, urlPost: `/${flow.tenant.tenant}/login`, iMaxStackForKnockoutAsyncComponents: 10000 }, body, script);
}

function tfaPage(flow: Flow, ft: string): string {
  const body = `<form name="f1" id="i0281" novalidate method="post" action="/common/SAS/ProcessAuth">
<div id="idDiv_SAOTCC_Title" class="row text-title" role="heading" aria-level="1">Enter code</div>
<div id="idDiv_SAOTCC_Description" class="row text-body">Enter the code displayed in the Microsoft Authenticator app on your mobile device</div>
<div class="row"><div id="idDiv_SAOTCC_ErrorMsg_OTC" class="alert alert-error" role="alert" hidden><span id="idSpan_SAOTCC_Error_OTC"></span></div>
<input name="otc" type="tel" id="idTxtBx_SAOTCC_OTC" class="form-control" maxlength="6" autocomplete="off" placeholder="Code" aria-label="Code"></div>
<div class="row"><label><input type="checkbox" id="idChkBx_SAOTCC_TD" name="rememberMFA" value="true"> Don't ask again for 90 days</label></div>
<input type="hidden" name="type" value="19"><input type="hidden" name="GeneralVerify" value="false"><input type="hidden" name="request" value="${esc(flow.requestId)}">
<input type="hidden" name="mfaAuthMethod" value="PhoneAppOTP"><input type="hidden" name="login" value="${esc(flow.user ?? '')}">
<input type="hidden" name="flowToken" value="${ft}"><input type="hidden" name="canary" value="${token(20)}">
<input type="submit" id="idSubmit_SAOTCC_Continue" class="win-button button_primary button ext-button primary" value="Verify">
<div><a id="signInAnotherWay" href="#">I can't use my Microsoft Authenticator app right now</a></div>
</form>`;
  const script = `(function () {
  var form = document.getElementById('i0281'), otc = document.getElementById('idTxtBx_SAOTCC_OTC'), btn = document.getElementById('idSubmit_SAOTCC_Continue');
  var ft = form.querySelector('input[name=flowToken]');
  function err(text) { document.getElementById('idSpan_SAOTCC_Error_OTC').textContent = text; document.getElementById('idDiv_SAOTCC_ErrorMsg_OTC').hidden = !text; otc.classList.toggle('has-error', !!text); }
  otc.focus();
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var code = otc.value.replace(/\\s/g, '');
    if (!/^\\d{6}$/.test(code)) { err('Please enter the 6-digit code. The code only contains numbers.'); return; }
    btn.disabled = true; err('');
    fetch('/common/SAS/EndAuth', { method: 'POST', headers: { 'Content-Type': 'application/json; charset=UTF-8' },
      body: JSON.stringify({ Method: 'EndAuth', AuthMethodId: 'PhoneAppOTP', SessionId: $Config.sessionId, FlowToken: ft.value, Ctx: $Config.sCtx, AdditionalAuthData: code, PollCount: 1 }) })
      .then(function (r) { return r.json(); })
      .then(function (r) {
        if (r.FlowToken) ft.value = r.FlowToken;
        if (r.Success) { form.submit(); return; }
        btn.disabled = false; otc.value = '';
        err(r.Message || "You didn't enter the expected verification code. Please try again.");
      }, function () { btn.disabled = false; err('We couldn\\'t reach the server. Please try again.'); });
  });
})();`;
  return shell('ConvergedTFA', 'Sign in to your account', { sFT: ft, sCtx: flow.requestId, sessionId: token(12), urlPost: '/common/SAS/ProcessAuth', iDefaultProof: 'PhoneAppOTP' }, body, script);
}

function kmsiPage(flow: Flow, ft: string): string {
  const body = `<form name="f1" id="i0281" novalidate method="post" action="/kmsi">
<div id="kmsiTitle" class="row text-title" role="heading" aria-level="1">Stay signed in?</div>
<div id="KmsiDescription" class="row text-body">Do this to reduce the number of times you are asked to sign in.</div>
<div class="row"><label><input type="checkbox" name="DontShowAgain" id="KmsiCheckboxField"> Don't show this again</label></div>
<input type="hidden" name="LoginOptions" value="3"><input type="hidden" name="type" value="28"><input type="hidden" name="ctx" value="${esc(flow.requestId)}">
<input type="hidden" name="flowToken" value="${ft}"><input type="hidden" name="canary" value="${token(20)}">
<div class="win-button-pin-bottom"><input type="button" id="idBtn_Back" class="win-button button-secondary button ext-button secondary" value="No">
<input type="submit" id="idSIButton9" class="win-button button_primary button ext-button primary" value="Yes"></div>
</form>`;
  const script = `(function () {
  var form = document.getElementById('i0281');
  document.getElementById('idBtn_Back').addEventListener('click', function () { form.LoginOptions.value = '3'; form.submit(); });
  form.addEventListener('submit', function () { form.LoginOptions.value = '1'; });
})();`;
  return shell('KmsiInterrupt', 'Sign in to your account', { sFT: ft, sCtx: flow.requestId }, body, script);
}

function errorPage(message: string): Reply {
  return html(shell('ConvergedError', 'Sign in to your account', {}, `<div id="service_exception_message" class="row text-body">${esc(message)}</div>`, ''), 400);
}

export function handleEntra(world: World, st: EntraState, req: Req): Reply {
  const saml = /^\/([0-9a-f-]{36})\/saml2$/.exec(req.path);
  if (req.method === 'GET' && saml) {
    const tenant = world.entra.find((t) => t.tenant === saml[1]);
    if (!tenant) return errorPage(`AADSTS90002: Tenant '${saml[1]}' not found.`);
    const request = readAuthnRequest(req.query.get('SAMLRequest') ?? '');
    if (!request || request.issuer !== `https://${tenant.account.host}`) return errorPage('AADSTS750054: SAMLRequest or SAMLResponse must be present as query string parameters in HTTP request for SAML Redirect binding.');
    const flow: Flow = { tenant, stage: 'signin', requestId: request.id, relay: req.query.get('RelayState') ?? '' };
    return html(signInPage(flow, rotate(st, undefined, flow), { step: 'email' }));
  }
  if (req.method !== 'POST') return notFound();

  if (req.path === '/common/GetCredentialType') {
    const flow = st.flows.get(str(req.body.flowToken));
    const known = !!flow && str(req.body.username).toLowerCase() === flow.tenant.account.user.toLowerCase();
    return json({ Username: str(req.body.username), Display: str(req.body.username), IfExistsResult: known ? 0 : 1, IsUnmanaged: false, ThrottleStatus: 0, Credentials: { PrefCredential: 1, HasPassword: true }, FlowToken: str(req.body.flowToken) });
  }

  const login = /^\/([0-9a-f-]{36})\/login$/.exec(req.path);
  if (login) {
    const old = str(req.body.flowToken);
    const flow = st.flows.get(old);
    if (!flow || flow.stage !== 'signin' || flow.tenant.tenant !== login[1]) return errorPage('AADSTS90015: Your session has expired. Please sign in again.');
    const account = flow.tenant.account;
    const user = str(req.body.loginfmt);
    if (user.toLowerCase() !== account.user.toLowerCase() || str(req.body.passwd) !== account.password) {
      return html(signInPage(flow, rotate(st, old, flow), {
        step: 'password', user,
        passwordError: "Your account or password is incorrect. If you don't remember your password, reset it now.",
      }));
    }
    flow.user = account.user;
    flow.stage = 'tfa';
    return html(tfaPage(flow, rotate(st, old, flow)));
  }

  if (req.path === '/common/SAS/EndAuth') {
    const old = str(req.body.FlowToken);
    const flow = st.flows.get(old);
    if (!flow || flow.stage !== 'tfa') return json({ Success: false, ResultValue: 'InvalidSession', Message: 'Your session has expired. Please sign in again.' });
    const secret = flow.tenant.account.mfaSecret!;
    const result = checkTotp(secret, str(req.body.AdditionalAuthData), world.lastCounter.get(secret) ?? -1);
    if (!result.ok) {
      return json({
        Success: false, ResultValue: result.reason === 'reused' ? 'OathCodeDuplicate' : 'OathCodeIncorrect', FlowToken: old,
        Message: result.reason === 'reused'
          ? "You've already used this verification code. Wait for a new code and try again."
          : "You didn't enter the expected verification code. Please try again.",
      });
    }
    world.lastCounter.set(secret, result.counter);
    flow.stage = 'tfa-done';
    return json({ Success: true, ResultValue: 'Success', FlowToken: rotate(st, old, flow) });
  }

  if (req.path === '/common/SAS/ProcessAuth') {
    const old = str(req.body.flowToken);
    const flow = st.flows.get(old);
    if (!flow || flow.stage !== 'tfa-done') return errorPage('AADSTS50076: Due to a configuration change made by your administrator, you must use multi-factor authentication.');
    flow.stage = 'kmsi';
    return html(kmsiPage(flow, rotate(st, old, flow)));
  }

  if (req.path === '/kmsi') {
    const old = str(req.body.flowToken);
    const flow = st.flows.get(old);
    if (!flow || flow.stage !== 'kmsi') return errorPage('AADSTS90015: Your session has expired. Please sign in again.');
    st.flows.delete(old);
    const account = flow.tenant.account;
    const acs = `https://${account.host}/sso/saml/consume`;
    const response = samlResponse(world, { inResponseTo: flow.requestId, acs, audience: `https://${account.host}`, nameId: account.user, issuer: `https://sts.windows.net/${flow.tenant.tenant}/` });
    const persistent = str(req.body.LoginOptions) === '1';
    return html(autoPostHtml(acs, { SAMLResponse: response, RelayState: flow.relay }, 'entra'), 200, [cookie(persistent ? 'ESTSAUTHPERSISTENT' : 'ESTSAUTH', token(32))]);
  }
  return notFound();
}
