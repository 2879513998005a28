// Emulated PagerDuty web app: the sign-in pages (legacy one-page form and the two-step email -> password page),
// SP-initiated SAML, the SAML consumer, a signed-in app page and the signed-in user's role.
// Facts from /work/shared/docs/login-pages.md; every guess is marked NOT CONFIRMED.
import type { ServerResponse } from 'node:http';
import {
  type Request, type SandboxState, SessionStore, clearFailures, escapeHtml, isLocked, recordFailure, redirect, safeEqual,
  sendHtml, sendJson, token,
} from './core.js';
import { encodeAuthnRequest, newRequestId, verifyResponse } from './saml.js';
import { ENTRA_TENANTS, OKTA_ORGS, PD_ACCOUNTS, type PdAccount, type PdUser, pdHost } from './world.js';
import { HANDOFF_PATH, IDENTITY_HOST, IDENTITY_PATHS, type Identity, safeReturnTo } from './identity.js';

// NOT CONFIRMED: PagerDuty's real failure texts are not public; these are plausible Rails/Devise-style flashes.
export const PD_INVALID = 'Invalid email or password.';
export const PD_LOCKED = 'Your account is locked because of too many failed sign in attempts. Please try again in 15 minutes.';
export const PD_NO_ACCOUNT = "We couldn't find a PagerDuty account with that email address.";
/** NOT CONFIRMED: login-pages.md says only that repeated log-ins are rate limited and then show an error message. */
export const PD_RATE_LIMIT_WAIT_S = 30;
export const PD_RATE_LIMITED = `Too many sign-in attempts. Please wait ${PD_RATE_LIMIT_WAIT_S} seconds and try again.`;
/** A log-in that never finishes (a wrong password, a closed browser) stops counting after this long. */
const LOGIN_IN_PROGRESS_MS = 30_000;

// NOT CONFIRMED: how the web UI names the REST roles (owner/admin/user/...).
const ROLE_LABELS: Record<string, string> = {
  owner: 'Account Owner', admin: 'Global Admin', user: 'Manager', limited_user: 'Responder', observer: 'Observer',
};

interface PdSession {
  csrf: string;
  pendingEmail?: string;
  signedIn?: { subdomain: string | null; region: 'us' | 'eu'; userId: string };
  needsTerms?: boolean;
}

interface HostInfo {
  host: string;
  region: 'us' | 'eu';
  subdomain: string | null;
  /** null on app.* hosts (the account is found by email), and for unknown subdomains. */
  account: PdAccount | null;
}

export function parsePdHost(host: string): { subdomain: string | null; region: 'us' | 'eu' } | null {
  if (host === 'app.pagerduty.com') return { subdomain: null, region: 'us' };
  if (host === 'app.eu.pagerduty.com') return { subdomain: null, region: 'eu' };
  const eu = /^([a-z0-9][a-z0-9-]*)\.eu\.pagerduty\.com$/.exec(host);
  if (eu) return { subdomain: eu[1]!, region: 'eu' };
  const us = /^([a-z0-9][a-z0-9-]*)\.pagerduty\.com$/.exec(host);
  if (us) return { subdomain: us[1]!, region: 'us' };
  return null;
}

function findAccount(subdomain: string | null, region: 'us' | 'eu', email?: string): PdAccount | undefined {
  return PD_ACCOUNTS.find(
    (a) => a.subdomain === subdomain && a.region === region && (email === undefined || a.users.some((u) => u.email === email)),
  );
}

