// Emulated Okta org: the Sign-In Widget's Classic engine and Identity Engine, rendered on the server with the
// widget's DOM (the real widget renders with JS; ids, names, classes and data-se match the real one).
// Facts from /work/shared/docs/login-pages.md; every guess is marked NOT CONFIRMED.
import type { ServerResponse } from 'node:http';
import {
  type Request, type SandboxState, SessionStore, checkCode, clearFailures, escapeHtml, isLocked, recordFailure, redirect,
  safeEqual, sendHtml,
} from './core.js';
import { autoPostPage, decodeAuthnRequest, encodeResponse } from './saml.js';
import { createWidgetSite, widgetAssets } from './okta-widget.js';
import { OKTA_ORGS, type OktaOrg, type OktaUser, pdHost } from './world.js';

// Confirmed texts.
export const OKTA_UNABLE = 'Unable to sign in';
export const OKTA_WRONG_CODE = "Your code doesn't match our records. Please try again.";
export const OKTA_REUSED_CODE = 'Each code can only be used once. Please wait for a new code and try again.';
export const OKTA_WRONG_PASSWORD = 'Password is incorrect';
// NOT CONFIRMED: the locked-out text.
export const OKTA_LOCKED = 'Your account is locked. Please contact your administrator.';

const GOOGLE_TOTP_ROUTE = '/signin/verify/google/token:software:totp';
const OKTA_PUSH_ROUTE = '/signin/verify/okta/push';

interface OktaTx {
  fromURI: string;
  stage: 'primary' | 'mfa' | 'identify' | 'password' | 'select' | 'challenge';
  username?: string;
  authenticator?: 'google_otp' | 'okta_verify-push' | 'okta_verify-totp';
  pushSent?: boolean;
  error?: string;
  fieldError?: string;
}

interface OktaSession {
  username: string;
}

const OKTA_DOMAINS = ['okta.com', 'oktapreview.com', 'okta-emea.com'] as const;

export function parseOktaHost(host: string): { org: string; domain: (typeof OKTA_DOMAINS)[number] } | null {
  for (const domain of OKTA_DOMAINS) {
    const m = new RegExp(`^([a-z0-9][a-z0-9-]*)\\.${domain.replace(/\./g, '\\.')}$`).exec(host);
    if (m) return { org: m[1]!, domain };
  }
  return null;
}

function errorBox(message: string | undefined): string {
  const inner = message
    ? `<div><div class="okta-form-infobox-error infobox infobox-error" role="alert"><span class="icon error-16"></span><p>${escapeHtml(message)}</p></div></div>`
    : '';
  return `<div class="o-form-error-container${message ? ' o-form-has-errors' : ''}" data-se="o-form-error-container" role="alert">${inner}</div>`;
}

function fieldError(message: string | undefined): string {
  return message
    ? `<p class="okta-form-input-error o-form-input-error o-form-explain" role="alert"><span class="icon icon-16 error-16-small"></span>${escapeHtml(message)}</p>`
    : '';
}

function field(name: string, id: string, label: string, type: string, autocomplete: string, error?: string, value = ''): string {
  return `<div data-se="o-form-fieldset-${escapeHtml(name)}" class="o-form-fieldset o-form-label-top${error ? ' o-form-has-errors' : ''}">
<div data-se="o-form-label" class="okta-form-label o-form-label"><label for="${id}">${escapeHtml(label)}</label></div>
<div data-se="o-form-input-container" class="o-form-input"><span data-se="o-form-input-${escapeHtml(name)}" class="o-form-input-name-${escapeHtml(name)} input-fix">
<input type="${type}" placeholder="" name="${escapeHtml(name)}" id="${id}" value="${escapeHtml(value)}" aria-label="" autocomplete="${autocomplete}"${error ? ' aria-invalid="true"' : ''}>
</span>${fieldError(error)}</div></div>`;
}

