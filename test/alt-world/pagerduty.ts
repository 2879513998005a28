// PagerDuty hosts of the alternative world: a client-rendered two-step sign-in (SPA accounts), the legacy
// one-page form (legacy accounts), the SAML service provider, /incidents and the role endpoint.
import type { Req, Reply } from './http.js';
import { cookie, esc, html, json, notFound, redirect, str, token } from './http.js';
import type { AltAccount, World } from './world.js';
import { authnRequest, consumeAssertion } from './world.js';
import { GLOBAL_EMAIL_PATH } from './identity.js';

const SESSION = 'pd_session';

function sessionOf(world: World, req: Req): { host: string; email: string } | undefined {
  const id = req.cookies[SESSION];
  const s = id ? world.pdSessions.get(id) : undefined;
  return s && s.host === req.host ? s : undefined;
}

function startSession(world: World, host: string, email: string): string {
  const id = token(24);
  world.pdSessions.set(id, { host, email });
  return cookie(SESSION, id);
}

function ssoStart(world: World, account: AltAccount): string {
  const relay = token(12);
  const request = authnRequest(world, account.host, relay);
  return `${account.idpSsoUrl}?SAMLRequest=${encodeURIComponent(request)}&RelayState=${encodeURIComponent(relay)}`;
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0}main{max-width:380px;margin:64px auto;background:#fff;padding:32px;border-radius:8px}
label{display:block;margin:12px 0 4px}input[type=email],input[type=password],input[type=text]{width:100%;padding:8px;box-sizing:border-box}
button,input[type=submit]{margin-top:16px;padding:8px 16px}[hidden]{display:none!important}.auth-alert{color:#b00020;margin:8px 0}`;

function spaPage(account: AltAccount): string {
  const boot = JSON.stringify({ subdomain: account.subdomain });
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>PagerDuty</title><style>${STYLE}</style></head>
<body><div id="pd-root"><div class="pd-boot" aria-busy="true">Loading…</div></div>
<script type="application/json" id="pd-boot">${boot}</script>
<script>
(function () {
  var root = document.getElementById('pd-root');
  var email = '';
  function $(id) { return document.getElementById(id); }
  function alertMsg(text) { var a = $('pd-auth-alert'); a.textContent = text; a.hidden = !text; }
  function show(step) {
    ['pd-step-email', 'pd-step-password', 'pd-step-sso'].forEach(function (id) { $(id).hidden = id !== step; });
    var f = $(step).querySelector('input:not([type=hidden])'); if (f) f.focus();
  }
  function post(path, body) {
    return fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); });
  }
  function busy(btn, on) { btn.disabled = on; btn.setAttribute('aria-busy', on ? 'true' : 'false'); }
  function render() {
    root.innerHTML =
      '<main class="pd-auth"><h1>Sign in to PagerDuty</h1>' +
      '<div id="pd-auth-alert" class="auth-alert" role="alert" hidden></div>' +
      '<form id="pd-step-email" novalidate><label for="login-email">Email</label>' +
      '<input id="login-email" type="email" name="email" autocomplete="username">' +
      '<button type="submit" id="login-next">Next</button></form>' +
      '<form id="pd-step-password" novalidate hidden><p class="pd-who"></p><label for="login-password">Password</label>' +
      '<input id="login-password" type="password" name="password" autocomplete="current-password">' +
      '<button type="submit" id="login-submit">Sign In</button></form>' +
      '<div id="pd-step-sso" hidden><p>Your organization uses single sign-on.</p>' +
      '<button type="button" id="login-sso">Sign In with Single Sign-On</button>' +
      '<p><a href="#" id="login-use-password">Sign in with your PagerDuty password instead</a></p></div>' +
      '</main>';
    $('pd-step-email').addEventListener('submit', function (e) {
      e.preventDefault();
      var btn = $('login-next');
      email = $('login-email').value.trim();
      if (!/.+@.+/.test(email)) { alertMsg('Please enter a valid email address.'); return; }
      alertMsg(''); busy(btn, true);
      post('/auth/api/identify', { email: email }).then(function (r) {
        busy(btn, false);
        if (!r.ok) { alertMsg(r.body.message || 'Something went wrong.'); return; }
        document.querySelector('.pd-who').textContent = email;
        setTimeout(function () { show(r.body.next === 'sso' ? 'pd-step-sso' : 'pd-step-password'); }, 150);
      }, function () { busy(btn, false); alertMsg('Network error, please try again.'); });
    });
    $('pd-step-password').addEventListener('submit', function (e) {
      e.preventDefault();
      var btn = $('login-submit');
      alertMsg(''); busy(btn, true);
      post('/auth/api/password', { email: email, password: $('login-password').value }).then(function (r) {
        if (r.ok) { location.assign(r.body.redirect_to || '/incidents'); return; }
        busy(btn, false); $('login-password').value = '';
        alertMsg(r.body.message || 'Unable to sign in.');
      }, function () { busy(btn, false); alertMsg('Network error, please try again.'); });
    });
    $('login-sso').addEventListener('click', function () {
      var btn = $('login-sso'); busy(btn, true);
      post('/auth/api/sso', { email: email }).then(function (r) {
        if (r.ok) { location.assign(r.body.redirect_to); return; }
        busy(btn, false); alertMsg(r.body.message || 'Single sign-on is not available.');
      });
    });
    $('login-use-password').addEventListener('click', function (e) { e.preventDefault(); show('pd-step-password'); });
    show('pd-step-email');
  }
  setTimeout(render, 350);
})();
</script></body></html>`;
}

function legacyPage(account: AltAccount, csrf: string, flash: string): string {
  const sso = account.idpSsoUrl
    ? `<div class="sso-sign-in"><a class="btn btn-secondary" href="/sso/saml/login">Sign In With Your Identity Provider</a></div>`
    : '';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign In - PagerDuty</title><style>${STYLE}</style></head>
<body><main class="login-page"><h1>${esc(account.subdomain)} · PagerDuty</h1>
${flash ? `<div id="flash" class="alert alert-danger flash-error">${esc(flash)}</div>` : ''}
<form class="new_user" id="new_user" action="/sign_in" accept-charset="UTF-8" method="post">
<input type="hidden" name="authenticity_token" value="${csrf}">
<label for="user_email">Email</label><input type="email" name="user[email]" id="user_email" autofocus autocomplete="username">
<label for="user_password">Password</label><input type="password" name="user[password]" id="user_password" autocomplete="current-password">
<label><input type="checkbox" name="user[remember_me]" value="1"> Remember me</label>
<input type="submit" name="commit" value="Sign In" class="btn btn-primary" data-disable-with="Sign In">
</form>${sso}
<p><a href="/users/password/new">Forgot your password?</a></p></main></body></html>`;
}

