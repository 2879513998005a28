// The alternative world's take on PagerDuty's global sign-in (identity.pagerduty.com), from the public facts only:
// the email page's path, #email and #submit, and "click Continue in the confirmation modal". Its other choices
// differ from the sandbox on purpose: a script-made [role=dialog][aria-modal=true] layer over a backdrop, a
// client-rendered page whose email and password steps post JSON, a "Continue" email button, a "Log In" button.
import type { Req, Reply } from './http.js';
import { esc, html, json, notFound, str, token } from './http.js';
import type { World } from './world.js';

export const GLOBAL_EMAIL_PATH = '/global/authn/authentication/PagerDutyGlobalLogin/enter_email';

function globalPage(subdomain: string): string {
  const boot = JSON.stringify({ subdomain }).replace(/</g, '\\u003c');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Log In | PagerDuty</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#eef0f2}main{max-width:360px;margin:80px auto;background:#fff;padding:28px;border-radius:10px}
label{display:block;margin:10px 0 4px}input{width:100%;padding:8px;box-sizing:border-box}button{margin-top:14px;padding:8px 14px}
.scrim{position:fixed;inset:0;background:rgba(0,0,0,.55);z-index:20}.sheet{position:fixed;top:25%;left:50%;transform:translateX(-50%);z-index:21;background:#fff;padding:24px;border-radius:8px;width:320px}
[hidden]{display:none!important}.err{color:#b00020}</style></head>
<body><main><h1>Log in to PagerDuty</h1><p class="err" role="alert" id="err" hidden></p>
<form id="step-email" novalidate><label for="email">Work email</label><input id="email" type="email" name="username" autocomplete="username"><button id="submit" type="submit">Continue</button></form>
<form id="step-password" novalidate hidden><p id="who"></p><label for="credential">Password</label><input id="credential" type="password" autocomplete="current-password"><button type="submit">Log In</button></form>
</main>
<div class="scrim" id="scrim"></div><div class="sheet" role="dialog" aria-modal="true" aria-labelledby="sheet-title" id="sheet">
<h2 id="sheet-title">We've moved sign-in</h2><p>Your account now signs in through PagerDuty's global log-in page.</p><button type="button" id="sheet-ok">Continue</button></div>
<script type="application/json" id="boot">${boot}</script>
<script>
(function () {
  var boot = JSON.parse(document.getElementById('boot').textContent);
  var email = '';
  function $(id) { return document.getElementById(id); }
  function fail(text) { $('err').textContent = text; $('err').hidden = !text; }
  function post(path, body) {
    return fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); });
  }
  $('sheet-ok').addEventListener('click', function () { $('sheet').remove(); $('scrim').remove(); });
  $('step-email').addEventListener('submit', function (e) {
    e.preventDefault(); email = $('email').value.trim(); fail('');
    post('/global/authn/api/identify', { username: email, subdomain: boot.subdomain }).then(function (r) {
      if (!r.ok) { fail(r.body.message); return; }
      $('who').textContent = email; $('step-email').hidden = true; $('step-password').hidden = false; $('credential').focus();
    });
  });
  $('step-password').addEventListener('submit', function (e) {
    e.preventDefault(); fail('');
    post('/global/authn/api/password', { username: email, password: $('credential').value, subdomain: boot.subdomain }).then(function (r) {
      if (r.ok) { location.assign(r.body.redirect_to); return; }
      $('credential').value = ''; fail(r.body.message);
    });
  });
})();
</script></body></html>`;
}

export function handleIdentity(world: World, req: Req): Reply {
  const accountOf = (subdomain: string) => world.accounts.find((a) => a.subdomain === subdomain && a.signInStyle === 'global');
  if (req.method === 'GET' && req.path === GLOBAL_EMAIL_PATH) {
    const account = accountOf(req.query.get('subdomain') ?? '');
    return account ? html(globalPage(account.subdomain)) : notFound('Unknown account.');
  }
  if (req.method === 'POST' && req.path === '/global/authn/api/identify') {
    const account = accountOf(str(req.body.subdomain));
    if (!account || str(req.body.username).toLowerCase() !== account.user.toLowerCase()) return json({ message: 'No PagerDuty account uses that email address.' }, 404);
    return json({ next: 'password' });
  }
  if (req.method === 'POST' && req.path === '/global/authn/api/password') {
    const account = accountOf(str(req.body.subdomain));
    if (!account || str(req.body.username).toLowerCase() !== account.user.toLowerCase() || str(req.body.password) !== account.password) {
      return json({ message: 'That password is incorrect. Try again.' }, 401);
    }
    const ticket = token(24);
    world.globalTickets.set(ticket, { host: account.host, email: account.user });
    return json({ redirect_to: `https://${account.host}/auth/callback?ticket=${encodeURIComponent(ticket)}` });
  }
  return notFound(`No page at ${esc(req.path)}.`);
}
