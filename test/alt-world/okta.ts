// Okta orgs of the alternative world: the Sign-In Widget rendered by script after load, Classic engine
// (primary auth, factor pages by client-side route, factor dropdown) and Identity Engine (one document, views
// switched by script), a session cookie, and the SAML app that posts back to PagerDuty.
import type { Req, Reply } from './http.js';
import { cookie, esc, html, json, notFound, redirect, str, token } from './http.js';
import type { OktaOrg, World } from './world.js';
import { autoPostHtml, readAuthnRequest, samlResponse } from './world.js';
import { checkTotp } from './totp.js';

type Stage = 'primary' | 'mfa' | 'identify' | 'challenge-password' | 'select-authenticator' | 'challenge-google_otp' | 'challenge-okta_verify-push' | 'done';

interface Tx {
  org: string;
  stage: Stage;
  fromURI: string;
  user?: string;
  handle?: string;
}

const PUSH_ID = 'opf3hkfocI4JTLAju0g4';
const TOTP_ID = 'uft2alt9GoogleTotp0g4';

export interface OktaState {
  txs: Map<string, Tx>;
  sessionTokens: Map<string, { org: string; user: string }>;
  sessions: Map<string, { org: string; user: string }>;
}

export function makeOktaState(): OktaState {
  return { txs: new Map(), sessionTokens: new Map(), sessions: new Map() };
}

const CSS = `body{font-family:Arial,sans-serif;background:#f9f9f9;margin:0}#okta-sign-in{width:400px;margin:60px auto;background:#fff;border:1px solid #ddd;border-radius:3px}
.auth-content{padding:20px 42px 30px}.o-form-input input{width:100%;box-sizing:border-box;height:38px}.button{display:block;width:100%;height:40px;margin-top:14px}
.infobox-error{border:1px solid #e34843;padding:8px 8px 8px 40px;margin-bottom:12px}[hidden]{display:none!important}
.authenticator-row{display:flex;border-bottom:1px solid #eee;padding:10px 0}.authenticator-button .button{display:inline-block;width:auto;padding:0 14px;height:32px}
.option-selected{display:inline-block;min-width:30px;min-height:30px;text-align:center}.icon-dm::before{content:'\\25BE'}.options-wrap{border:1px solid #ccc;background:#fff}.factor-option a{display:block;padding:8px}`;

