// Emulated authenticator enrollment: Okta's "Set up Google Authenticator" and Entra's Security info "Set up your
// account in app" (a different authenticator app). Each shows a QR code of a fresh otpauth://totp URI and, behind
// "Can't scan?" / "Can't scan image?", the same secret as text; the enrollment completes only with a correct
// current code. From then on the user's sign-in checks codes of the new secret (state.enrolledSecrets), as an IdP
// does after a re-enrollment. The code typed here counts as used for sign-in too (same ledger key as checkCode).
//
// NOT CONFIRMED: the paths (/signin/enroll/google-authenticator on the Okta org, /security-info on
// mysignins.microsoft.com), the markup and the error texts are modelled on the vendors' help pages, not copied.
import type { ServerResponse } from 'node:http';
import { generateSecret } from 'otplib';
import QRCode from 'qrcode';
import { type Request, type SandboxState, SessionStore, checkCodeOf, escapeHtml, redirect, safeEqual, sendHtml } from './core.js';
import type { SampleAccount } from './types.js';
import { ENTRA_TENANTS, OKTA_ORGS, type IdpUser } from './world.js';

export const MYSIGNINS_HOST = 'mysignins.microsoft.com';
export const OKTA_ENROLL_PATH = '/signin/enroll/google-authenticator';
export const ENTRA_ENROLL_PATH = '/security-info';

interface Enrollment {
  userKey: string;
  user: IdpUser;
  issuer: string;
  secret: string;
  done: boolean;
}

interface Site {
  kind: 'okta' | 'entra';
  title: string;
  cantScan: string;
  submit: string;
  doneText: string;
  users: Array<{ user: IdpUser; userKey: string; issuer: string }>;
}

/** Where a sample account's IdP user enrolls a new authenticator (null for PagerDuty credentials). */
export function enrollmentUrl(account: SampleAccount): string | null {
  if (account.loginMethod === 'azure') return `https://${MYSIGNINS_HOST}${ENTRA_ENROLL_PATH}`;
  if (account.loginMethod !== 'okta' || !account.oktaSubdomain) return null;
  const host = /^https?:\/\//.test(account.oktaSubdomain) ? new URL(account.oktaSubdomain).hostname : `${account.oktaSubdomain}.okta.com`;
  return `https://${host}${OKTA_ENROLL_PATH}`;
}

function siteFor(req: Request): Site | null {
  if (req.host === MYSIGNINS_HOST && req.path === ENTRA_ENROLL_PATH) {
    return {
      kind: 'entra',
      title: 'Set up your account in app',
      cantScan: "Can't scan image?",
      submit: 'Next',
      doneText: 'Authenticator app was successfully registered',
      users: ENTRA_TENANTS.flatMap((t) => t.users.map((user) => ({ user, userKey: `entra:${t.tenant}:${user.username}`, issuer: t.displayName }))),
    };
  }
  if (req.path !== OKTA_ENROLL_PATH) return null;
  const org = OKTA_ORGS.find((o) => req.host === `${o.org}.${o.domain}`);
  if (!org) return null;
  return {
    kind: 'okta',
    title: 'Set up Google Authenticator',
    cantScan: "Can't scan?",
    submit: 'Verify',
    doneText: 'Google Authenticator is set up',
    users: org.users.map((user) => ({ user, userKey: `okta:${org.org}.${org.domain}:${user.username}`, issuer: `${org.org}.${org.domain}` })),
  };
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;margin:40px;max-width:560px}.qr svg{width:240px;height:240px}label{display:block;margin-top:12px}
.error{color:#b00020}code{font-size:18px;letter-spacing:2px}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function signInForm(site: Site, error?: string): string {
  return page(site.title, `${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post"><label>Username <input type="email" name="username" autocomplete="username" required></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button></form>`);
}

async function qrForm(site: Site, enrollment: Enrollment, error?: string): Promise<string> {
  const label = `${encodeURIComponent(enrollment.issuer)}:${encodeURIComponent(enrollment.user.username)}`;
  const uri = `otpauth://totp/${label}?secret=${enrollment.secret}&issuer=${encodeURIComponent(enrollment.issuer)}`;
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 4, errorCorrectionLevel: 'M' });
  const grouped = enrollment.secret.replace(/(.{4})/g, '$1 ').trim();
  return page(site.title, `${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<p>Scan the QR code with your authenticator app.</p>
<div class="qr" role="img" aria-label="QR code">${svg}</div>
<details><summary>${escapeHtml(site.cantScan)}</summary>
<p>Account name: ${escapeHtml(enrollment.user.username)}</p><p>Secret key: <code>${grouped}</code></p></details>
<form method="post"><label>Enter code <input type="text" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6"></label>
<button type="submit">${escapeHtml(site.submit)}</button></form>`);
}

export function createEnrollment(state: SandboxState) {
  const sessions = new SessionStore<{ enrollment: Enrollment | null }>('sbx_enroll');

  async function handle(req: Request, res: ServerResponse): Promise<boolean> {
    const site = siteFor(req);
    if (!site) return false;
    const session = sessions.find(req);
    const enrollment = session?.enrollment ?? null;

    if (req.method === 'GET') {
      if (!enrollment) sendHtml(res, 200, signInForm(site));
      else if (enrollment.done) sendHtml(res, 200, page(site.title, `<p role="status">${escapeHtml(site.doneText)}.</p>`));
      else sendHtml(res, 200, await qrForm(site, enrollment));
      return true;
    }
    if (req.method !== 'POST') return false;

    if (!enrollment) {
      const username = req.form.get('username') ?? '';
      const found = site.users.find((u) => u.user.username.toLowerCase() === username.trim().toLowerCase());
      if (!found || !safeEqual(found.user.password, req.form.get('password') ?? '')) {
        sendHtml(res, 200, signInForm(site, 'Unable to sign in: check the username and password.'));
        return true;
      }
      // A fresh 20-byte secret per enrollment, as the IdPs generate (base32, 32 characters). Only the secret's
      // text comes from otplib: the sandbox checks codes with its own HMAC (totp.ts), never with the product's.
      sessions.create(req, res, { enrollment: { userKey: found.userKey, user: found.user, issuer: found.issuer, secret: generateSecret({ length: 20 }), done: false } });
      redirect(res, req.path, 303);
      return true;
    }
    if (enrollment.done) return redirect(res, req.path, 303), true;
    const result = checkCodeOf(state, enrollment.userKey, enrollment.secret, req.form.get('code') ?? '');
    if (result !== 'ok') {
      sendHtml(res, 200, await qrForm(site, enrollment, "Your code doesn't match. Enter the current code from your authenticator app."));
      return true;
    }
    enrollment.done = true;
    state.enrolledSecrets.set(enrollment.userKey, enrollment.secret);
    redirect(res, req.path, 303);
    return true;
  }

  return { handle };
}