function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:Helvetica,Arial,sans-serif;background:#f4f4f4;margin:0;color:#222}
.sign-in-container{max-width:380px;margin:60px auto;background:#fff;padding:32px;border-radius:6px;box-shadow:0 1px 4px #0002}
.logo{font-weight:bold;color:#06ac38;font-size:24px;text-decoration:none}
label{display:block;margin:14px 0 4px;font-size:14px}
input[type=email],input[type=password],input[type=text]{width:100%;box-sizing:border-box;padding:8px;font-size:15px}
.btn{margin-top:18px;width:100%;padding:10px;background:#06ac38;color:#fff;border:0;border-radius:4px;font-size:15px;cursor:pointer}
.flash-error{background:#fdecea;color:#a4131c;border:1px solid #f5c2c0;padding:10px;border-radius:4px;margin:12px 0}
.links{margin-top:16px;font-size:14px}.links a{display:block;margin-top:8px}
</style></head>
<body>${body}</body></html>`;
}

function flash(error: string | null): string {
  // NOT CONFIRMED: the element that carries a failed sign-in message on the real page.
  return error ? `<div class="flash flash-error alert alert-danger" id="flash_error" role="alert">${escapeHtml(error)}</div>` : '';
}

export function createPagerDuty(state: SandboxState, identity: Identity) {
  // NOT CONFIRMED: the session cookie's name.
  const sessions = new SessionStore<PdSession>('_pagerduty_session');
  // The "rate-limit" fault: log-ins in progress per host (from the sign-in page until signed in or handed to the
  // IdP), by session.
  const loginsInProgress = new Map<string, Map<PdSession, number>>();

  /** False (and a 429 sent) when this new log-in would make more than the fault allows at once on the host. */
  function admitLogin(host: string, session: PdSession, res: ServerResponse): boolean {
    const limit = state.faults.rateLimitAt;
    if (limit === null) return true;
    const onHost = loginsInProgress.get(host) ?? new Map<PdSession, number>();
    loginsInProgress.set(host, onHost);
    for (const [other, since] of onHost) if (Date.now() - since > LOGIN_IN_PROGRESS_MS) onHost.delete(other);
    if (onHost.has(session)) return true;
    if (onHost.size >= limit) {
      res.setHeader('Retry-After', String(PD_RATE_LIMIT_WAIT_S));
      sendHtml(res, 429, layout('Too Many Requests | PagerDuty', `<div class="sign-in-container"><a class="logo" href="https://www.pagerduty.com">PagerDuty</a>
<h1>Sign In</h1>${flash(PD_RATE_LIMITED)}</div>`));
      return false;
    }
    onHost.set(session, Date.now());
    return true;
  }

  function loginEnded(host: string, session: PdSession | null): void {
    if (session) loginsInProgress.get(host)?.delete(session);
  }

  function hostInfo(host: string): HostInfo | null {
    const parsed = parsePdHost(host);
    if (!parsed) return null;
    const account = parsed.subdomain === null ? null : findAccount(parsed.subdomain, parsed.region) ?? null;
    return { host, region: parsed.region, subdomain: parsed.subdomain, account };
  }

  function signedInUser(session: PdSession | null): { account: PdAccount; user: PdUser } | null {
    const ref = session?.signedIn;
    if (!ref) return null;
    const account = findAccount(ref.subdomain, ref.region);
    const user = account?.users.find((u) => u.id === ref.userId);
    return account && user ? { account, user } : null;
  }

  function accountNotFound(res: ServerResponse, host: string): void {
    // NOT CONFIRMED: what an unknown subdomain shows.
    sendHtml(res, 404, layout('Account Not Found | PagerDuty', `<div class="sign-in-container"><a class="logo" href="https://www.pagerduty.com">PagerDuty</a>
<h1>Account not found</h1><p id="not-found-message">There is no PagerDuty account at ${escapeHtml(host)}.</p></div>`));
  }

  function legacyPage(info: HostInfo, session: PdSession, error: string | null, email = ''): string {
    const account = info.account!;
    const sso = account.sso
      ? `<a href="/sso/saml/login" id="sso_link" class="sso-link">Sign In With Your Identity Provider</a>` // path NOT CONFIRMED
      : '';
    // Confirmed: #user_email / user[email], #user_password / user[password], input[name=commit] "Sign In",
    // the "Sign In With Your Identity Provider" link. NOT CONFIRMED: title, layout, remember-me, flash element.
    return layout('PagerDuty | Sign In', `<div class="sign-in-container">
<a class="logo" href="https://www.pagerduty.com">PagerDuty</a>
<h1>Sign In</h1>
<p class="account-host">${escapeHtml(info.host)}</p>
${flash(error)}
<form accept-charset="UTF-8" action="/sign_in" class="new_user" id="new_user" method="post">
<input name="utf8" type="hidden" value="&#x2713;">
<input name="authenticity_token" type="hidden" value="${escapeHtml(session.csrf)}">
<label for="user_email">Email</label>
<input autofocus="autofocus" id="user_email" name="user[email]" type="email" autocomplete="username" value="${escapeHtml(email)}">
<label for="user_password">Password</label>
<input id="user_password" name="user[password]" type="password" autocomplete="current-password">
<label class="remember"><input name="user[remember_me]" type="hidden" value="0"><input id="user_remember_me" name="user[remember_me]" type="checkbox" value="1"> Remember me</label>
<input class="btn btn-primary" name="commit" type="submit" value="Sign In">
</form>
<div class="links">${sso}<a href="/forgot_password" id="forgot_password">Forgot your password?</a></div>
</div>`);
  }

  // NOT CONFIRMED: everything about the two-step page but its order (email, Next, password, Sign In; or
  // "Sign In with Single Sign-On" after the email for SSO accounts). Field names email/password, ids,
  // the form's id and data-step are this sandbox's guesses. The steps are server-rendered: each step is a page.
  function twoStepPage(info: HostInfo, session: PdSession, error: string | null): string {
    const email = session.pendingEmail;
    const head = `<div class="sign-in-container">
<a class="logo" href="https://www.pagerduty.com">PagerDuty</a>
<h1>Sign In</h1>
${flash(error)}`;
    const csrf = `<input name="authenticity_token" type="hidden" value="${escapeHtml(session.csrf)}">`;
    if (email === undefined) {
      return layout('Sign In | PagerDuty', `${head}
<form id="sign-in-form" class="sign-in-form" data-step="email" method="post" action="/sign_in">
${csrf}
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" autofocus required>
<button type="submit" id="next-button" class="btn btn-primary">Next</button>
</form></div>`);
    }
    const identity = `<p class="identity"><span id="entered-email">${escapeHtml(email)}</span> <a href="/sign_in?change_email=1" id="change-email">Change</a></p>`;
    const target = emailTarget(info, email);
    if (target.kind === 'accounts') {
      const items = target.accounts
        .map((a) => `<li><a class="account-choice" href="https://${pdHost(a.subdomain, a.region)}/sign_in">${escapeHtml(a.name)} (${pdHost(a.subdomain, a.region)})</a></li>`)
        .join('');
      return layout('Choose an Account | PagerDuty', `${head}${identity}<h2>Choose an account</h2><ul id="account-list">${items}</ul></div>`);
    }
    const sso =
      target.kind === 'sso' || target.kind === 'both'
        ? `<form id="sso-form" method="get" action="https://${pdHost(target.account.subdomain, target.account.region)}/sso/saml/login">
<button type="submit" id="sso-button" class="btn btn-primary">Sign In with Single Sign-On</button></form>`
        : '';
    const password =
      target.kind === 'sso'
        ? ''
        : `<form id="sign-in-form" class="sign-in-form" data-step="password" method="post" action="/sign_in">
${csrf}
<input type="hidden" name="email" value="${escapeHtml(email)}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" autofocus>
<button type="submit" id="sign-in-button" class="btn btn-primary">Sign In</button>
</form><div class="links"><a href="/forgot_password" id="forgot_password">Forgot password?</a></div>`;
    return layout('Sign In | PagerDuty', `${head}${identity}${password}${sso}</div>`);
  }

  type Target =
    | { kind: 'password'; account: PdAccount | null }
    | { kind: 'sso' | 'both'; account: PdAccount }
    | { kind: 'accounts'; accounts: PdAccount[] }
    | { kind: 'none' };

  /** What follows the email step for this host and email. */
  function emailTarget(info: HostInfo, email: string): Target {
    if (info.account) {
      const user = info.account.users.find((u) => u.email === email);
      if (!info.account.sso) return { kind: 'password', account: info.account };
      if (user && user.password !== null) return { kind: 'both', account: info.account };
      return { kind: 'sso', account: info.account };
    }
    // app.* host: the account is found by email, within the host's region.
    const accounts = PD_ACCOUNTS.filter((a) => a.region === info.region && a.users.some((u) => u.email === email));
    if (accounts.length === 0) return { kind: 'none' };
    if (accounts.length > 1) return { kind: 'accounts', accounts };
    const account = accounts[0]!;
    const user = account.users.find((u) => u.email === email)!;
    if (account.sso && user.password === null) return { kind: 'sso', account };
    if (account.subdomain === null) return { kind: 'password', account: null };
    return { kind: 'accounts', accounts };
  }

  function signIn(req: Request, res: ServerResponse, account: PdAccount, user: PdUser, next = '/incidents'): void {
    loginEnded(req.host, sessions.find(req));
    sessions.create(req, res, {
      csrf: token(),
      signedIn: { subdomain: account.subdomain, region: account.region, userId: user.id },
      needsTerms: state.faults.interstitial,
    });
    redirect(res, state.faults.interstitial ? '/terms_of_service' : next);
  }

  /** Checks a password; renders the page again with the error, or signs in. */
  function passwordSignIn(
    req: Request, res: ServerResponse, info: HostInfo, email: string, password: string, render: (error: string) => void,
  ): void {
    const key = `pd:${info.region}:${email}`;
    if (isLocked(state, key)) return render(PD_LOCKED);
    const account = info.account ?? PD_ACCOUNTS.find((a) => a.subdomain === null && a.region === info.region && a.users.some((u) => u.email === email));
    const user = account?.users.find((u) => u.email === email);
    if (!account || !user || user.password === null || !safeEqual(user.password, password)) {
      recordFailure(state, key);
      return render(isLocked(state, key) ? PD_LOCKED : PD_INVALID);
    }
    clearFailures(state, key);
    signIn(req, res, account, user);
  }

  async function handle(req: Request, res: ServerResponse): Promise<boolean> {
    const info = hostInfo(req.host);
    if (!info) return false;
    if (info.subdomain !== null && !info.account) {
      accountNotFound(res, req.host);
      return true;
    }
    const session = sessions.find(req);
    const current = signedInUser(session);
    const route = `${req.method} ${req.path.replace(/\/+$/, '') || '/'}`;
    if (state.faults.roleHidden && current && (req.path.startsWith('/api/') || req.path === '/fe-data')) {
      // The "role-hidden" fault: a signed-in session whose role no endpoint tells.
      sendJson(res, 404, { error: { message: 'Not Found', code: 2100 } });
      return true;
    }

    switch (route) {
      case 'GET /':
        redirect(res, current ? '/incidents' : '/sign_in');
        return true;

      case 'GET /sign_in': {
        if (state.faults.drop) {
          req.raw.socket.destroy();
          return true;
        }
        if (state.http500Pending) {
          state.http500Pending = false;
          sendHtml(res, 500, layout("We're sorry, but something went wrong (500)", `<div class="sign-in-container"><h1>We're sorry, but something went wrong.</h1></div>`));
          return true;
        }
        if (current) {
          redirect(res, '/incidents');
          return true;
        }
        if (info.account?.signIn === 'global') {
          // The account moved to the global sign-in: off to identity.pagerduty.com (the query's names NOT CONFIRMED).
          const query = new URLSearchParams({ account: info.account.subdomain!, region: info.account.region, return_to: safeReturnTo(req.query.get('user_return_to')) });
          redirect(res, `https://${IDENTITY_HOST}${IDENTITY_PATHS.email}?${query}`);
          return true;
        }
        const s = sessions.findOrCreate(req, res, () => ({ csrf: token() }));
        if (!admitLogin(req.host, s, res)) return true;
        if (req.query.has('change_email')) delete s.pendingEmail;
        const twoStep = info.account === null || info.account.signIn === 'two-step';
        sendHtml(res, 200, twoStep ? twoStepPage(info, s, null) : legacyPage(info, s, null, req.query.get('email') ?? ''));
        return true;
      }

      case 'POST /sign_in': {
        const s = session;
        const csrf = req.form.get('authenticity_token') ?? '';
        if (!s || !safeEqual(s.csrf, csrf)) {
          // Rails' answer to a missing/stale CSRF token.
          sendHtml(res, 422, layout('The change you wanted was rejected (422)', `<div class="sign-in-container"><h1>The change you wanted was rejected.</h1><p>Maybe you tried to change something you didn't have access to.</p></div>`));
          return true;
        }
        if (req.form.has('user[email]')) {
          const email = (req.form.get('user[email]') ?? '').trim().toLowerCase();
          const password = req.form.get('user[password]') ?? '';
          passwordSignIn(req, res, info, email, password, (error) => sendHtml(res, 200, legacyPage(info, s, error, email)));
          return true;
        }
        const email = (req.form.get('email') ?? '').trim().toLowerCase();
        if (!req.form.has('password')) {
          if (!/^[^@\s]+@[^@\s]+$/.test(email)) {
            delete s.pendingEmail;
            sendHtml(res, 200, twoStepPage(info, s, 'Please enter a valid email address.')); // NOT CONFIRMED text
            return true;
          }
          const target = emailTarget(info, email);
          if (target.kind === 'none') {
            delete s.pendingEmail;
            sendHtml(res, 200, twoStepPage(info, s, PD_NO_ACCOUNT));
            return true;
          }
          s.pendingEmail = email;
          redirect(res, '/sign_in', 303);
          return true;
        }
        s.pendingEmail = email;
        passwordSignIn(req, res, info, email, req.form.get('password') ?? '', (error) => sendHtml(res, 200, twoStepPage(info, s, error)));
        return true;
      }

      case `GET ${HANDOFF_PATH}`: {
        // The global sign-in hands the session to the account host with a one-time code (NOT CONFIRMED).
        const handoff = identity.takeHandoff(req.query.get('code') ?? '', req.host);
        if (!handoff) return redirect(res, '/sign_in'), true;
        signIn(req, res, handoff.account, handoff.user, handoff.returnTo);
        return true;
      }

      case 'GET /sso/saml/login': {
        // NOT CONFIRMED: the path of PagerDuty's SP-initiated SSO entry.
        loginEnded(req.host, session);
        const account = info.account;
        if (!account?.sso) {
          redirect(res, '/sign_in');
          return true;
        }
        const id = newRequestId();
        const audience = `https://${req.host}`;
        state.pendingAuthn.set(id, { requestId: id, pdSubdomain: account.subdomain!, region: account.region, expires: Date.now() + 10 * 60 * 1000 });
        const query = new URLSearchParams({
          SAMLRequest: encodeAuthnRequest({ id, issuer: audience, acs: `${audience}/sso/saml/consume` }),
          RelayState: '/incidents',
        }).toString();
        const sso = account.sso;
        if (sso.kind === 'okta') {
          const org = OKTA_ORGS.find((o) => o.org === sso.org && o.domain === sso.domain)!;
          const app = org.apps.find((a) => a.appId === sso.appId)!;
          const host = state.faults.phishingRedirect ? `evil-${org.org}.${org.domain}` : `${org.org}.${org.domain}`;
          redirect(res, `https://${host}/app/${app.appName}/${app.appId}/sso/saml?${query}`);
        } else {
          const tenant = ENTRA_TENANTS.find((t) => t.tenant === sso.tenant)!;
          const host = state.faults.phishingRedirect ? `evil-${account.subdomain}.okta.com` : 'login.microsoftonline.com';
          redirect(res, `https://${host}/${tenant.tenant}/saml2?${query}`);
        }
        return true;
      }

      case 'POST /sso/saml/consume': {
        const account = info.account;
        const fail = (why: string) =>
          // NOT CONFIRMED: PagerDuty's page for a rejected SAML response.
          sendHtml(res, 403, layout('Single Sign-On Failed | PagerDuty', `<div class="sign-in-container"><h1>Single sign-on failed</h1><p id="sso-error">${escapeHtml(why)}</p><a href="/sign_in">Back to sign in</a></div>`));
        if (!account?.sso) return fail('Single sign-on is not enabled for this account.'), true;
        const verified = verifyResponse(req.form.get('SAMLResponse') ?? '', state.samlKey);
        const pending = verified ? state.pendingAuthn.get(verified.inResponseTo) : undefined;
        const audience = `https://${req.host}`;
        if (
          !verified || !pending || pending.expires < Date.now() || pending.pdSubdomain !== account.subdomain ||
          verified.audience !== audience || verified.destination !== `${audience}/sso/saml/consume` ||
          verified.notOnOrAfter < Date.now() || state.usedAssertions.has(verified.assertionId)
        ) {
          return fail('The SAML response is invalid or expired. Please sign in again.'), true;
        }
        state.usedAssertions.add(verified.assertionId);
        state.pendingAuthn.delete(verified.inResponseTo);
        const user = account.users.find((u) => u.email === verified.nameId.toLowerCase());
        if (!user) return fail(`No PagerDuty user matches ${verified.nameId}.`), true;
        const relay = req.form.get('RelayState') ?? '';
        signIn(req, res, account, user, relay.startsWith('/') && !relay.startsWith('//') ? relay : '/incidents');
        return true;
      }

      case 'GET /sso/saml/metadata': {
        res.setHeader('Content-Type', 'application/samlmetadata+xml');
        res.end(`<?xml version="1.0"?><md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://${req.host}"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://${req.host}/sso/saml/consume" index="0"/></md:SPSSODescriptor></md:EntityDescriptor>`);
        return true;
      }

      case 'GET /terms_of_service': {
        if (!current) return redirect(res, '/sign_in'), true;
        // The "interstitial" fault: a page no sign-in flow knows.
        sendHtml(res, 200, layout('Review our updated terms | PagerDuty', `<div class="sign-in-container"><a class="logo" href="https://www.pagerduty.com">PagerDuty</a>
<h1 id="terms-title">Review our updated terms</h1>
<p>We have updated our Terms of Service and Privacy Policy. Please review and accept them to continue.</p>
<form method="post" action="/terms_of_service/accept"><input type="hidden" name="authenticity_token" value="${escapeHtml(session!.csrf)}">
<button class="btn" type="submit" id="accept-terms">Accept and continue</button></form></div>`));
        return true;
      }

      case 'POST /terms_of_service/accept': {
        if (!current || !safeEqual(session!.csrf, req.form.get('authenticity_token') ?? '')) return redirect(res, '/sign_in'), true;
        session!.needsTerms = false;
        redirect(res, '/incidents');
        return true;
      }

      case 'GET /api/v1/users/me': {
        // Assumption modeled on the REST API's User.role: the web app reads the signed-in user with its
        // session cookie. The real public REST /users/me needs a user-level API key or OAuth instead.
        if (!current) return sendJson(res, 401, { error: { message: 'Unauthorized', code: 2006 } }), true;
        if (session!.needsTerms) return sendJson(res, 403, { error: { message: 'Please accept the updated terms to continue.', code: 2010 } }), true;
        const { user, account } = current;
        sendJson(res, 200, {
          user: {
            id: user.id, type: 'user', email: user.email, name: user.name, role: user.role,
            html_url: `https://${pdHost(account.subdomain, account.region)}/users/${user.id}`,
          },
        });
        return true;
      }

      case 'GET /fe-data': {
        // The web app's bootstrap (PagerDuty's front-end skeleton, 2018-2019; weak evidence for today):
        // { current_user: { id, role, ... }, current_account: { subdomain }, roles }. Without a session it
        // redirects to sign-in.
        if (!current) return redirect(res, `/sign_in?user_return_to=${encodeURIComponent('/fe-data')}`), true;
        if (session!.needsTerms) return sendJson(res, 403, { error: { message: 'Please accept the updated terms to continue.', code: 2010 } }), true;
        const { user, account } = current;
        sendJson(res, 200, {
          current_user: { id: user.id, email: user.email, name: user.name, role: user.role },
          current_account: { subdomain: account.subdomain, name: account.name },
          roles: Object.keys(ROLE_LABELS),
        });
        return true;
      }

      case 'GET /sign_out':
      case 'POST /sign_out':
        sessions.destroy(req, res);
        redirect(res, '/sign_in');
        return true;

      default:
        break;
    }

    const userPath = /^\/api\/v1\/users\/([A-Za-z0-9]+)$/.exec(req.path);
    if (req.method === 'GET' && userPath) {
      // The REST shape { user: { role } } for a user of the signed-in user's account.
      if (!current) return sendJson(res, 401, { error: { message: 'Unauthorized', code: 2006 } }), true;
      const user = current.account.users.find((u) => u.id === userPath[1]);
      if (!user) return sendJson(res, 404, { error: { message: 'Not Found', code: 2100 } }), true;
      sendJson(res, 200, { user: { id: user.id, type: 'user', email: user.email, name: user.name, role: user.role } });
      return true;
    }

    if (req.method === 'GET' && /^\/(incidents|services|schedules|users|escalation_policies)(\/|$)/.test(req.path)) {
      if (!current) return redirect(res, '/sign_in'), true;
      if (session!.needsTerms) return redirect(res, '/terms_of_service'), true;
      sendHtml(res, 200, appPage(current.account, current.user, state.faults.roleHidden));
      return true;
    }
    sendHtml(res, 404, layout("The page you were looking for doesn't exist (404)", `<div class="sign-in-container"><h1>The page you were looking for doesn't exist.</h1></div>`));
    return true;
  }

  return { handle, sessions };
}