function page(org: OktaOrg, cfg: Record<string, string>, script: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex,nofollow">
<title>${esc(org.org)} - Sign In</title><style>${CSS}</style></head>
<body class="auth okta-container"><div id="okta-login-container"><div class="okta-loading" aria-busy="true"></div></div>
<script type="application/json" id="okta-cfg">${JSON.stringify(cfg).replace(/</g, '\\u003c')}</script>
<script>${script}</script></body></html>`;
}

// ---------------- Classic engine widget ----------------
const CLASSIC_SCRIPT = String.raw`
(function () {
  var cfg = JSON.parse(document.getElementById('okta-cfg').textContent);
  var root = document.getElementById('okta-login-container');
  var tx = null;
  var uid = 60;
  function q(s) { return root.querySelector(s); }
  function api(path, body) {
    return fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'X-Okta-User-Agent-Extended': 'okta-signin-widget-5.16.1' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { status: r.status, body: j }; }); });
  }
  function shell(inner, beacon) {
    return '<div id="okta-sign-in" class="auth-container main-container' + (beacon ? '' : ' no-beacon') + '">' +
      '<div class="okta-sign-in-header auth-header"><h1><span class="auth-org-logo">' + cfg.orgName + '</span></h1>' + (beacon || '') + '</div>' +
      '<div class="auth-content"><div class="auth-content-inner">' + inner + '</div></div></div>';
  }
  function field(label, name, type, id) {
    return '<div data-se="o-form-fieldset" class="o-form-fieldset o-form-label-top"><div data-se="o-form-label" class="okta-form-label o-form-label"><label for="' + id + '">' + label + '</label></div>' +
      '<div data-se="o-form-input-container" class="o-form-input"><span data-se="o-form-input-' + name + '" class="o-form-input-name-' + name + ' input-fix">' +
      '<input type="' + type + '" placeholder="" name="' + name + '" id="' + id + '" value="" autocomplete="off"></span></div></div>';
  }
  function showError(text) {
    var c = q('.o-form-error-container');
    c.classList.add('o-form-has-errors');
    c.innerHTML = '<div class="okta-form-infobox-error infobox infobox-error" role="alert"><span class="icon error-16"></span><p></p></div>';
    c.querySelector('p').textContent = text;
    q('form').classList.add('o-form-has-errors');
  }
  function clearError() { var c = q('.o-form-error-container'); c.innerHTML = ''; c.classList.remove('o-form-has-errors'); }
  function setBusy(on) { var b = q('.o-form-button-bar .button'); if (b) { b.disabled = on; b.classList.toggle('link-button-disabled', on); } }
  function primary() {
    tx = null;
    root.innerHTML = shell('<div class="primary-auth"><form method="POST" action="/signin" data-se="o-form" id="form19" class="primary-auth-form o-form o-form-edit-mode" novalidate>' +
      '<div data-se="o-form-content" class="o-form-content o-form-theme clearfix"><h2 data-se="o-form-head" class="okta-form-title o-form-head">Sign In</h2>' +
      '<div class="o-form-error-container" data-se="o-form-error-container"></div><div class="o-form-fieldset-container" data-se="o-form-fieldset-container">' +
      field('Username', 'username', 'text', 'okta-signin-username') + field('Password', 'password', 'password', 'okta-signin-password') +
      '<div class="custom-checkbox"><input type="checkbox" name="remember" id="input41"><label for="input41">Remember me</label></div></div></div>' +
      '<div class="o-form-button-bar"><input class="button button-primary" type="submit" value="Sign In" id="okta-signin-submit" data-type="save"></div></form>' +
      '<div class="auth-footer"><a href="#" data-se="needhelp" class="link help js-help">Need help signing in?</a></div></div>');
    q('#okta-signin-username').setAttribute('autocomplete', 'username');
    q('form').addEventListener('submit', function (e) {
      e.preventDefault();
      clearError(); setBusy(true);
      api('/api/v1/authn', { username: q('#okta-signin-username').value, password: q('#okta-signin-password').value, options: { warnBeforePasswordExpired: true, multiOptionalFactorEnroll: false } })
        .then(function (r) {
          if (r.status === 200 && r.body.status === 'MFA_REQUIRED') { tx = r.body; factor(tx._embedded.factors[0]); return; }
          setBusy(false); q('#okta-signin-password').value = '';
          showError('Unable to sign in');
        }, function () { setBusy(false); showError('There was an unexpected internal error. Please try again.'); });
    });
  }
  function label(f) { return f.provider === 'GOOGLE' ? 'Google Authenticator' : 'Okta Verify'; }
  function route(f) { return f.provider === 'GOOGLE' ? '/signin/verify/google/token:software:totp' : '/signin/verify/okta/push'; }
  function factor(f) {
    history.pushState({ factor: f.id }, '', route(f));
    var options = tx._embedded.factors.map(function (o) {
      return '<li class="factor-option" role="menuitem"><a href="#" class="option" title="' + label(o) + '" data-factor-id="' + o.id + '"><span class="factor-icon ' +
        (o.provider === 'GOOGLE' ? 'mfa-google-auth' : 'mfa-okta-verify') + '"></span><span class="option-text">' + label(o) + '</span></a></li>';
    }).join('');
    var beacon = '<div class="beacon-container"><div class="bg-helper auth-beacon auth-beacon-factor ' + (f.provider === 'GOOGLE' ? 'mfa-google-auth' : 'mfa-okta-verify') +
      '" data-se="factor-beacon"><div class="okta-sign-in-beacon-border auth-beacon-border js-auth-beacon-border"></div></div>' +
      '<div class="bg-helper auth-beacon-factor-dropdown" data-se="factor-beacon-dropdown"><a href="#" class="dropdown link-button option-selected" aria-expanded="false" title="Select an authentication factor">' +
      '<span class="icon-dm"></span></a><div class="options-wrap" hidden><ul class="okta-dropdown-list options" id="okta-dropdown-options" role="menu">' + options + '</ul></div></div></div>';
    var body;
    if (f.provider === 'GOOGLE') {
      uid += 1;
      body = '<form method="POST" action="' + route(f) + '" data-se="factor-totp" class="mfa-verify-totp o-form o-form-edit-mode" novalidate>' +
        '<div data-se="o-form-content" class="o-form-content o-form-theme clearfix"><h2 data-se="o-form-head" class="okta-form-title o-form-head">Google Authenticator</h2>' +
        '<p class="okta-form-subtitle o-form-explain">Enter your Google Authenticator passcode</p><div class="o-form-error-container" data-se="o-form-error-container"></div>' +
        '<div class="o-form-fieldset-container" data-se="o-form-fieldset-container">' + field('Enter Code', 'answer', 'text', 'input' + uid) + '</div></div>' +
        '<div class="o-form-button-bar"><input class="button button-primary" type="submit" value="Verify" data-type="save"></div></form>';
    } else {
      body = '<form method="POST" action="' + route(f) + '" data-se="factor-push" class="mfa-verify-push o-form o-form-edit-mode" novalidate>' +
        '<div data-se="o-form-content" class="o-form-content o-form-theme clearfix"><h2 data-se="o-form-head" class="okta-form-title o-form-head">Okta Verify</h2>' +
        '<div class="o-form-error-container" data-se="o-form-error-container"></div><div class="o-form-fieldset-container" data-se="o-form-fieldset-container">' +
        '<div class="custom-checkbox"><input type="checkbox" name="autoPush" id="input' + (uid + 100) + '"><label for="input' + (uid + 100) + '">Send push automatically</label></div></div></div>' +
        '<div class="o-form-button-bar"><input class="button button-primary" type="submit" value="Send Push" data-type="save"></div></form>';
    }
    body += '<div class="auth-footer"><a href="#" class="link help js-back" data-se="signout-link">Back to sign in</a></div>';
    root.innerHTML = shell(body, beacon);
    q('a.option-selected').addEventListener('click', function (e) {
      e.preventDefault();
      var wrap = q('.options-wrap'); wrap.hidden = !wrap.hidden;
      this.setAttribute('aria-expanded', wrap.hidden ? 'false' : 'true');
    });
    Array.prototype.forEach.call(root.querySelectorAll('#okta-dropdown-options li.factor-option a'), function (a) {
      a.addEventListener('click', function (e) {
        e.preventDefault();
        var id = a.getAttribute('data-factor-id');
        factor(tx._embedded.factors.filter(function (o) { return o.id === id; })[0]);
      });
    });
    q('.js-back').addEventListener('click', function (e) { e.preventDefault(); history.pushState(null, '', cfg.loginPath); primary(); });
    q('form').addEventListener('submit', function (e) {
      e.preventDefault();
      clearError(); setBusy(true);
      if (f.provider !== 'GOOGLE') {
        api('/api/v1/authn/factors/' + f.id + '/verify', { stateToken: tx.stateToken }).then(function () {
          var b = q('.o-form-button-bar .button'); b.value = 'Push sent!';
        });
        return;
      }
      var input = q('input[name="answer"]');
      api('/api/v1/authn/factors/' + f.id + '/verify', { stateToken: tx.stateToken, passCode: input.value }).then(function (r) {
        if (r.status === 200 && r.body.status === 'SUCCESS') {
          location.assign('/login/sessionCookieRedirect?checkAccountSetupComplete=true&token=' + encodeURIComponent(r.body.sessionToken) + '&redirectUrl=' + encodeURIComponent(cfg.fromURI));
          return;
        }
        setBusy(false); input.value = '';
        var cause = r.body.errorCauses && r.body.errorCauses[0];
        showError(cause ? cause.errorSummary : (r.body.errorSummary || 'Unable to sign in'));
      }, function () { setBusy(false); showError('There was an unexpected internal error. Please try again.'); });
    });
  }
  window.addEventListener('popstate', function () { primary(); });
  setTimeout(primary, 300);
})();
`;

// ---------------- Identity Engine widget ----------------
const IDX_SCRIPT = String.raw`
(function () {
  var cfg = JSON.parse(document.getElementById('okta-cfg').textContent);
  var root = document.getElementById('okta-login-container');
  var handle = null;
  var uid = 20;
  function q(s) { return root.querySelector(s); }
  function api(path, body) {
    return fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/ion+json; okta-version=1.0.0', 'Accept': 'application/ion+json; okta-version=1.0.0' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { status: r.status, body: j }; }); });
  }
  function form(view, title, subtitle, fields, button) {
    return '<div id="okta-sign-in" class="auth-container main-container siw-main-view ' + view + '"><div class="okta-sign-in-header auth-header"><h1><span class="auth-org-logo">' + cfg.orgName + '</span></h1></div>' +
      '<div class="auth-content"><div class="auth-content-inner"><div class="siw-main-body"><form method="POST" action="/" data-se="o-form" class="ion-form o-form o-form-edit-mode" novalidate>' +
      '<div data-se="o-form-content" class="o-form-content o-form-theme clearfix"><h2 data-se="o-form-head" class="okta-form-title o-form-head">' + title + '</h2>' +
      (subtitle ? '<p class="okta-form-subtitle o-form-explain" data-se="o-form-explain">' + subtitle + '</p>' : '') +
      '<div class="o-form-error-container" data-se="o-form-error-container"></div><div class="o-form-fieldset-container" data-se="o-form-fieldset-container">' + fields + '</div></div>' +
      (button ? '<div class="o-form-button-bar"><input class="button button-primary" type="submit" value="' + button + '" data-type="save"></div>' : '') +
      '</form></div><div class="siw-main-footer"><div class="auth-footer"><a href="#" class="link js-cancel" data-se="cancel">Back to sign in</a></div></div></div></div></div>';
  }
  function input(label, name, type, extra) {
    uid += 1;
    return '<div data-se="o-form-fieldset-' + name + '" class="o-form-fieldset o-form-label-top"><div data-se="o-form-label" class="okta-form-label o-form-label"><label for="input' + uid + '">' + label + '</label></div>' +
      '<div data-se="o-form-input-container" class="o-form-input"><span data-se="o-form-input-' + name + '" class="o-form-input-name-' + name + ' input-fix">' +
      '<input type="' + type + '" placeholder="" name="' + name + '" id="input' + uid + '" value="" ' + (extra || '') + '></span></div></div>';
  }
  function showError(messages) {
    var c = q('.o-form-error-container');
    c.classList.add('o-form-has-errors');
    c.innerHTML = '<div class="okta-form-infobox-error infobox infobox-error" role="alert"><span class="icon error-16"></span><p></p></div>';
    c.querySelector('p').textContent = (messages && messages[0] && messages[0].message) || 'There was an unexpected internal error. Please try again.';
  }
  function setBusy(on) { var b = q('.o-form-button-bar .button'); if (b) b.disabled = on; }
  function onSubmit(fn) {
    q('form').addEventListener('submit', function (e) { e.preventDefault(); var c = q('.o-form-error-container'); c.innerHTML = ''; c.classList.remove('o-form-has-errors'); setBusy(true); fn(); });
  }
  function next(r, again) {
    if (r.body.stateHandle) handle = r.body.stateHandle;
    if (r.status !== 200) { setBusy(false); if (again) again(); showError(r.body.messages); return; }
    render(r.body);
  }
  function render(state) {
    var view = state.remediation;
    if (view === 'success') { location.assign(state.redirect); return; }
    if (view === 'identify') {
      root.innerHTML = form('primary-auth', 'Sign In', '', input('Username', 'identifier', 'text', 'autocomplete="username"') +
        '<div class="custom-checkbox"><input type="checkbox" name="rememberMe" id="input9"><label for="input9">Keep me signed in</label></div>', 'Next');
      onSubmit(function () { api('/idp/idx/identify', { identifier: q('input[name="identifier"]').value, stateHandle: handle }).then(function (r) { next(r); }); });
    } else if (view === 'challenge-password') {
      root.innerHTML = form('mfa-verify-password', 'Verify with your password', state.user || '', input('Password', 'credentials.passcode', 'password', 'autocomplete="current-password"'), 'Verify');
      onSubmit(function () {
        var i = q('input[name="credentials.passcode"]');
        api('/idp/idx/challenge/answer', { credentials: { passcode: i.value }, stateHandle: handle }).then(function (r) { next(r, function () { i.value = ''; }); });
      });
    } else if (view === 'select-authenticator') {
      var rows = state.authenticators.map(function (a) {
        return '<div class="authenticator-row clearfix"><div class="authenticator-icon-container"><div class="factor-icon authenticator-icon ' + a.icon + '"></div></div>' +
          '<div class="authenticator-description"><div class="authenticator-description--text"><h3 class="authenticator-label no-translate">' + a.label + '</h3>' +
          '<p class="authenticator-description-text">' + a.description + '</p></div>' +
          '<div class="authenticator-button" data-se="' + a.key + '"><a href="#" class="button select-factor link-button" aria-label="Select ' + a.label + '">Select</a></div></div></div>';
      }).join('');
      root.innerHTML = form('select-authenticator-authenticate', "Verify it's you with a security method", 'Select from the following options',
        '<div class="authenticator-verify-list authenticator-list" data-se="authenticator-verify-list"><div class="list-content">' + rows + '</div></div>', '');
      Array.prototype.forEach.call(root.querySelectorAll('.authenticator-button'), function (b) {
        b.querySelector('a.select-factor').addEventListener('click', function (e) {
          e.preventDefault();
          api('/idp/idx/challenge', { authenticator: { key: b.getAttribute('data-se') }, stateHandle: handle }).then(function (r) { next(r); });
        });
      });
    } else if (view === 'challenge-google_otp') {
      root.innerHTML = form('mfa-verify-google-otp', 'Verify with Google Authenticator', 'Enter the temporary code generated in your Google Authenticator app',
        input('Enter code', 'credentials.passcode', 'text', 'autocomplete="one-time-code" inputmode="numeric"'), 'Verify');
      onSubmit(function () {
        var i = q('input[name="credentials.passcode"]');
        api('/idp/idx/challenge/answer', { credentials: { passcode: i.value }, stateHandle: handle }).then(function (r) { next(r, function () { i.value = ''; }); });
      });
    } else if (view === 'challenge-okta_verify-push') {
      root.innerHTML = form('mfa-verify-okta-verify-push', 'Get a push notification', '', '<div class="okta-waiting-spinner"></div><p>Push notification sent</p>', '');
    }
    var cancel = q('.js-cancel');
    if (cancel) cancel.addEventListener('click', function (e) { e.preventDefault(); location.reload(); });
  }
  setTimeout(function () {
    api('/idp/idx/introspect', { stateToken: cfg.stateToken }).then(function (r) { next(r); });
  }, 300);
})();
`;

function orgOf(world: World, host: string): OktaOrg | undefined {
  return world.oktaOrgs.find((o) => o.host === host);
}

export function handleOkta(world: World, st: OktaState, req: Req): Reply {
  const org = orgOf(world, req.host);
  if (!org) return notFound('The Okta organization could not be found.');
  const sid = req.cookies.sid;
  const session = sid ? st.sessions.get(sid) : undefined;
  const signedIn = session && session.org === org.org ? session : undefined;
  const account = org.account;

  const classicPage = (fromURI: string) => page(org, { orgName: org.org, fromURI, loginPath: '/login/login.htm' }, CLASSIC_SCRIPT);
  const idxPage = (fromURI: string) => {
    const stateToken = token(24);
    st.txs.set(stateToken, { org: org.org, stage: 'identify', fromURI });
    return page(org, { orgName: org.org, fromURI, stateToken }, IDX_SCRIPT);
  };
  const signInAt = (fromURI: string): Reply =>
    org.engine === 'classic' ? redirect(`/login/login.htm?fromURI=${encodeURIComponent(fromURI)}`) : html(idxPage(fromURI));

  if (req.method === 'GET') {
    const full = req.raw.url ?? req.path;
    if (req.path === '/') return signedIn ? redirect('/app/UserHome') : signInAt('/app/UserHome');
    if (req.path === '/login/login.htm' || req.path.startsWith('/signin')) {
      if (org.engine !== 'classic') return signInAt('/app/UserHome');
      const from = req.query.get('fromURI') ?? '/app/UserHome';
      return html(classicPage(from.startsWith('/') ? from : '/app/UserHome'));
    }
    if (req.path === '/app/UserHome') {
      if (!signedIn) return signInAt('/app/UserHome');
      return html(`<!DOCTYPE html><html><head><title>${esc(org.org)} - My Apps</title></head><body><h1>My Apps</h1>