function incidentsPage(account: AltAccount, email: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Incidents - PagerDuty</title></head>
<body><nav class="pd-nav"><a href="/incidents">Incidents</a> <a href="/services">Services</a> <span class="pd-user-menu" data-email="${esc(email)}">My Profile</span></nav>
<main><h1>Incidents on ${esc(account.subdomain)}</h1><p>No open incidents.</p></main></body></html>`;
}

export function handlePagerDuty(world: World, req: Req): Reply {
  const account = world.accounts.find((a) => a.host === req.host);
  if (!account) return notFound('This PagerDuty account could not be found.');
  const session = sessionOf(world, req);

  if (req.method === 'GET') {
    switch (req.path) {
      case '/':
        return redirect('/incidents');
      case '/incidents':
        return session ? html(incidentsPage(account, session.email)) : redirect('/sign_in');
      case '/sign_in': {
        if (session) return redirect('/incidents');
        if (account.signInStyle === 'global') {
          return redirect(`https://identity.pagerduty.com${GLOBAL_EMAIL_PATH}?subdomain=${encodeURIComponent(account.subdomain)}`);
        }
        if (account.signInStyle === 'spa') return html(spaPage(account));
        const csrf = req.cookies._pd_csrf ?? token(24);
        const flash = req.cookies._pd_flash === 'invalid' ? 'Invalid email or password.' : '';
        return html(legacyPage(account, csrf, flash), 200, [cookie('_pd_csrf', csrf), cookie('_pd_flash', '', { maxAge: 0 })]);
      }
      case '/auth/callback': {
        const ticket = world.globalTickets.get(req.query.get('ticket') ?? '');
        world.globalTickets.delete(req.query.get('ticket') ?? '');
        if (!ticket || ticket.host !== account.host) return redirect('/sign_in');
        return redirect('/incidents', [startSession(world, account.host, ticket.email)]);
      }
      case '/sso/saml/login':
        if (!account.idpSsoUrl) return notFound('Single sign-on is not enabled for this account.');
        return redirect(ssoStart(world, account));
      case '/sso/saml/metadata':
        return {
          status: 200,
          headers: { 'content-type': 'application/xml' },
          body: `<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://${account.host}"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://${account.host}/sso/saml/consume" index="0"/></md:SPSSODescriptor></md:EntityDescriptor>`,
        };
      case '/api/v1/users/me':
        if (!session) return json({ error: { message: 'Unauthorized', code: 2006 } }, 401);
        return json({ user: { id: 'PALT' + account.subdomain.toUpperCase(), type: 'user', email: session.email, role: 'owner' } });
      default:
        return session ? html(`<!DOCTYPE html><html><head><title>PagerDuty</title></head><body><h1>${esc(req.path)}</h1></body></html>`) : redirect('/sign_in');
    }
  }

  if (req.method === 'POST') {
    switch (req.path) {
      case '/auth/api/identify': {
        const email = str(req.body.email);
        if (!email) return json({ message: 'Please enter your email address.' }, 422);
        return json({ next: account.idpSsoUrl ? 'sso' : 'password' });
      }
      case '/auth/api/password': {
        const ok = str(req.body.email).toLowerCase() === account.user.toLowerCase() && str(req.body.password) === account.password;
        if (!ok) return json({ message: 'The email or password you entered is incorrect.' }, 401);
        return json({ redirect_to: '/incidents' }, 200, [startSession(world, account.host, account.user)]);
      }
      case '/auth/api/sso':
        if (!account.idpSsoUrl) return json({ message: 'Single sign-on is not enabled for this account.' }, 422);
        return json({ redirect_to: ssoStart(world, account) });
      case '/sign_in': {
        if (account.signInStyle !== 'legacy') return notFound();
        if (!req.cookies._pd_csrf || str(req.body.authenticity_token) !== req.cookies._pd_csrf) {
          return html('<!DOCTYPE html><html><head><title>422</title></head><body><h1>The change you wanted was rejected.</h1></body></html>', 422);
        }
        const ok = str(req.body['user[email]']).toLowerCase() === account.user.toLowerCase() && str(req.body['user[password]']) === account.password;
        if (!ok) return redirect('/sign_in', [cookie('_pd_flash', 'invalid')]);
        return redirect('/incidents', [startSession(world, account.host, account.user)]);
      }
      case '/sso/saml/consume': {
        const nameId = consumeAssertion(world, account.host, str(req.body.SAMLResponse));
        if (!nameId || nameId.toLowerCase() !== account.user.toLowerCase()) {
          return html('<!DOCTYPE html><html><head><title>PagerDuty</title></head><body><h1>Single sign-on failed.</h1></body></html>', 403);
        }
        return redirect('/incidents', [startSession(world, account.host, account.user)]);
      }
      default:
        return notFound();
    }
  }
  return notFound();
}