// NOT CONFIRMED: the app shell's markup. "/incidents" as the landing page comes from old scripts.
function appPage(account: PdAccount, user: PdUser, roleHidden: boolean): string {
  const role = ROLE_LABELS[user.role] ?? user.role;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Incidents - PagerDuty</title>
<style>body{font-family:Helvetica,Arial,sans-serif;margin:0}header{display:flex;gap:16px;align-items:center;background:#048a24;color:#fff;padding:10px 20px}
header a{color:#fff}.user-menu{margin-left:auto;position:relative}#user-menu-dropdown{position:absolute;right:0;background:#fff;color:#222;border:1px solid #ccc;padding:10px;min-width:220px}
main{padding:20px}</style></head>
<body data-account="${escapeHtml(account.subdomain ?? 'app')}">
<header class="pd-header">
<a class="logo" href="/incidents">PagerDuty</a>
<nav><a href="/incidents" class="active">Incidents</a> <a href="/services">Services</a> <a href="/schedules">People</a></nav>
<div class="user-menu" id="user-menu">
<button type="button" id="user-menu-button" aria-haspopup="menu" aria-expanded="false"><span class="user-name">${escapeHtml(user.name)}</span></button>
<div id="user-menu-dropdown" role="menu" hidden>
<div class="user-menu-name">${escapeHtml(user.name)}</div>
<div class="user-menu-email">${escapeHtml(user.email)}</div>
${roleHidden ? '' : `<div class="user-menu-role" data-role="${escapeHtml(user.role)}">${escapeHtml(role)}</div>
`}<div class="user-menu-account">${escapeHtml(account.name)}</div>
<a href="/users/${escapeHtml(user.id)}" role="menuitem">My Profile</a>
<a href="/sign_out" role="menuitem" id="sign-out">Log Out</a>
</div></div>
</header>
<main><h1>Incidents</h1><p class="empty-state">No open incidents. Nice work!</p></main>
<script>
document.getElementById('user-menu-button').addEventListener('click', function () {
  var menu = document.getElementById('user-menu-dropdown');
  menu.hidden = !menu.hidden;
  this.setAttribute('aria-expanded', String(!menu.hidden));
});
</script>
</body></html>`;
}
