// Emulated PagerDuty global sign-in on identity.pagerduty.com, where accounts with signIn 'global' send /sign_in.
// Confirmed (login-pages.md: PagerDuty help "Log in to PagerDuty", 2025 user scripts): "click Continue in the
// confirmation modal" if prompted; the email page at /global/authn/authentication/PagerDutyGlobalLogin/enter_email
// with input #email and button #submit; then password and Sign In; SSO users click "Sign In with Single Sign-On"
// and may be asked for the subdomain on .../PagerDutyGlobalLogin/subdomain with button #sso_submit.
// NOT CONFIRMED: everything else (the modal's markup, the password page, failure texts, the hand-back to the
// account host), marked where it is made up.
import type { ServerResponse } from 'node:http';
import {
  type Request, type SandboxState, SessionStore, clearFailures, escapeHtml, isLocked, recordFailure, redirect, safeEqual,
  sendHtml, token,
} from './core.js';
import { PD_ACCOUNTS, type PdAccount, type PdUser, pdHost } from './world.js';

export const IDENTITY_HOST = 'identity.pagerduty.com';
const BASE = '/global/authn/authentication/PagerDutyGlobalLogin';
export const IDENTITY_PATHS = {
  email: `${BASE}/enter_email`,
  password: `${BASE}/enter_password`, // NOT CONFIRMED
  subdomain: `${BASE}/subdomain`,
} as const;
/** NOT CONFIRMED: the account host's path that takes the session over from the identity host. */
export const HANDOFF_PATH = '/global/authn/handoff';
const HANDOFF_TTL_MS = 60_000;

// NOT CONFIRMED texts.
export const IDENTITY_INVALID = 'Incorrect email or password.';
export const IDENTITY_LOCKED = 'Too many failed sign in attempts. Please try again in 15 minutes.';
export const IDENTITY_NO_ACCOUNT = "We couldn't find a PagerDuty account with that email address.";
export const IDENTITY_NO_SSO = "We couldn't find an account with single sign-on at that subdomain.";

interface Flow {
  csrf: string;
  /** The account whose /sign_in sent the browser here, and where to go after. */
  hint?: { subdomain: string; region: 'us' | 'eu' };
  returnTo: string;
  email?: string;
}

export interface Handoff {
  account: PdAccount;
  user: PdUser;
  returnTo: string;
}

/** A same-site path only (no scheme, no //host): anything else becomes /incidents. */
export function safeReturnTo(value: string | null | undefined): string {
  return value && /^\/(?!\/)[\x21-\x7e]*$/.test(value) && !value.includes('\\') ? value : '/incidents';
}

