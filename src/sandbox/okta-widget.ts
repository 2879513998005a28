// Okta orgs that serve the vendor's own Sign-In Widget (npm @okta/okta-signin-widget, a dev dependency): the
// browser runs Okta's real front-end code (Gen2 `okta-sign-in.min.js`, Gen3 `okta-sign-in.next.js`, Classic
// `okta-sign-in.classic.js`) against the sandbox's emulation of the APIs behind it: the Identity Engine's IDX
// API (`/idp/idx/*`, response shapes learnt from the widget repository's playground mocks) and the Classic
// authn API (`/api/v1/authn`). Facts are from /work/shared/docs/login-pages.md; guesses are marked NOT CONFIRMED.
// Without the package (an installed product has no dev dependencies) `widgetAssets()` is null and these orgs
// fall back to the hand-written pages of okta.ts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import {
  type Request, type SandboxState, checkCode, clearFailures, escapeHtml, isLocked, recordFailure, redirect, safeEqual, scriptJson,
  sendHtml, sendJson, token,
} from './core.js';
import type { OktaOrg, OktaUser } from './world.js';

export const WIDGET_VERSION = '7.49.0';
/** Where a real org loads the widget from is its CDN; the sandbox serves the files from the org's own host. */
const ASSET_PREFIX = `/assets/js/sdk/okta-signin-widget/${WIDGET_VERSION}/`;
const ASSET_FILES: Record<string, { file: string; type: string }> = {
  'js/okta-sign-in.min.js': { file: 'dist/js/okta-sign-in.min.js', type: 'application/javascript' },
  'js/okta-sign-in.next.js': { file: 'dist/js/okta-sign-in.next.js', type: 'application/javascript' },
  'js/okta-sign-in.classic.js': { file: 'dist/js/okta-sign-in.classic.js', type: 'application/javascript' },
  'css/okta-sign-in.min.css': { file: 'dist/css/okta-sign-in.min.css', type: 'text/css' },
  'css/okta-sign-in.next.css': { file: 'dist/css/okta-sign-in.next.css', type: 'text/css' },
};

const STATIC_TYPES: Record<string, string> = {
  woff2: 'font/woff2', woff: 'font/woff', ttf: 'font/ttf', otf: 'font/otf', eot: 'application/vnd.ms-fontobject',
  svg: 'image/svg+xml', png: 'image/png', gif: 'image/gif',
};

/** Fonts and images the widget's CSS refers to (dist/font, dist/img); nothing outside those folders. */
function staticAsset(name: string): { file: string; type: string } | undefined {
  const match = /^(font|img)\/([A-Za-z0-9_-][A-Za-z0-9_./-]*)\.([a-z0-9]+)$/.exec(name);
  if (!match || name.includes('..') || !STATIC_TYPES[match[3]!]) return undefined;
  return { file: `dist/${name}`, type: STATIC_TYPES[match[3]!]! };
}

// Texts (login-pages.md): confirmed unless marked.
export const IDX_WRONG_PASSWORD = 'Password is incorrect';
export const IDX_WRONG_CODE = 'Invalid code. Try again.';
export const IDX_REUSED_CODE = 'Each code can only be used once. Please wait for a new code and try again.';
export const IDX_LOCKED = 'Your account is locked. Please contact your administrator.'; // NOT CONFIRMED
const IDX_UNKNOWN_USER = 'Unable to sign in'; // NOT CONFIRMED for Identity Engine

let assetDir: string | null | undefined;

/** The installed widget package's folder, or null when it is not installed (or not the pinned version). */
export function widgetAssets(): string | null {
  if (assetDir !== undefined) return assetDir;
  try {
    const manifest = createRequire(import.meta.url).resolve('@okta/okta-signin-widget/package.json');
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string };
    assetDir = version === WIDGET_VERSION ? path.dirname(manifest) : null;
  } catch {
    assetDir = null;
  }
  return assetDir;
}

const assetCache = new Map<string, Buffer>();

type Factor = 'google_otp' | 'okta_verify';

interface IdxTx {
  handle: string;
  host: string;
  fromURI: string;
  stage: 'identify' | 'password' | 'select' | 'challenge' | 'keep-me-signed-in' | 'done';
  username?: string;
  /** The authenticator being challenged. */
  factor?: Factor;
  expires: number;
}

/** An IDX message: its text, and the widget's i18n key for it (the widget shows its own text for a known key). */
interface Message {
  text: string;
  key?: string;
}