<div class="app-buttons-list"><a class="app-button" data-se="app-card" href="${org.appPath}"><span class="app-button-name">PagerDuty</span></a></div></body></html>`);
    }
    if (req.path === org.appPath) {
      if (!signedIn) return signInAt(full);
      const encoded = req.query.get('SAMLRequest');
      let inResponseTo = '';
      if (encoded) {
        const request = readAuthnRequest(encoded);
        if (!request || request.issuer !== `https://${account.host}`) return html('<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Invalid SAML request</h1></body></html>', 400);
        inResponseTo = request.id;
      }
      const acs = `https://${account.host}/sso/saml/consume`;
      const response = samlResponse(world, { inResponseTo, acs, audience: `https://${account.host}`, nameId: signedIn.user, issuer: `http://www.okta.com/${org.appPath.split('/')[3] ?? 'exk'}` });
      return html(autoPostHtml(acs, { SAMLResponse: response, RelayState: req.query.get('RelayState') ?? '' }, 'okta'));
    }
    if (req.path === '/login/sessionCookieRedirect') {
      const t = st.sessionTokens.get(req.query.get('token') ?? '');
      st.sessionTokens.delete(req.query.get('token') ?? '');
      if (!t || t.org !== org.org) return html('<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Your session has expired.</h1></body></html>', 403);
      const target = req.query.get('redirectUrl') ?? '/app/UserHome';
      const id = token(24);
      st.sessions.set(id, t);
      return redirect(target.startsWith('/') ? target : '/app/UserHome', [cookie('sid', id)]);
    }
    if (req.path === '/login/token/redirect') {
      const tx = st.txs.get(req.query.get('stateToken') ?? '');
      if (!tx || tx.org !== org.org || tx.stage !== 'done' || !tx.user) return html('<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Your session has expired.</h1></body></html>', 403);
      st.txs.delete(req.query.get('stateToken') ?? '');
      const id = token(24);
      st.sessions.set(id, { org: org.org, user: tx.user });
      return redirect(tx.fromURI, [cookie('sid', id)]);
    }
    return notFound();
  }

  if (req.method !== 'POST') return notFound();
  const userOk = (name: string) => name.toLowerCase() === account.user.toLowerCase();

  // Classic authn API
  if (org.engine === 'classic' && req.path === '/api/v1/authn') {
    if (!userOk(str(req.body.username)) || str(req.body.password) !== account.password) {
      return json({ errorCode: 'E0000004', errorSummary: 'Authentication failed', errorLink: 'E0000004', errorId: token(8), errorCauses: [] }, 401);
    }
    const stateToken = token(24);
    st.txs.set(stateToken, { org: org.org, stage: 'mfa', fromURI: '', user: account.user });
    return json({
      stateToken,
      expiresAt: new Date(Date.now() + 300_000).toISOString(),
      status: 'MFA_REQUIRED',
      _embedded: {
        user: { id: '00ualt' + org.org, profile: { login: account.user } },
        factors: [
          { id: PUSH_ID, factorType: 'push', provider: 'OKTA', vendorName: 'OKTA' },
          { id: TOTP_ID, factorType: 'token:software:totp', provider: 'GOOGLE', vendorName: 'GOOGLE' },
        ],
      },
    });
  }
  const verify = /^\/api\/v1\/authn\/factors\/([^/]+)\/verify$/.exec(req.path);
  if (org.engine === 'classic' && verify) {
    const tx = st.txs.get(str(req.body.stateToken));
    if (!tx || tx.org !== org.org || tx.stage !== 'mfa') return json({ errorCode: 'E0000011', errorSummary: 'Invalid token provided', errorCauses: [] }, 401);
    if (verify[1] === PUSH_ID) return json({ status: 'MFA_CHALLENGE', factorResult: 'WAITING', stateToken: str(req.body.stateToken) });
    if (verify[1] !== TOTP_ID) return json({ errorCode: 'E0000007', errorSummary: 'Not found: Resource not found', errorCauses: [] }, 404);
    const result = checkTotp(account.mfaSecret!, str(req.body.passCode), world.lastCounter.get(account.mfaSecret!) ?? -1);
    if (!result.ok) {
      const summary = result.reason === 'reused'
        ? 'Each code can only be used once. Please wait for a new code and try again.'
        : "Your passcode doesn't match our records. Please try again.";
      return json({ errorCode: 'E0000068', errorSummary: 'Invalid Passcode/Answer', errorCauses: [{ errorSummary: summary }] }, 403);
    }
    world.lastCounter.set(account.mfaSecret!, result.counter);
    st.txs.delete(str(req.body.stateToken));
    const sessionToken = token(24);
    st.sessionTokens.set(sessionToken, { org: org.org, user: account.user });
    return json({ status: 'SUCCESS', sessionToken, expiresAt: new Date(Date.now() + 300_000).toISOString() });
  }

  // Identity Engine (IDX) API
  if (org.engine === 'identity' && req.path.startsWith('/idp/idx/')) {
    const stateToken = req.path === '/idp/idx/introspect' ? str(req.body.stateToken) : [...st.txs.entries()].find(([, t]) => t.handle && t.handle === str(req.body.stateHandle))?.[0] ?? '';
    const tx = st.txs.get(stateToken);
    if (!tx || tx.org !== org.org) return json({ messages: [{ message: 'The session has expired.', class: 'ERROR' }] }, 401);
    const fail = (message: string) => json({ stateHandle: tx.handle, messages: [{ message, class: 'ERROR', i18n: { key: 'errors' } }] }, 400);
    const view = (extra: Record<string, unknown> = {}) => json({ stateHandle: tx.handle, remediation: tx.stage, ...extra });
    switch (req.path) {
      case '/idp/idx/introspect':
        tx.handle = `02${token(30)}`;
        return view();
      case '/idp/idx/identify':
        if (tx.stage !== 'identify') return fail('The session has expired.');
        tx.user = str(req.body.identifier);
        tx.stage = 'challenge-password';
        return view({ user: tx.user });
      case '/idp/idx/challenge': {
        if (tx.stage !== 'select-authenticator') return fail('The session has expired.');
        const key = str((req.body.authenticator as Record<string, unknown> | undefined)?.key);
        if (key === 'google_otp') tx.stage = 'challenge-google_otp';
        else if (key === 'okta_verify-push') tx.stage = 'challenge-okta_verify-push';
        else return fail('Invalid authenticator.');
        return view();
      }
      case '/idp/idx/challenge/answer': {
        const passcode = str((req.body.credentials as Record<string, unknown> | undefined)?.passcode);
        if (tx.stage === 'challenge-password') {
          if (!tx.user || !userOk(tx.user) || passcode !== account.password) return fail('Password is incorrect');
          tx.stage = 'select-authenticator';
          return view({
            authenticators: [
              { key: 'okta_verify-push', label: 'Okta Verify', description: 'Get a push notification', icon: 'mfa-okta-verify' },
              { key: 'google_otp', label: 'Google Authenticator', description: 'Enter a code', icon: 'mfa-google-auth' },
            ],
          });
        }
        if (tx.stage === 'challenge-google_otp') {
          const result = checkTotp(account.mfaSecret!, passcode, world.lastCounter.get(account.mfaSecret!) ?? -1);
          if (!result.ok) {
            return fail(result.reason === 'reused'
              ? 'Each code can only be used once. Please wait for a new code and try again.'
              : "Your code doesn't match our records. Please try again.");
          }
          world.lastCounter.set(account.mfaSecret!, result.counter);
          tx.stage = 'done';
          return json({ remediation: 'success', redirect: `/login/token/redirect?stateToken=${encodeURIComponent(stateToken)}` });
        }
        return fail('The session has expired.');
      }
      default:
        return notFound();
    }
  }
  return notFound();
}