function page(title: string, body: string, script = ''): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,Helvetica,Arial,sans-serif;background:#f7f7f7;margin:0;color:#1b1b1b}
.identity-card{max-width:400px;margin:72px auto;background:#fff;padding:32px;border-radius:8px;box-shadow:0 2px 8px #0002}
label{display:block;margin:14px 0 4px;font-size:14px}
input[type=email],input[type=password],input[type=text]{width:100%;box-sizing:border-box;padding:9px;font-size:15px}
.primary{margin-top:18px;width:100%;padding:10px;background:#005a24;color:#fff;border:0;border-radius:4px;font-size:15px}
.form-error{background:#fdecea;color:#a4131c;padding:10px;border-radius:4px}
dialog::backdrop{background:#0007}
</style></head>
<body><main class="identity-card"><div class="brand">PagerDuty</div>${body}</main>${script}</body></html>`;
}

export function createIdentity(state: SandboxState) {
  // NOT CONFIRMED: the identity host's cookie name.
  const flows = new SessionStore<Flow>('pd_identity_flow');
  const handoffs = new Map<string, Handoff & { expires: number }>();

  const accountsOf = (email: string) => PD_ACCOUNTS.filter((a) => a.users.some((u) => u.email === email));
  const userOf = (account: PdAccount, email: string) => account.users.find((u) => u.email === email)!;

  function errorBox(error: string | null): string {
    return error ? `<p class="form-error" role="alert">${escapeHtml(error)}</p>` : '';
  }

  function emailPage(flow: Flow, error: string | null, confirm: boolean): string {
    const account = flow.hint ? PD_ACCOUNTS.find((a) => a.subdomain === flow.hint!.subdomain && a.region === flow.hint!.region) : undefined;
    // NOT CONFIRMED: the confirmation modal's words and markup; a real modal (showModal) with a Continue button.
    const modal = confirm && account
      ? `<dialog id="global-login-confirm" aria-labelledby="global-login-confirm-title">
<h2 id="global-login-confirm-title">Continue to PagerDuty sign-in</h2>
<p>You are signing in to ${escapeHtml(account.name)} (${escapeHtml(pdHost(account.subdomain, account.region))}). PagerDuty now signs everyone in at ${IDENTITY_HOST}.</p>
<form method="dialog"><button class="primary" value="continue">Continue</button></form></dialog>`
      : '';
    const script = modal ? `<script>document.getElementById('global-login-confirm').showModal();</script>` : '';
    return page('Sign In | PagerDuty', `<h1>Sign in</h1>
${errorBox(error)}
<form method="post" action="${IDENTITY_PATHS.email}" id="enter-email-form">
<input type="hidden" name="csrf_token" value="${escapeHtml(flow.csrf)}">
<label for="email">Email address</label>
<input id="email" name="email" type="email" autocomplete="username" value="${escapeHtml(flow.email ?? '')}">
<button id="submit" class="primary" type="submit">Next</button>
</form>
<p><a href="${IDENTITY_PATHS.subdomain}" class="sso-link">Sign In with Single Sign-On</a></p>${modal}`, script);
  }

  // NOT CONFIRMED: all of the password page. It shows the email as text, a password input and "Sign In";
  // for an SSO account also the SSO link. An SSO-only user gets the SSO link alone.
  function passwordPage(flow: Flow, account: PdAccount, error: string | null): string {
    const user = userOf(account, flow.email!);
    const sso = account.sso ? `<p><a href="${IDENTITY_PATHS.subdomain}" class="sso-link">Sign In with Single Sign-On</a></p>` : '';
    const password = user.password === null
      ? '<p>Your organization signs in with single sign-on.</p>'
      : `<form method="post" action="${IDENTITY_PATHS.password}" id="password-form">
<input type="hidden" name="csrf_token" value="${escapeHtml(flow.csrf)}">
<label for="pw">Password</label>
<input id="pw" name="pw" type="password" autocomplete="current-password" autofocus>
<button class="primary" type="submit">Sign In</button>
</form>`;
    return page('Sign In | PagerDuty', `<h1>Welcome</h1><p class="entered-email">${escapeHtml(flow.email!)} <a href="${IDENTITY_PATHS.email}">Not you?</a></p>
${errorBox(error)}${password}${sso}`);
  }

  function subdomainPage(flow: Flow, error: string | null): string {
    // Confirmed: the path and #sso_submit. NOT CONFIRMED: the input (named "domain" here) and the texts.
    return page('Single Sign-On | PagerDuty', `<h1>Sign in with single sign-on</h1>
${errorBox(error)}
<form method="post" action="${IDENTITY_PATHS.subdomain}" id="sso-form">
<input type="hidden" name="csrf_token" value="${escapeHtml(flow.csrf)}">
<label for="domain-input">Your account's PagerDuty address</label>
<input id="domain-input" name="domain" type="text" autocapitalize="off" spellcheck="false"><span class="suffix">.pagerduty.com</span>
<button id="sso_submit" class="primary" type="submit">Continue</button>
</form>`);
  }

  /** The account this email signs in to: the one whose /sign_in sent us here, else the only one. */
  function accountFor(flow: Flow, email: string): PdAccount | null {
    const accounts = accountsOf(email);
    const hinted = flow.hint && accounts.find((a) => a.subdomain === flow.hint!.subdomain && a.region === flow.hint!.region);
    return hinted ?? (accounts.length === 1 ? accounts[0]! : null);
  }

  function handOff(res: ServerResponse, account: PdAccount, user: PdUser, returnTo: string): void {
    const code = token();
    handoffs.set(code, { account, user, returnTo, expires: Date.now() + HANDOFF_TTL_MS });
    redirect(res, `https://${pdHost(account.subdomain, account.region)}${HANDOFF_PATH}?code=${encodeURIComponent(code)}`);
  }

  async function handle(req: Request, res: ServerResponse): Promise<boolean> {
    if (req.host !== IDENTITY_HOST) return false;
    const flow = flows.find(req);
    const csrfOk = () => flow !== null && safeEqual(flow.csrf, req.form.get('csrf_token') ?? '');
    const expired = () => {
      redirect(res, IDENTITY_PATHS.email);
      return true;
    };
    const route = `${req.method} ${req.path}`;
    switch (route) {
      case `GET ${IDENTITY_PATHS.email}`: {
        const subdomain = req.query.get('account');
        const region = req.query.get('region') === 'eu' ? 'eu' : 'us';
        const fresh = subdomain !== null;
        const f = fresh
          ? flows.create(req, res, { csrf: token(), hint: { subdomain, region }, returnTo: safeReturnTo(req.query.get('return_to')) })
          : flows.findOrCreate(req, res, () => ({ csrf: token(), returnTo: '/incidents' }));
        delete f.email;
        sendHtml(res, 200, emailPage(f, null, fresh));
        return true;
      }
      case `POST ${IDENTITY_PATHS.email}`: {
        if (!csrfOk()) return expired();
        const email = (req.form.get('email') ?? '').trim().toLowerCase();
        const account = /^[^@\s]+@[^@\s]+$/.test(email) ? accountFor(flow!, email) : null;
        if (!account) {
          sendHtml(res, 200, emailPage(flow!, IDENTITY_NO_ACCOUNT, false));
          return true;
        }
        flow!.email = email;
        flow!.hint = { subdomain: account.subdomain!, region: account.region };
        redirect(res, IDENTITY_PATHS.password, 303);
        return true;
      }
      case `GET ${IDENTITY_PATHS.password}`: {
        const account = flow?.email ? accountFor(flow, flow.email) : null;
        if (!account) return expired();
        sendHtml(res, 200, passwordPage(flow!, account, null));
        return true;
      }
      case `POST ${IDENTITY_PATHS.password}`: {
        if (!csrfOk() || !flow!.email) return expired();
        const account = accountFor(flow!, flow!.email);
        if (!account) return expired();
        const user = userOf(account, flow!.email);
        const key = `pd:global:${flow!.email}`;
        if (isLocked(state, key)) return sendHtml(res, 200, passwordPage(flow!, account, IDENTITY_LOCKED)), true;
        if (user.password === null || !safeEqual(user.password, req.form.get('pw') ?? '')) {
          recordFailure(state, key);
          sendHtml(res, 200, passwordPage(flow!, account, isLocked(state, key) ? IDENTITY_LOCKED : IDENTITY_INVALID));
          return true;
        }
        clearFailures(state, key);
        const returnTo = flow!.returnTo;
        flows.destroy(req, res);
        handOff(res, account, user, returnTo);
        return true;
      }
      case `GET ${IDENTITY_PATHS.subdomain}`: {
        const f = flows.findOrCreate(req, res, () => ({ csrf: token(), returnTo: '/incidents' }));
        sendHtml(res, 200, subdomainPage(f, null));
        return true;
      }
      case `POST ${IDENTITY_PATHS.subdomain}`: {
        if (!csrfOk()) return expired();
        const subdomain = (req.form.get('domain') ?? '').trim().toLowerCase().replace(/\.(eu\.)?pagerduty\.com$/, '');
        const account = PD_ACCOUNTS.find((a) => a.subdomain === subdomain && a.sso !== null);
        if (!account) {
          sendHtml(res, 200, subdomainPage(flow!, IDENTITY_NO_SSO));
          return true;
        }
        redirect(res, `https://${pdHost(account.subdomain, account.region)}/sso/saml/login`);
        return true;
      }
      default:
        sendHtml(res, 404, page('Not Found | PagerDuty', '<h1>Page not found</h1>'));
        return true;
    }
  }

  /** For the account host: the hand-back, once, only on the account it was issued for. */
  function takeHandoff(code: string, host: string): Handoff | null {
    const entry = handoffs.get(code);
    handoffs.delete(code);
    if (!entry || entry.expires < Date.now() || pdHost(entry.account.subdomain, entry.account.region) !== host) return null;
    return entry;
  }

  return { handle, takeHandoff };
}

export type Identity = ReturnType<typeof createIdentity>;