interface Messages {
  /** Shown in the banner. */
  form?: Message;
  /** Shown under the passcode field. */
  passcode?: Message;
}

const ionMessage = (m: Message) => ({ message: m.text, ...(m.key ? { i18n: { key: m.key } } : {}), class: 'ERROR' });

const ION = 'application/ion+json; okta-version=1.0.0';

function sendIon(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Type', ION);
  res.end(JSON.stringify(body));
}

export interface WidgetSite {
  handle(req: Request, res: ServerResponse, org: OktaOrg): boolean;
}

/**
 * @param startSession signs the user in at the org (the `sid` session) and answers with a redirect to `fromURI`.
 */
export function createWidgetSite(
  state: SandboxState,
  hooks: {
    findUser(org: OktaOrg, username: string | undefined): OktaUser | undefined;
    lockKey(org: OktaOrg, username: string): string;
    startSession(req: Request, res: ServerResponse, org: OktaOrg, user: OktaUser, fromURI: string): void;
  },
): WidgetSite {
  const txs = new Map<string, IdxTx>();
  /** Classic: authn transactions by stateToken, and one-time session tokens. */
  const authn = new Map<string, { host: string; username: string; fromURI: string; expires: number }>();
  const sessionTokens = new Map<string, { host: string; username: string; expires: number }>();

  const ids = (user: OktaUser) => {
    const slug = user.username.replace(/[^a-z0-9]/gi, '').slice(0, 10);
    return { password: `lae1sbx${slug}`, google_otp: `aut1sbxgoogle${slug}`, okta_verify: `aut1sbxverify${slug}` };
  };

  // ---------------------------------------------------------------- the page that boots the widget
  function widgetPage(org: OktaOrg, boot: Record<string, unknown>, successRedirect: string | null): string {
    const gen = org.frontEnd;
    const js = gen === 'gen3' ? 'js/okta-sign-in.next.js' : gen === 'classic' ? 'js/okta-sign-in.classic.js' : 'js/okta-sign-in.min.js';
    const css = gen === 'gen3' ? 'css/okta-sign-in.next.css' : 'css/okta-sign-in.min.css';
    // Classic hands the session over with the widget's own session.setCookieAndRedirect, as Okta's hosted page does.
    const render = successRedirect === null
      ? 'signIn.renderEl({ el: "#okta-login-container" });'
      : `signIn.renderEl({ el: "#okta-login-container" }, function (res) { if (res.status === "SUCCESS") res.session.setCookieAndRedirect(${scriptJson(successRedirect)}); });`;
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex,nofollow">
<title>${escapeHtml(org.displayName)} - Sign In</title>
<link href="${ASSET_PREFIX}${css}" type="text/css" rel="stylesheet">
</head>
<body class="auth okta-container">
<div id="okta-login-container"></div>
<script src="${ASSET_PREFIX}${js}"></script>
<script>
var signIn = new OktaSignIn(${scriptJson({ baseUrl: `https://${org.org}.${org.domain}`, logo: '', ...boot })});
${render}
</script>
</body></html>`;
  }

  function serveAsset(res: ServerResponse, name: string): boolean {
    const dir = widgetAssets();
    const asset = ASSET_FILES[name] ?? staticAsset(name);
    if (!dir || !asset) return false;
    let body = assetCache.get(name);
    if (!body) {
      try {
        body = readFileSync(path.join(dir, asset.file));
      } catch {
        return false;
      }
      assetCache.set(name, body);
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', asset.type.startsWith('font/') || asset.type.startsWith('image/') ? asset.type : `${asset.type}; charset=utf-8`);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.end(body);
    return true;
  }

  // ---------------------------------------------------------------- IDX responses (shapes from the widget's mocks)
  function stateHandleField(tx: IdxTx) {
    return { name: 'stateHandle', required: true, value: tx.handle, visible: false, mutable: false };
  }

  function form(tx: IdxTx, name: string, pathName: string, value: unknown[], extra: Record<string, unknown> = {}) {
    return {
      rel: ['create-form'], name, href: `https://${tx.host}/idp/idx/${pathName}`, method: 'POST', produces: ION, accepts: 'application/json; okta-version=1.0.0',
      value: [...value, stateHandleField(tx)], ...extra,
    };
  }

  function enrollment(user: OktaUser, factor: Factor | 'password') {
    const id = ids(user);
    if (factor === 'password') return { type: 'password', key: 'okta_password', id: id.password, displayName: 'Password', methods: [{ type: 'password' }] };
    if (factor === 'google_otp') return { type: 'app', key: 'google_otp', id: id.google_otp, displayName: 'Google Authenticator', methods: [{ type: 'otp' }] };
    return { type: 'app', key: 'okta_verify', id: id.okta_verify, displayName: 'Okta Verify', methods: [{ type: 'push' }, { type: 'totp' }] };
  }

  function selectAuthenticator(tx: IdxTx, user: OktaUser) {
    const options = user.factors.map((factor, index) => ({
      label: factor === 'google_otp' ? 'Google Authenticator' : 'Okta Verify',
      value: {
        form: {
          value: factor === 'google_otp'
            ? [{ name: 'id', required: true, value: ids(user).google_otp, mutable: false }]
            : [
                { name: 'id', required: true, value: ids(user).okta_verify, mutable: false },
                { name: 'methodType', type: 'string', required: false, options: [{ label: 'Get a push notification', value: 'push' }, { label: 'Enter a code', value: 'totp' }] },
              ],
        },
      },
      relatesTo: `$.authenticatorEnrollments.value[${index}]`,
    }));
    return form(tx, 'select-authenticator-authenticate', 'challenge', [{ name: 'authenticator', type: 'object', options }]);
  }

  function idxBody(org: OktaOrg, tx: IdxTx, messages: Messages = {}): Record<string, unknown> {
    const user = hooks.findUser(org, tx.username);
    const body: Record<string, unknown> = {
      version: '1.0.0', stateHandle: tx.handle, expiresAt: new Date(tx.expires).toISOString(), intent: 'LOGIN',
      cancel: form(tx, 'cancel', 'cancel', []),
      app: { type: 'object', value: { name: 'pagerduty', label: 'PagerDuty', id: org.apps[0]?.appId ?? 'app' } },
    };
    if (messages.form) body.messages = { type: 'array', value: [ionMessage(messages.form)] };
    if (tx.username) body.user = { type: 'object', value: { id: `00u1sbx${tx.username.replace(/[^a-z0-9]/gi, '').slice(0, 10)}`, identifier: tx.username } };
    const remediation = (value: unknown[]) => ({ type: 'array', value });

    if (tx.stage === 'identify') {
      body.remediation = remediation([form(tx, 'identify', 'identify', [{ name: 'identifier', label: 'Username' }, { name: 'rememberMe', label: 'Remember Me', type: 'boolean' }])]);
      return body;
    }
    if (tx.stage === 'password') {
      const passwordUser = user ?? ({ username: tx.username ?? '', factors: [] } as unknown as OktaUser);
      body.remediation = remediation([
        form(tx, 'challenge-authenticator', 'challenge/answer', [{ name: 'credentials', type: 'object', required: true, form: { value: [{ name: 'passcode', label: 'Password', secret: true }] } }], {
          relatesTo: ['$.currentAuthenticatorEnrollment'],
        }),
      ]);
      body.currentAuthenticatorEnrollment = { type: 'object', value: enrollment(passwordUser, 'password') };
      return body;
    }
    if (!user) return body;
    const enrollments = { type: 'array', value: user.factors.map((f) => enrollment(user, f)) };
    body.authenticatorEnrollments = enrollments;
    if (tx.stage === 'select') {
      body.remediation = remediation([selectAuthenticator(tx, user)]);
      return body;
    }
    if (tx.stage === 'challenge' && tx.factor === 'okta_verify') {
      // Okta Verify push: the widget polls; nobody holds the phone, so it never completes.
      body.remediation = remediation([
        form(tx, 'challenge-poll', 'authenticators/poll', [], { relatesTo: ['$.currentAuthenticator'], refresh: 4000 }),
        selectAuthenticator(tx, user),
      ]);
      body.currentAuthenticator = { type: 'object', value: { ...enrollment(user, 'okta_verify'), methods: [{ type: 'push' }] } };
      return body;
    }
    if (tx.stage === 'challenge') {
      const passcode: Record<string, unknown> = { name: 'passcode', label: 'Enter code', required: true, visible: true };
      if (messages.passcode) passcode.messages = { type: 'array', value: [ionMessage(messages.passcode)] };
      body.remediation = remediation([
        form(tx, 'challenge-authenticator', 'challenge/answer', [{ name: 'credentials', type: 'object', required: true, form: { value: [passcode] } }], {
          relatesTo: ['$.currentAuthenticator'],
        }),
        selectAuthenticator(tx, user),
      ]);
      body.currentAuthenticator = { type: 'object', value: enrollment(user, 'google_otp') };
      return body;
    }
    if (tx.stage === 'keep-me-signed-in') {
      body.remediation = remediation([
        form(tx, 'keep-me-signed-in', 'keep-me-signed-in', [{ name: 'keepMeSignedIn', type: 'boolean', label: 'Stay signed in', required: true, value: false }]),
      ]);
      return body;
    }
    // done: the widget follows success.href, which sets the Okta session and goes on to fromURI.
    delete body.remediation;
    body.success = { name: 'success-redirect', href: `https://${tx.host}/login/token/redirect?stateToken=${encodeURIComponent(tx.handle)}` };
    return body;
  }

  /** After the password: Okta Verify first when it is the user's default, else the list, else the only factor. */
  function afterPassword(tx: IdxTx, user: OktaUser): void {
    if (user.factors[0] === 'okta_verify') {
      tx.stage = 'challenge';
      tx.factor = 'okta_verify';
    } else if (user.factors.length > 1) {
      tx.stage = 'select';
    } else {
      tx.stage = 'challenge';
      tx.factor = 'google_otp';
    }
  }

  function body(req: Request): Record<string, unknown> {
    return req.json ?? {};
  }

  function idxRoute(req: Request, res: ServerResponse, org: OktaOrg): boolean {
    const input = body(req);
    if (req.path === '/idp/idx/introspect') {
      const tx = txs.get(String(input.stateToken ?? ''));
      if (!tx || tx.host !== req.host || tx.expires < Date.now()) return sendIon(res, 403, sessionExpired()), true;
      sendIon(res, 200, idxBody(org, tx));
      return true;
    }
    const tx = txs.get(String(input.stateHandle ?? ''));
    if (!tx || tx.host !== req.host || tx.expires < Date.now()) return sendIon(res, 403, sessionExpired()), true;
    const user = hooks.findUser(org, tx.username);
    const answer = (status = 200, messages: Messages = {}) => (sendIon(res, status, idxBody(org, tx, messages)), true);

    if (req.path === '/idp/idx/cancel') {
      tx.stage = 'identify';
      delete tx.factor;
      return answer();
    }
    if (req.path === '/idp/idx/identify' && tx.stage === 'identify') {
      const identifier = String(input.identifier ?? '').trim();
      tx.username = identifier;
      if (isLocked(state, hooks.lockKey(org, identifier))) return answer(403, { form: { text: IDX_LOCKED } });
      tx.stage = 'password';
      return answer();
    }
    if (req.path === '/idp/idx/challenge/answer' && tx.stage === 'password') {
      const key = hooks.lockKey(org, tx.username ?? '');
      if (isLocked(state, key)) return answer(403, { form: { text: IDX_LOCKED } });
      const passcode = String((input.credentials as Record<string, unknown> | undefined)?.passcode ?? '');
      if (!user || !safeEqual(user.password, passcode)) {
        recordFailure(state, key);
        if (isLocked(state, key)) return answer(403, { form: { text: IDX_LOCKED } });
        return answer(403, { form: user ? { text: IDX_WRONG_PASSWORD } : { text: IDX_UNKNOWN_USER } });
      }
      afterPassword(tx, user);
      return answer();
    }
    if (req.path === '/idp/idx/challenge' && user && (tx.stage === 'select' || tx.stage === 'challenge')) {
      const chosen = String((input.authenticator as Record<string, unknown> | undefined)?.id ?? '');
      const factor = user.factors.find((f) => ids(user)[f] === chosen);
      if (!factor) return answer(400, { form: { text: 'The authenticator is not available.' } }); // NOT CONFIRMED text
      tx.stage = 'challenge';
      tx.factor = factor;
      return answer();
    }
    if (req.path === '/idp/idx/authenticators/poll' && tx.stage === 'challenge') return answer();
    if (req.path === '/idp/idx/challenge/answer' && tx.stage === 'challenge' && tx.factor === 'google_otp' && user) {
      const key = hooks.lockKey(org, user.username);
      if (isLocked(state, key)) return answer(403, { form: { text: IDX_LOCKED } });
      const code = String((input.credentials as Record<string, unknown> | undefined)?.passcode ?? '');
      const result = checkCode(state, `okta:${org.org}.${org.domain}:${user.username}`, user.totpSecret, code);
      if (result !== 'ok') {
        recordFailure(state, key);
        if (isLocked(state, key)) return answer(403, { form: { text: IDX_LOCKED } });
        return answer(403, {
          passcode: result === 'reused'
            ? { text: IDX_REUSED_CODE, key: 'authfactor.challenge.soft_token.used_passcode' }
            : { text: IDX_WRONG_CODE, key: 'api.authn.error.PASSCODE_INVALID' },
        });
      }
      clearFailures(state, key);
      tx.stage = org.keepMeSignedIn ? 'keep-me-signed-in' : 'done';
      return answer();
    }
    if (req.path === '/idp/idx/keep-me-signed-in' && tx.stage === 'keep-me-signed-in') {
      tx.stage = 'done';
      return answer();
    }
    return answer(400, { form: { text: 'The request is not valid in this state.' } }); // NOT CONFIRMED text
  }

  function sessionExpired() {
    return { version: '1.0.0', messages: { type: 'array', value: [{ message: 'The session has expired.', i18n: { key: 'idx.session.expired' }, class: 'ERROR' }] } };
  }

  // ---------------------------------------------------------------- Classic authn API (widget Gen1, `okta-sign-in.classic.js`)
  function authnError(res: ServerResponse, status: number, code: string, summary: string, causes: string[] = []): true {
    sendJson(res, status, { errorCode: code, errorSummary: summary, errorLink: code, errorId: `oae${token(8)}`, errorCauses: causes.map((c) => ({ errorSummary: c })) });
    return true;
  }

  function classicFactors(req: Request, user: OktaUser) {
    return user.factors.map((factor) => {
      const id = factor === 'google_otp' ? ids(user).google_otp : ids(user).okta_verify;
      const verify = { href: `https://${req.host}/api/v1/authn/factors/${id}/verify`, hints: { allow: ['POST'] } };
      return factor === 'google_otp'
        ? { id, factorType: 'token:software:totp', provider: 'GOOGLE', vendorName: 'GOOGLE', profile: { credentialId: user.username }, _links: { verify } }
        : { id, factorType: 'push', provider: 'OKTA', vendorName: 'OKTA', profile: { credentialId: user.username, deviceType: 'SmartPhone_IPhone', name: 'iPhone', platform: 'IOS' }, _links: { verify } };
    });
  }

  function classicRoute(req: Request, res: ServerResponse, org: OktaOrg): boolean {
    const input = body(req);
    if (req.path === '/api/v1/authn' && req.method === 'POST') {
      const username = String(input.username ?? '').trim();
      const key = hooks.lockKey(org, username);
      const user = hooks.findUser(org, username);
      if (isLocked(state, key)) return authnError(res, 401, 'E0000004', 'Authentication failed');
      if (!user || !safeEqual(user.password, String(input.password ?? ''))) {
        recordFailure(state, key);
        return authnError(res, 401, 'E0000004', 'Authentication failed');
      }
      const stateToken = `00${token(24)}`;
      const fromURI = String(req.cookies.get('sbx_widget_from') ?? '/app/UserHome');
      authn.set(stateToken, { host: req.host, username: user.username, fromURI, expires: Date.now() + 5 * 60 * 1000 });
      sendJson(res, 200, {
        stateToken, expiresAt: new Date(Date.now() + 5 * 60 * 1000).toISOString(), status: 'MFA_REQUIRED',
        _embedded: { user: { id: `00u1sbx${user.username.replace(/[^a-z0-9]/gi, '').slice(0, 10)}`, profile: { login: user.username, firstName: user.displayName.split(' ')[0], lastName: user.displayName.split(' ').slice(1).join(' '), locale: 'en', timeZone: 'America/Los_Angeles' } }, factors: classicFactors(req, user) },
        _links: { cancel: { href: `https://${req.host}/api/v1/authn/cancel`, hints: { allow: ['POST'] } } },
      });
      return true;
    }
    if (req.path === '/api/v1/authn/cancel') return sendJson(res, 200, {}), true;
    const verify = /^\/api\/v1\/authn\/factors\/([^/]+)\/verify$/.exec(req.path);
    if (verify && req.method === 'POST') {
      const tx = authn.get(String(input.stateToken ?? ''));
      if (!tx || tx.host !== req.host || tx.expires < Date.now()) return authnError(res, 401, 'E0000011', 'Invalid token provided');
      const user = hooks.findUser(org, tx.username)!;
      const key = hooks.lockKey(org, user.username);
      if (verify[1] === ids(user).okta_verify) {
        // A push is never approved: nobody holds the phone.
        sendJson(res, 200, { stateToken: input.stateToken, status: 'MFA_CHALLENGE', factorResult: 'WAITING', _embedded: { factor: classicFactors(req, user)[user.factors.indexOf('okta_verify')] }, _links: { next: { name: 'poll', href: req.path.replace(/\/verify$/, '/verify'), hints: { allow: ['POST'] } } } });
        return true;
      }
      if (verify[1] !== ids(user).google_otp) return authnError(res, 404, 'E0000007', 'Not found: Resource not found');
      if (isLocked(state, key)) return authnError(res, 403, 'E0000069', 'User Locked');
      const result = checkCode(state, `okta:${org.org}.${org.domain}:${user.username}`, user.totpSecret, String(input.passCode ?? ''));
      if (result !== 'ok') {
        recordFailure(state, key);
        if (isLocked(state, key)) return authnError(res, 403, 'E0000069', 'User Locked');
        // NOT CONFIRMED: the Classic API's exact cause texts.
        return authnError(res, 403, 'E0000068', 'Invalid Passcode/Answer', [result === 'reused' ? IDX_REUSED_CODE : "Your code doesn't match our records. Please try again."]);
      }
      clearFailures(state, key);
      authn.delete(String(input.stateToken));
      const sessionToken = token(24);
      sessionTokens.set(sessionToken, { host: req.host, username: user.username, expires: Date.now() + 60 * 1000 });
      sendJson(res, 200, { expiresAt: new Date(Date.now() + 60 * 1000).toISOString(), status: 'SUCCESS', sessionToken, _embedded: { user: { id: `00u1sbx${user.username.replace(/[^a-z0-9]/gi, '').slice(0, 10)}`, profile: { login: user.username } } } });
      return true;
    }
    return false;
  }

  function handle(req: Request, res: ServerResponse, org: OktaOrg): boolean {
    if (req.method === 'GET' && req.path.startsWith(ASSET_PREFIX)) return serveAsset(res, req.path.slice(ASSET_PREFIX.length));
    if (req.method === 'GET' && req.path === '/login/login.htm') {
      const raw = req.query.get('fromURI');
      const fromURI = raw && raw.startsWith('/') && !raw.startsWith('//') ? raw : '/app/UserHome';
      if (org.frontEnd === 'classic') {
        // NOT CONFIRMED: how Okta's hosted Classic page carries fromURI; here a short-lived cookie.
        res.appendHeader('Set-Cookie', `sbx_widget_from=${encodeURIComponent(fromURI)}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=600`);
        sendHtml(res, 200, widgetPage(org, { useClassicEngine: true, features: { router: false } }, `https://${req.host}${fromURI}`));
        return true;
      }
      const tx: IdxTx = { handle: `02${token(30)}`, host: req.host, fromURI, stage: 'identify', expires: Date.now() + 30 * 60 * 1000 };
      txs.set(tx.handle, tx);
      sendHtml(res, 200, widgetPage(org, { stateToken: tx.handle }, null));
      return true;
    }
    if (req.method === 'GET' && req.path === '/login/token/redirect') {
      const tx = txs.get(req.query.get('stateToken') ?? '');
      const user = tx ? hooks.findUser(org, tx.username) : undefined;
      if (!tx || tx.host !== req.host || tx.stage !== 'done' || !user) return redirect(res, '/login/login.htm'), true;
      txs.delete(tx.handle);
      hooks.startSession(req, res, org, user, tx.fromURI);
      return true;
    }
    if (req.method === 'GET' && req.path === '/login/sessionCookieRedirect') {
      const entry = sessionTokens.get(req.query.get('token') ?? '');
      const user = entry ? hooks.findUser(org, entry.username) : undefined;
      sessionTokens.delete(req.query.get('token') ?? '');
      if (!entry || entry.host !== req.host || entry.expires < Date.now() || !user) return redirect(res, '/login/login.htm'), true;
      const target = new URL(req.query.get('redirectUrl') ?? '/app/UserHome', `https://${req.host}`);
      // Only back to this org's own pages.
      const fromURI = target.host === req.host ? `${target.pathname}${target.search}` : '/app/UserHome';
      hooks.startSession(req, res, org, user, fromURI);
      return true;
    }
    if (req.method === 'POST' && req.path.startsWith('/idp/idx/') && org.frontEnd !== 'classic') return idxRoute(req, res, org);
    if (req.method === 'POST' && req.path.startsWith('/api/v1/authn') && org.frontEnd === 'classic') return classicRoute(req, res, org);
    return false;
  }

  return { handle };
}