function widgetPage(title: string, org: { displayName: string }, engine: 'classic' | 'identity-engine', beacon: string, content: string): string {
  const mainClass = engine === 'classic' ? `auth-container main-container${beacon ? '' : ' no-beacon'}` : 'auth-container main-container siw-main-view';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex,nofollow">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:"proxima nova",Arial,Helvetica,sans-serif;background:#f9f9f9;margin:0;color:#1d1d21}
#okta-sign-in{width:400px;margin:60px auto;background:#fff;border:1px solid #ddd;border-radius:3px;box-shadow:0 2px 0 #0000000d}
.auth-header{padding:30px 90px 40px;border-bottom:1px solid #ddd;text-align:center;position:relative}
.auth-org-logo{max-height:40px}.auth-content{padding:20px 42px}
.okta-form-title{text-align:center;font-size:16px;margin:10px 0 20px}
.o-form-fieldset{margin-bottom:15px}.o-form-input input[type=text],.o-form-input input[type=password]{width:100%;box-sizing:border-box;height:40px;padding:6px 8px;border:1px solid #8c8c96}
.button-primary{display:block;width:100%;height:40px;background:#1662dd;color:#fff;border:0;border-radius:3px;font-size:14px;cursor:pointer;text-align:center;line-height:40px;text-decoration:none}
.infobox-error{background:#fff;border:1px solid #e34843;padding:10px;margin-bottom:15px}.o-form-input-error{color:#d93934;font-size:13px}
.authenticator-row{display:flex;border-bottom:1px solid #ddd;padding:10px 0}.authenticator-description{flex:1}.select-factor{display:inline-block;padding:4px 14px;border:1px solid #1662dd;border-radius:3px;text-decoration:none}
.factors-dropdown-wrap{position:absolute;left:50%;transform:translateX(-50%);bottom:-18px;background:#fff}
.option-selected{display:inline-block;border:1px solid #ddd;padding:4px 8px;background:#fff}
#okta-dropdown-options{position:absolute;background:#fff;border:1px solid #ddd;z-index:10;min-width:220px}
#okta-dropdown-options ul{list-style:none;margin:0;padding:0}#okta-dropdown-options li a{display:block;padding:8px}
.auth-footer{margin-top:14px;font-size:13px}.auth-footer a{display:block;margin-top:6px}
</style></head>
<body class="auth okta-container">
<div id="okta-login-container">
<main id="okta-sign-in" class="${mainClass}" data-se="auth-container" tabindex="-1">
<div class="okta-sign-in-header auth-header">
<h1><img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='120' height='40'/%3E" class="auth-org-logo" alt="${escapeHtml(org.displayName)} logo"></h1>
<div data-type="beacon-container" class="beacon-container">${beacon}</div>
</div>
<div class="auth-content"><div class="auth-content-inner">
${content}
</div></div>
</main>
</div>
</body></html>`;
}

export function createOkta(state: SandboxState) {
  // NOT CONFIRMED: cookie names (JSESSIONID for the sign-in transaction, sid for the Okta session).
  const txs = new SessionStore<OktaTx>('JSESSIONID', 60 * 60 * 1000);
  const sessions = new SessionStore<OktaSession>('sid', 2 * 60 * 60 * 1000, 'None');

  const findUser = (org: OktaOrg, username: string | undefined): OktaUser | undefined =>
    org.users.find((u) => u.username.toLowerCase() === (username ?? '').trim().toLowerCase());
  const lockKey = (org: OktaOrg, username: string) => `okta:${org.org}.${org.domain}:${username.trim().toLowerCase()}`;

  // Orgs on the vendor's widget (okta-widget.ts), when its package is installed; else the hand-written pages.
  const widgetSite = createWidgetSite(state, {
    findUser,
    lockKey,
    startSession(req, res, org, user, fromURI) {
      clearFailures(state, lockKey(org, user.username));
      txs.destroy(req, res);
      sessions.create(req, res, { username: user.username });
      redirect(res, fromURI, 302);
    },
  });
  const servesWidget = (org: OktaOrg) => (org.frontEnd ?? 'hand-written') !== 'hand-written' && widgetAssets() !== null;

  function factorIds(user: OktaUser) {
    const slug = user.username.replace(/[^a-z0-9]/gi, '').slice(0, 10);
    return { google: `uftsbx${slug}`, push: `opfsbx${slug}` };
  }

  // ---------- Classic engine ----------
  function classicPrimary(org: OktaOrg, tx: OktaTx): string {
    // Confirmed: #okta-signin-username[name=username], #okta-signin-password[name=password], #okta-signin-submit
    // "Sign In", errors in .okta-form-infobox-error. NOT CONFIRMED: the form action (the real widget calls
    // /api/v1/authn with JSON), the remember-me checkbox id, the footer.
    return widgetPage(`${org.displayName} - Sign In`, org, 'classic', '', `<div class="primary-auth">
<form method="POST" action="/api/v1/authn" data-se="o-form" slot="content" id="form19" class="primary-auth-form o-form o-form-edit-mode">
<div data-se="o-form-content" class="o-form-content o-form-theme clearfix">
<h2 data-se="o-form-head" class="okta-form-title o-form-head">Sign In</h2>
${errorBox(tx.error)}
<div class="o-form-fieldset-container" data-se="o-form-fieldset-container">
${field('username', 'okta-signin-username', 'Username', 'text', 'username', undefined, tx.username ?? '')}
${field('password', 'okta-signin-password', 'Password', 'password', 'current-password')}
<div data-se="o-form-fieldset" class="o-form-fieldset o-form-label-top margin-btm-0"><div class="custom-checkbox"><input type="checkbox" name="remember" id="input41"><label for="input41">Remember me</label></div></div>
</div></div>
<div class="o-form-button-bar"><input class="button button-primary" type="submit" value="Sign In" id="okta-signin-submit" data-type="save"></div>
</form>
<div class="auth-footer"><a href="#" data-se="needhelp" aria-expanded="false" class="link help js-help">Need help signing in?</a></div>
</div>`);
  }

  function classicFactorBeacon(user: OktaUser, selected: 'google_otp' | 'okta_verify'): string {
    const label = selected === 'google_otp' ? 'Google Authenticator' : 'Okta Verify';
    const icon = selected === 'google_otp' ? 'mfa-google-auth' : 'mfa-okta-verify';
    if (user.factors.length < 2) {
      return `<div class="beacon-blank auth-beacon"><div class="bg-helper auth-beacon auth-beacon-factor ${icon}" data-se="factor-beacon"></div></div>`;
    }
    const options = user.factors
      .map((f) => f === 'okta_verify'
        ? `<li class="factor-option"><a title="Okta Verify" href="${OKTA_PUSH_ROUTE}"><span class="factor-icon mfa-okta-verify-30"></span><span class="factor-option-text">Okta Verify</span></a></li>`
        : `<li class="factor-option"><a title="Google Authenticator" href="${GOOGLE_TOTP_ROUTE}"><span class="factor-icon mfa-google-auth-30"></span><span class="factor-option-text">Google Authenticator</span></a></li>`)
      .join('');
    // Confirmed: a.option-selected opens #okta-dropdown-options; li.factor-option a titled by factor name.
    return `<div class="beacon-blank auth-beacon"><div class="bg-helper auth-beacon auth-beacon-factor ${icon}" data-se="factor-beacon"></div>
<div class="factors-dropdown-wrap">
<a href="#" class="link-button link-button-icon option-selected" aria-expanded="false" aria-label="Select authentication factor"><span class="icon factor-icon ${icon}"></span><span class="option-selected-text">${label}</span><span class="icon-dm"></span></a>
<div id="okta-dropdown-options" class="options-wrap" style="display:none"><ul class="okta-dropdown-list options-wrap">${options}</ul></div>
</div></div>
<script>
document.querySelector('a.option-selected').addEventListener('click', function (event) {
  event.preventDefault();
  var menu = document.getElementById('okta-dropdown-options');
  var open = menu.style.display === 'none';
  menu.style.display = open ? 'block' : 'none';
  this.setAttribute('aria-expanded', String(open));
});
</script>`;
  }

  function classicTotp(org: OktaOrg, user: OktaUser, tx: OktaTx): string {
    // Confirmed: [data-se="factor-totp"], input[name="answer"] ("Enter Code"), "Verify" button.
    return widgetPage(`${org.displayName} - Google Authenticator`, org, 'classic', classicFactorBeacon(user, 'google_otp'), `<div class="mfa-verify-totp">
<form method="POST" action="/api/v1/authn/factors/${factorIds(user).google}/verify" data-se="factor-totp" class="mfa-verify-totp o-form o-form-edit-mode">
<div data-se="o-form-content" class="o-form-content o-form-theme clearfix">
<h2 data-se="o-form-head" class="okta-form-title o-form-head">Google Authenticator</h2>
<p class="okta-form-subtitle o-form-explain" data-se="o-form-explain">Enter your Google Authenticator passcode</p>
${errorBox(tx.error)}
<div class="o-form-fieldset-container" data-se="o-form-fieldset-container">
${field('answer', 'input69', 'Enter Code', 'text', 'one-time-code')}
</div></div>
<div class="o-form-button-bar"><input class="button button-primary" type="submit" value="Verify" data-type="save"></div>
</form>
<div class="auth-footer"><a href="/login/login.htm?cancel=1" data-se="signout-link" class="link goto js-goto">Back to sign in</a></div>
</div>`);
  }

  function classicPush(org: OktaOrg, user: OktaUser, tx: OktaTx): string {
    // NOT CONFIRMED: the Okta Verify push form's details; a push is never approved in the sandbox.
    const button = tx.pushSent
      ? `<input class="button button-primary link-button-disabled" type="submit" value="Push sent!" data-type="save" disabled>`
      : `<input class="button button-primary" type="submit" value="Send Push" data-type="save">`;
    return widgetPage(`${org.displayName} - Okta Verify`, org, 'classic', classicFactorBeacon(user, 'okta_verify'), `<div class="mfa-verify">
<form method="POST" action="/api/v1/authn/factors/${factorIds(user).push}/verify" data-se="factor-push" class="mfa-verify o-form o-form-edit-mode">
<div data-se="o-form-content" class="o-form-content o-form-theme clearfix">
<h2 data-se="o-form-head" class="okta-form-title o-form-head">Okta Verify (${escapeHtml(user.username)})</h2>
${errorBox(tx.error)}
</div>
<div class="o-form-button-bar">${button}</div>
</form>
<div class="auth-footer"><a href="/login/login.htm?cancel=1" data-se="signout-link" class="link goto js-goto">Back to sign in</a></div>
</div>`);
  }

  // ---------- Identity Engine ----------
  function ieForm(action: string, title: string, subtitle: string | null, tx: OktaTx, fields: string, submit: string | null, footer: string): string {
    return `<form novalidate method="POST" action="${action}" data-se="o-form" class="ion-form o-form o-form-edit-mode">
<div data-se="o-form-content" class="o-form-content o-form-theme clearfix">
<h2 data-se="o-form-head" class="okta-form-title o-form-head">${escapeHtml(title)}</h2>
${subtitle ? `<p class="okta-form-subtitle o-form-explain" data-se="o-form-explain">${escapeHtml(subtitle)}</p>` : ''}
${errorBox(tx.error)}
<div class="o-form-fieldset-container" data-se="o-form-fieldset-container">${fields}</div></div>
${submit === null ? '' : `<div class="o-form-button-bar"><input class="button button-primary" type="submit" value="${escapeHtml(submit)}" data-type="save"></div>`}
</form>
<div class="auth-footer">${footer}</div>`;
  }

  const ieCancel = `<a data-se="cancel" href="/login/login.htm?cancel=1" class="link js-cancel">Back to sign in</a>`;
  const ieSwitch = `<a data-se="switchAuthenticator" href="/login/login.htm?switch=1" class="link js-switchAuthenticator">Verify with something else</a>`;

  function iePage(org: OktaOrg, tx: OktaTx): string {
    const user = findUser(org, tx.username);
    const title = `${org.displayName} - Sign In`;
    switch (tx.stage) {
      case 'password':
        return widgetPage(title, org, 'identity-engine', '', ieForm('/idp/idx/challenge/answer', 'Verify with your password', null, tx,
          field('credentials.passcode', 'input59', 'Password', 'password', 'current-password', tx.fieldError), 'Verify',
          `<a data-se="forgot-password" href="#" class="link js-forgot-password">Forgot password?</a>${ieCancel}`));
      case 'select': {
        // Confirmed: .authenticator-list .authenticator-row, .authenticator-button[data-se=key], a.button.select-factor
        // "Select", the title. Okta Verify sorts first. NOT CONFIRMED: the descriptions and the hidden form.
        const rows: string[] = [];
        for (const factor of user?.factors ?? []) {
          if (factor === 'okta_verify') {
            rows.push(authenticatorRow('okta_verify-totp', 'mfa-okta-verify', 'Okta Verify', 'Enter a code'));
            rows.push(authenticatorRow('okta_verify-push', 'mfa-okta-verify', 'Okta Verify', 'Get a push notification'));
          } else {
            rows.push(authenticatorRow('google_otp', 'mfa-google-auth', 'Google Authenticator', 'Enter a code'));
          }
        }
        return widgetPage(title, org, 'identity-engine', '', `<form novalidate method="POST" action="/idp/idx/challenge" data-se="o-form" id="select-authenticator-form" class="ion-form o-form o-form-edit-mode select-authenticator-authenticate">
<div data-se="o-form-content" class="o-form-content o-form-theme clearfix">
<h2 data-se="o-form-head" class="okta-form-title o-form-head">Verify it's you with a security method</h2>
<p class="okta-form-subtitle o-form-explain" data-se="o-form-explain">Select from the following options</p>
${errorBox(tx.error)}
<input type="hidden" name="authenticator" value="">
<div class="o-form-fieldset-container" data-se="o-form-fieldset-container"><div class="authenticator-list"><div class="list-content">${rows.join('\n')}</div></div></div>
</div></form>
<div class="auth-footer">${ieCancel}</div>
<script>
document.querySelectorAll('a.select-factor').forEach(function (link) {
  link.addEventListener('click', function (event) {
    event.preventDefault();
    var form = document.getElementById('select-authenticator-form');
    form.elements.authenticator.value = link.closest('.authenticator-button').getAttribute('data-se');
    form.submit();
  });
});
</script>`);
      }
      case 'challenge':
        if (tx.authenticator === 'okta_verify-push') {
          return widgetPage(title, org, 'identity-engine', '', ieForm('/idp/idx/authenticators/poll', 'Get a push notification', null, tx,
            `<div class="okta-verify-push-challenge"><p class="okta-verify-send-push-form">Push notification sent</p></div>`, null, `${ieSwitch}${ieCancel}`));
        }
        if (tx.authenticator === 'okta_verify-totp') {
          return widgetPage(title, org, 'identity-engine', '', ieForm('/idp/idx/challenge/answer', 'Enter a code', 'Enter code from Okta Verify app', tx,
            field('credentials.totp', 'input72', 'Enter code', 'text', 'one-time-code', tx.fieldError), 'Verify', `${ieSwitch}${ieCancel}`));
        }
        return widgetPage(title, org, 'identity-engine', '', ieForm('/idp/idx/challenge/answer', 'Verify with Google Authenticator',
          'Enter the temporary code generated in your Google Authenticator app', tx,
          field('credentials.passcode', 'input77', 'Enter code', 'text', 'one-time-code', tx.fieldError), 'Verify', `${ieSwitch}${ieCancel}`));
      default:
        // Confirmed: input[name="identifier"], submit input[data-type="save"] "Next".
        return widgetPage(title, org, 'identity-engine', '', ieForm('/idp/idx/identify', 'Sign In', null, tx,
          `${field('identifier', 'input28', 'Username', 'text', 'username', tx.fieldError, tx.username ?? '')}
<div data-se="o-form-fieldset-rememberMe" class="o-form-fieldset o-form-label-top"><div class="custom-checkbox"><input type="checkbox" name="rememberMe" id="input36"><label for="input36">Keep me signed in</label></div></div>`,
          'Next', `<a data-se="help" href="#" class="link js-help">Help</a>`));
    }
  }

  function authenticatorRow(key: string, icon: string, label: string, description: string): string {
    return `<div class="authenticator-row clearfix">
<div class="authenticator-icon-container"><div class="factor-icon authenticator-icon ${icon}" role="img" aria-label="${escapeHtml(label)}"></div></div>
<div class="authenticator-description">
<h3 class="authenticator-label no-translate">${escapeHtml(label)}</h3>
<p class="authenticator-description--text">${escapeHtml(description)}</p>
<div class="authenticator-button" data-se="${key}"><a data-se="button" class="button select-factor link-button" tabindex="0" aria-label="Select ${escapeHtml(label)}." href="#">Select</a></div>
</div></div>`;
  }

  // ---------- shared ----------
  function samlPost(res: ServerResponse, org: OktaOrg, appId: string, samlRequest: string, relayState: string | null, username: string): void {
    const app = org.apps.find((a) => a.appId === appId)!;
    const request = decodeAuthnRequest(samlRequest)!;
    const user = findUser(org, username)!;
    const spHost = pdHost(app.pdSubdomain, app.region);
    const acs = `https://${spHost}/sso/saml/consume`;
    const samlResponse = encodeResponse({
      key: state.samlKey, issuer: `http://www.okta.com/${app.appId}`, inResponseTo: request.id, destination: acs,
      audience: `https://${spHost}`, nameId: user.nameId,
    });
    sendHtml(res, 200, autoPostPage({ title: `${org.displayName} - Signing in...`, formId: 'appForm', acs, samlResponse, relayState }));
  }

  function finish(req: Request, res: ServerResponse, org: OktaOrg, tx: OktaTx, user: OktaUser): void {
    clearFailures(state, lockKey(org, user.username));
    txs.destroy(req, res);
    sessions.create(req, res, { username: user.username });
    redirect(res, tx.fromURI, 303);
  }

  function startTx(req: Request, res: ServerResponse, org: OktaOrg, fromURI: string | null): OktaTx {
    const safe = fromURI && fromURI.startsWith('/') && !fromURI.startsWith('//') ? fromURI : '/app/UserHome';
    return txs.create(req, res, { fromURI: safe, stage: org.engine === 'classic' ? 'primary' : 'identify' });
  }

  function consumeErrors(tx: OktaTx): OktaTx {
    const view = { ...tx };
    delete tx.error;
    delete tx.fieldError;
    return view;
  }

  async function handle(req: Request, res: ServerResponse): Promise<boolean> {
    const parsed = parseOktaHost(req.host);
    if (!parsed) return false;
    if (parsed.org.startsWith('evil-')) {
      phishingPage(req, res);
      return true;
    }
    const org = OKTA_ORGS.find((o) => o.org === parsed.org && o.domain === parsed.domain);
    if (!org) {
      // NOT CONFIRMED: what an unknown Okta org answers.
      sendHtml(res, 404, `<!DOCTYPE html><html><head><title>Not Found</title></head><body><h1>404 - Not Found</h1><p>The Okta organization ${escapeHtml(req.host)} does not exist.</p></body></html>`);
      return true;
    }

    const samlRoute = /^\/app\/([^/]+)\/([^/]+)\/sso\/saml$/.exec(req.path);
    if (samlRoute && req.method === 'GET') {
      const app = org.apps.find((a) => a.appName === samlRoute[1] && a.appId === samlRoute[2]);
      const samlRequest = req.query.get('SAMLRequest') ?? '';
      const decoded = decodeAuthnRequest(samlRequest);
      const spHost = app ? pdHost(app.pdSubdomain, app.region) : '';
      if (!app || !decoded || decoded.issuer !== `https://${spHost}` || decoded.acs !== `https://${spHost}/sso/saml/consume`) {
        sendHtml(res, 400, widgetPage(`${org.displayName} - Error`, org, org.engine, '', `<h2 class="okta-form-title">Sorry, you can't access this app</h2><p id="saml-error">The SAML request is not valid for this app.</p>`));
        return true;
      }
      const session = sessions.find(req);
      if (session) {
        samlPost(res, org, app.appId, samlRequest, req.query.get('RelayState'), session.username);
      } else {
        redirect(res, `/login/login.htm?fromURI=${encodeURIComponent(`${req.path}?${req.query.toString()}`)}`);
      }
      return true;
    }

    if (servesWidget(org) && widgetSite.handle(req, res, org)) return true;

    if (req.method === 'GET' && req.path === '/login/login.htm') {
      let tx = txs.find(req);
      if (!tx || req.query.has('fromURI') || req.query.has('cancel')) {
        tx = startTx(req, res, org, req.query.get('fromURI') ?? tx?.fromURI ?? null);
      }
      if (org.engine === 'classic') {
        if (tx.stage !== 'primary') tx.stage = 'primary';
        sendHtml(res, 200, classicPrimary(org, consumeErrors(tx)));
      } else {
        if (req.query.has('switch') && tx.stage === 'challenge') tx.stage = 'select';
        sendHtml(res, 200, iePage(org, consumeErrors(tx)));
      }
      return true;
    }

    if (req.method === 'GET' && req.path === '/app/UserHome') {
      const session = sessions.find(req);
      if (!session) return redirect(res, '/login/login.htm?fromURI=%2Fapp%2FUserHome'), true;
      sendHtml(res, 200, widgetPage(`${org.displayName} - My Apps`, org, org.engine, '', `<h2 class="okta-form-title">My Apps</h2><p>Signed in as ${escapeHtml(session.username)}</p>`));
      return true;
    }

    const tx = txs.find(req);
    if (org.engine === 'classic') return classicRoutes(req, res, org, tx);
    return ieRoutes(req, res, org, tx);
  }

  function classicRoutes(req: Request, res: ServerResponse, org: OktaOrg, tx: OktaTx | null): boolean {
    const user = tx ? findUser(org, tx.username) : undefined;
    if (req.method === 'POST' && req.path === '/api/v1/authn') {
      if (!tx) return redirect(res, '/login/login.htm', 303), true;
      const username = (req.form.get('username') ?? '').trim();
      const password = req.form.get('password') ?? '';
      tx.username = username;
      const key = lockKey(org, username);
      const candidate = findUser(org, username);
      if (isLocked(state, key)) {
        tx.error = OKTA_LOCKED;
      } else if (!candidate || !safeEqual(candidate.password, password)) {
        recordFailure(state, key);
        tx.error = isLocked(state, key) ? OKTA_LOCKED : OKTA_UNABLE;
      } else {
        tx.stage = 'mfa';
        return redirect(res, candidate.factors[0] === 'okta_verify' ? OKTA_PUSH_ROUTE : GOOGLE_TOTP_ROUTE, 303), true;
      }
      return redirect(res, '/login/login.htm', 303), true;
    }
    if (req.method === 'GET' && (req.path === GOOGLE_TOTP_ROUTE || req.path === OKTA_PUSH_ROUTE)) {
      if (!tx || tx.stage !== 'mfa' || !user) return redirect(res, '/login/login.htm'), true;
      const view = consumeErrors(tx);
      const wantsPush = req.path === OKTA_PUSH_ROUTE;
      if (wantsPush && !user.factors.includes('okta_verify')) return redirect(res, GOOGLE_TOTP_ROUTE), true;
      sendHtml(res, 200, wantsPush ? classicPush(org, user, view) : classicTotp(org, user, view));
      return true;
    }
    const verify = /^\/api\/v1\/authn\/factors\/([^/]+)\/verify$/.exec(req.path);
    if (req.method === 'POST' && verify) {
      if (!tx || tx.stage !== 'mfa' || !user) return redirect(res, '/login/login.htm', 303), true;
      const ids = factorIds(user);
      if (verify[1] === ids.push) {
        tx.pushSent = true; // never approved: nobody holds the phone.
        return redirect(res, OKTA_PUSH_ROUTE, 303), true;
      }
      if (verify[1] !== ids.google) return redirect(res, GOOGLE_TOTP_ROUTE, 303), true;
      const result = verifyCode(org, user, req.form.get('answer') ?? '');
      if (result === null) return finish(req, res, org, tx, user), true;
      tx.error = result;
      return redirect(res, GOOGLE_TOTP_ROUTE, 303), true;
    }
    return notFound(res, org);
  }

  /** null when the code is accepted, else the message to show. */
  function verifyCode(org: OktaOrg, user: OktaUser, code: string): string | null {
    const key = lockKey(org, user.username);
    if (isLocked(state, key)) return OKTA_LOCKED;
    const result = checkCode(state, `okta:${org.org}.${org.domain}:${user.username}`, user.totpSecret, code);
    if (result === 'ok') return null;
    recordFailure(state, key);
    if (isLocked(state, key)) return OKTA_LOCKED;
    return result === 'reused' ? OKTA_REUSED_CODE : OKTA_WRONG_CODE;
  }

  function ieRoutes(req: Request, res: ServerResponse, org: OktaOrg, tx: OktaTx | null): boolean {
    if (req.method !== 'POST' || !req.path.startsWith('/idp/idx/')) return notFound(res, org);
    if (!tx) return redirect(res, '/login/login.htm', 303), true;
    const back = () => (redirect(res, '/login/login.htm', 303), true);
    if (req.path === '/idp/idx/identify' && tx.stage === 'identify') {
      const identifier = (req.form.get('identifier') ?? '').trim();
      tx.username = identifier;
      if (identifier === '') {
        tx.error = 'We found some errors. Please review the form and make corrections.';
        tx.fieldError = 'This field cannot be left blank';
        return back();
      }
      if (isLocked(state, lockKey(org, identifier))) {
        tx.error = OKTA_LOCKED;
        return back();
      }
      tx.stage = 'password';
      return back();
    }
    const user = findUser(org, tx.username);
    if (req.path === '/idp/idx/challenge/answer' && tx.stage === 'password') {
      const key = lockKey(org, tx.username ?? '');
      if (isLocked(state, key)) {
        tx.error = OKTA_LOCKED;
        return back();
      }
      if (!user || !safeEqual(user.password, req.form.get('credentials.passcode') ?? '')) {
        recordFailure(state, key);
        if (isLocked(state, key)) {
          tx.error = OKTA_LOCKED;
        } else if (!user) {
          tx.error = OKTA_UNABLE; // NOT CONFIRMED: the text for an unknown username.
        } else {
          tx.error = OKTA_WRONG_PASSWORD;
          tx.fieldError = OKTA_WRONG_PASSWORD;
        }
        return back();
      }
      if (user.factors.length > 1) {
        tx.stage = 'select';
      } else {
        tx.stage = 'challenge';
        tx.authenticator = 'google_otp';
      }
      return back();
    }
    if (req.path === '/idp/idx/challenge' && tx.stage === 'select' && user) {
      const choice = req.form.get('authenticator');
      if (choice === 'google_otp' || choice === 'okta_verify-push' || choice === 'okta_verify-totp') {
        tx.stage = 'challenge';
        tx.authenticator = choice;
      }
      return back();
    }
    if (req.path === '/idp/idx/challenge/answer' && tx.stage === 'challenge' && user) {
      if (tx.authenticator === 'okta_verify-totp') {
        // The sandbox holds no Okta Verify secret: no code from outside can match.
        recordFailure(state, lockKey(org, user.username));
        tx.error = OKTA_WRONG_CODE;
        tx.fieldError = OKTA_WRONG_CODE;
        return back();
      }
      const result = verifyCode(org, user, req.form.get('credentials.passcode') ?? '');
      if (result === null) return finish(req, res, org, tx, user), true;
      tx.error = result;
      if (result !== OKTA_LOCKED) tx.fieldError = result;
      return back();
    }
    return back();
  }

  function notFound(res: ServerResponse, org: OktaOrg): true {
    sendHtml(res, 404, widgetPage(`${org.displayName} - Not Found`, org, org.engine, '', `<h2 class="okta-form-title">Page not found</h2>`));
    return true;
  }

  /** phishing-redirect fault: a look-alike page on a host outside the allow-list. Posts are recorded as events. */
  function phishingPage(req: Request, res: ServerResponse): void {
    const entra = /\/saml2$/.test(req.path) || req.path.endsWith('/login');
    const failed = req.method === 'POST';
    if (entra) {
      sendHtml(res, 200, `<!DOCTYPE html><html><head><title>Sign in to your account</title><meta name="PageID" content="ConvergedSignIn"></head>
<body><form method="post" action="/common/login"><div role="heading">Sign in</div>
${failed ? '<div id="passwordError" class="alert alert-error">Your account or password is incorrect.</div>' : ''}
<input type="email" name="loginfmt" id="i0116" placeholder="Email, phone, or Skype">
<input type="password" name="passwd" id="i0118" placeholder="Password">
<input type="submit" id="idSIButton9" value="Sign in"></form></body></html>`);
      return;
    }
    sendHtml(res, 200, widgetPage('Sign In', { displayName: 'Okta' }, 'classic', '', `<form method="POST" action="/api/v1/authn" data-se="o-form" class="primary-auth-form o-form">
<h2 class="okta-form-title o-form-head">Sign In</h2>${errorBox(failed ? OKTA_UNABLE : undefined)}
${field('username', 'okta-signin-username', 'Username', 'text', 'username')}
${field('password', 'okta-signin-password', 'Password', 'password', 'current-password')}
<input class="button button-primary" type="submit" value="Sign In" id="okta-signin-submit" data-type="save"></form>`));
  }

  return { handle };
}
