// The sign-in flows as data: every page state a log-in can meet, how it is recognised, and what to do there.
// Selectors come from the public facts in docs/login-pages.md; a vendor change is a one-line fix here.
// States are tried in table order, so more specific states come first.
import type { RefusalReason } from '../core/errors.js';
import type { LoginMethod } from '../core/types.js';
import type { HostRole } from './origin-policy.js';
import type { UntakenRetry } from './untaken-click.js';
import type { StepName } from './types.js';

/** A CSS selector, optionally narrowed to elements whose visible text (or value/title) matches `text` (case-insensitive). */
export interface Sel {
  css: string;
  text?: string;
}

export type Action =
  | { type: 'fill'; target: Sel; value: 'user' | 'password' | 'subdomain' }
  | { type: 'fill-code'; target: Sel }
  /** ifMissing: what it means when the target never appears (say, the MFA factor we need is not offered). */
  | { type: 'click'; target: Sel; ifMissing?: Failure }
  /** Follow the link among `target` that leads to the instance's own PagerDuty host. */
  | { type: 'choose-account'; target: Sel }
  /** Submit the form holding `target`, but only when it posts to the instance's PagerDuty host. */
  | { type: 'submit-handback'; target: Sel };

export interface Failure {
  code: 'LOGIN_REJECTED' | 'MFA_REJECTED';
  message: string;
  fix: string;
}

export interface PageState {
  id: string;
  role: HostRole;
  /** The step this state belongs to; a function when it depends on the login method. */
  step: StepName | ((method: LoginMethod) => StepName);
  /** form: act on it; transient: wait; success: signed in; failure: the provider refused (say why and stop). */
  kind: 'form' | 'transient' | 'success' | 'failure';
  /** For failure states: what it means for the user. */
  failure?: Failure;
  /** Every one must be visible. */
  visible?: Sel[];
  /** Every one must exist in the DOM (hidden inputs of auto-posting forms). */
  present?: Sel[];
  /** None may be visible. */
  hidden?: Sel[];
  /** Regex source the URL path must match. */
  path?: string;
  /** Only on the account's own PagerDuty host, never on the shared identity.pagerduty.com (a page there
   *  that shows no form yet, say while its script renders, is not "signed in"). */
  accountHostOnly?: boolean;
  /** Visible error elements that mean this state rejected what we sent. */
  errors?: Sel[];
  /** What a rejection here means: the user/password, or the one-time code. */
  rejects?: 'login' | 'mfa';
  /** Optional elements whose visibility the action depends on. */
  probes?: Record<string, Sel>;
  act?: (method: LoginMethod, probes: Record<string, boolean>) => Action[];
  /** A re-render may swallow the click (script-rendered widgets): when nothing was sent and the state is still
   *  there, unchanged, after `waitMs`, act again, up to `tries` actions in all (see untaken-click.ts). */
  retryUntaken?: UntakenRetry;
  /** For transient states: what to do when the page has not moved on by itself after a while. */
  nudge?: Action;
}

const css = (selector: string, text?: string): Sel => (text === undefined ? { css: selector } : { css: selector, text });

// ---- PagerDuty -------------------------------------------------------------------------------------------
// Legacy one-page form at /sign_in (confirmed by public automation code). The two-step page (email, Next,
// password, Sign In) is described by PagerDuty's help but its field names are NOT confirmed: it is recognised by
// input types and button texts instead of ids. Where a failed log-in is shown is NOT confirmed either: the engine
// also treats "the same form rendered again in a new document" as a rejection.
const PD_EMAIL = css(
  'input[name="user[email]"], input#user_email, input#email, input[type="email"], input[name="email"], input[name*="email" i], input[autocomplete="username"], input[autocomplete="email"]',
);
const PD_PASSWORD = css('input[name="user[password]"], input#user_password, input[type="password"]');
const PD_SUBMIT = css('input[name="commit"], button[type="submit"], input[type="submit"], button', '^\\s*(sign in|log in|continue|submit)\\s*$');
const PD_NEXT = css('button, input[type="submit"]', '^\\s*(next|continue)\\s*$');
const PD_SSO = css('a, button, input[type="submit"]', 'identity provider|single sign-on|\\bsso\\b');
const PD_SUBDOMAIN = css('input[name*="subdomain" i], input[id*="subdomain" i]');
const PD_ERRORS = [css('#flash_error, .flash-error, .alert-error, .alert-danger, .error-message, [role="alert"], .form-error')];
/** Signed-in app pages: where a log-in lands (/incidents in public scripts) and the app's other sections.
 *  Anything else on a PagerDuty host after sign-in (terms to accept, a survey) is an unrecognized page. */
const PD_APP_PATHS =
  '^/($|incidents|service-directory|services|schedules|escalation_policies|users|teams|analytics|dashboards?|account|home|my-on-call|alerts|insights|event_orchestration|status-dashboard|overview)(/|$)';
/** Global sign-in on identity.pagerduty.com (2025 user scripts): the email page's button is #submit, the SSO
 *  subdomain page's #sso_submit. Their texts are not public: a button read "Next" or "Sign In" is clicked by text
 *  first, the id is the fallback. */
const PD_EMAIL_SUBMIT_ID = css('#submit');
const PD_SSO_SUBMIT_ID = css('#sso_submit');
/** "If prompted, click Continue in the confirmation modal" (PagerDuty help): a modal dialog with a Continue
 *  button. While it is open nothing behind it counts as visible (detect.ts), so nothing is typed before it. */
const PD_MODAL = css('dialog[open], [role="dialog"][aria-modal="true"], [role="alertdialog"][aria-modal="true"]');
const PD_MODAL_CONTINUE = css(
  'dialog[open] button, dialog[open] a, dialog[open] input[type="submit"], [aria-modal="true"] button, [aria-modal="true"] a, [aria-modal="true"] input[type="submit"]',
  '^\\s*continue\\b',
);
/** An email on several accounts gets a list of accounts (PagerDuty help); each leads to an account's host. */
const PD_ACCOUNT_LINKS = css('#account-list a, a.account-choice, [data-account-subdomain] a');

const ssoMethod = (method: LoginMethod) => method !== 'credentials';
const PD_SUBDOMAIN_ANY = css('input[name*="subdomain" i], input[id*="subdomain" i], input[type="text"], input:not([type])');
function subdomainActions(input: Sel, probes: Record<string, boolean>): Action[] {
  return [
    { type: 'fill', target: input, value: 'subdomain' },
    { type: 'click', target: probes.ssoSubmit ? PD_SSO_SUBMIT_ID : css('button, input[type="submit"]', 'next|continue|sign in|submit|go') },
  ];
}

export const PAGERDUTY_STATES: PageState[] = [
  { id: 'pagerduty.signed-in', role: 'pagerduty', step: 'back-at-pagerduty', kind: 'success', path: PD_APP_PATHS, hidden: [PD_PASSWORD, PD_EMAIL], accountHostOnly: true },
  {
    id: 'pagerduty.account-choice',
    role: 'pagerduty',
    step: 'open-sign-in',
    kind: 'form',
    visible: [PD_ACCOUNT_LINKS],
    hidden: [PD_PASSWORD],
    act: () => [{ type: 'choose-account', target: PD_ACCOUNT_LINKS }],
  },
  {
    id: 'pagerduty.confirm-dialog',
    role: 'pagerduty',
    step: 'open-sign-in',
    kind: 'form',
    visible: [PD_MODAL, PD_MODAL_CONTINUE],
    act: () => [{ type: 'click', target: PD_MODAL_CONTINUE }],
  },
  { id: 'pagerduty.saml-consume', role: 'pagerduty', step: 'back-at-pagerduty', kind: 'transient', path: '^/sso/saml/consume' },
  {
    id: 'pagerduty.subdomain',
    role: 'pagerduty',
    step: 'open-sign-in',
    kind: 'form',
    visible: [PD_SUBDOMAIN],
    hidden: [PD_PASSWORD],
    errors: PD_ERRORS,
    rejects: 'login',
    probes: { ssoSubmit: PD_SSO_SUBMIT_ID },
    act: (_method, probes) => subdomainActions(PD_SUBDOMAIN, probes),
  },
  {
    // The global sign-in's SSO page (path and #sso_submit from 2025 user scripts; the input's name is not public).
    id: 'pagerduty.identity-subdomain',
    role: 'pagerduty',
    step: 'open-sign-in',
    kind: 'form',
    path: '/PagerDutyGlobalLogin/subdomain',
    visible: [PD_SUBDOMAIN_ANY],
    hidden: [PD_PASSWORD],
    errors: PD_ERRORS,
    rejects: 'login',
    probes: { ssoSubmit: PD_SSO_SUBMIT_ID },
    act: (_method, probes) => subdomainActions(PD_SUBDOMAIN_ANY, probes),
  },
  {
    id: 'pagerduty.one-page',
    role: 'pagerduty',
    step: (method) => (ssoMethod(method) ? 'open-sign-in' : 'credentials'),
    kind: 'form',
    visible: [css('input[name="user[email]"], input#user_email'), css('input[name="user[password]"], input#user_password')],
    errors: PD_ERRORS,
    rejects: 'login',
    probes: { sso: PD_SSO },
    act: (method) =>
      ssoMethod(method)
        ? [{ type: 'click', target: PD_SSO }]
        : [
            { type: 'fill', target: css('input[name="user[email]"], input#user_email'), value: 'user' },
            { type: 'fill', target: css('input[name="user[password]"], input#user_password'), value: 'password' },
            { type: 'click', target: css('input[name="commit"], button[type="submit"], input[type="submit"]') },
          ],
  },
  {
    id: 'pagerduty.password',
    role: 'pagerduty',
    step: (method) => (ssoMethod(method) ? 'open-sign-in' : 'credentials'),
    kind: 'form',
    visible: [PD_PASSWORD],
    errors: PD_ERRORS,
    rejects: 'login',
    probes: { sso: PD_SSO, email: PD_EMAIL },
    act: (method, probes) => {
      if (ssoMethod(method)) return probes.sso ? [{ type: 'click', target: PD_SSO }] : [];
      const actions: Action[] = [];
      if (probes.email) actions.push({ type: 'fill', target: PD_EMAIL, value: 'user' });
      actions.push({ type: 'fill', target: PD_PASSWORD, value: 'password' }, { type: 'click', target: PD_SUBMIT });
      return actions;
    },
  },
  {
    id: 'pagerduty.email',
    role: 'pagerduty',
    step: 'open-sign-in',
    kind: 'form',
    visible: [PD_EMAIL],
    hidden: [PD_PASSWORD],
    errors: PD_ERRORS,
    rejects: 'login',
    probes: { sso: PD_SSO, next: PD_NEXT, submit: PD_SUBMIT },
    act: (method, probes) =>
      ssoMethod(method) && probes.sso
        ? [{ type: 'click', target: PD_SSO }]
        : [
            { type: 'fill', target: PD_EMAIL, value: 'user' },
            { type: 'click', target: probes.next ? PD_NEXT : probes.submit ? PD_SUBMIT : PD_EMAIL_SUBMIT_ID },
          ],
  },
  {
    // After the email, an SSO account offers "Sign In with Single Sign-On" (PagerDuty help).
    id: 'pagerduty.sso-choice',
    role: 'pagerduty',
    step: 'open-sign-in',
    kind: 'form',
    visible: [PD_SSO],
    hidden: [PD_PASSWORD, PD_EMAIL],
    errors: PD_ERRORS,
    rejects: 'login',
    act: () => [{ type: 'click', target: PD_SSO }],
  },
];

// ---- Okta Sign-In Widget (okta/okta-signin-widget) ----------------------------------------------------------
// Three generations are live (login-pages.md): Classic, Identity Engine Gen2 and Identity Engine Gen3 (opt-in; its
// CSS is not guaranteed stable, so it is matched by names, data-se keys, roles and texts, never by class names).
// Each selector's origin is in docs/flows.md.
const OKTA_CLASSIC_ERRORS = [css('.okta-form-infobox-error'), css('.o-form-input-error')];
const OKTA_CLASSIC_TOTP = css('[data-se="factor-totp"] input[name="answer"]');
/** Classic's factor menu (widget source, BaseDropDown / FactorsDropDown): the toggle `a.option-selected` names the
 *  menu it opens in `aria-controls="okta-dropdown-options"`; the menu is in the DOM but not displayed until the
 *  toggle is clicked. Open = its entries shown (the real widget's `#okta-dropdown-options` box itself has no height,
 *  its list overflows it; the toggle's aria-expanded is not read: hand-made pages may lack it). */
const OKTA_CLASSIC_MENU_TOGGLE = css('a.option-selected, a[aria-controls="okta-dropdown-options"]');
const OKTA_CLASSIC_MENU_OPEN = css('#okta-dropdown-options li');
/** The option's title (hand-written pages) or its text (the real widget: no title) names the factor. */
const OKTA_CLASSIC_GOOGLE_OPTION = css('#okta-dropdown-options li.factor-option a', '^\\s*google authenticator');
/** Field errors first (the precise message), then banners. Gen3: the field's `<id>-error` element, or the
 *  input itself when marked aria-invalid (detect.ts reads its described-by text); Gen2: `.o-form-input-error`. */
const OKTA_IE_ERRORS = [
  css('form[data-se="o-form"] [id$="-error"]'),
  css('.o-form-input-error'),
  css('form[data-se="o-form"] input[aria-invalid="true"]'),
  css('[data-se="o-form-error-container"] .infobox-error'),
  css('[data-se="infobox-error"] [role="alert"], form[data-se="o-form"] [role="alert"]'),
];
/** Gen2: `input[data-type="save"]`; Gen3 (widget >= 7.17): `button[type="submit"][data-se="save"]`. */
const OKTA_IE_SAVE = css('input[data-type="save"], button[data-type="save"], button[type="submit"][data-se="save"], form[data-se="o-form"] button[type="submit"]');
const OKTA_IE_CODE = css('input[name="credentials.passcode"]:not([type="password"])');
const OKTA_IE_PASSWORD = css('input[name="credentials.passcode"][type="password"]');
/** Google Authenticator by its key wherever it is listed: Gen2 `.authenticator-button[data-se=google_otp]` with its
 *  "Select" link; Gen3 the `authenticator-button` that holds `[data-se=google_otp]`. */
const OKTA_IE_GOOGLE = css(
  '.authenticator-button[data-se="google_otp"] a.select-factor, [data-se="google_otp"] .select-factor, [data-se="authenticator-button"]:has([data-se="google_otp"]), button:has([data-se="google_otp"])',
);
const OKTA_IE_LIST = css('.authenticator-list .authenticator-row, [data-se="authenticator-verify-list"] [data-se="authenticator-button"]');
const OKTA_IE_SWITCH = css('[data-se="switchAuthenticator"], a, button', 'verify with something else');
const OKTA_IE_NO_KMSI = css('[data-se="do-not-stay-signed-in-btn"], a, button', 'don[\'’]t stay signed in');
const OKTA_NO_TOTP: Failure = {
  code: 'MFA_REJECTED',
  message: 'Okta does not offer this user Google Authenticator, the factor the 2FA secret is for.',
  fix: 'Enroll Google Authenticator for the user in Okta and use its setup key as the 2FA secret.',
};

export const OKTA_STATES: PageState[] = [
  {
    id: 'okta.classic.totp',
    role: 'okta',
    step: 'mfa',
    kind: 'form',
    visible: [OKTA_CLASSIC_TOTP],
    errors: OKTA_CLASSIC_ERRORS,
    rejects: 'mfa',
    act: () => [
      { type: 'fill-code', target: css('[data-se="factor-totp"] input[name="answer"]') },
      { type: 'click', target: css('[data-se="factor-totp"] input[type="submit"], [data-se="factor-totp"] button[type="submit"]') },
    ],
  },
  {
    // The factor menu is open: choose Google Authenticator. Only an open menu without it means the user has none.
    id: 'okta.classic.factor-menu',
    role: 'okta',
    step: 'mfa',
    kind: 'form',
    visible: [OKTA_CLASSIC_MENU_OPEN],
    hidden: [OKTA_CLASSIC_TOTP],
    act: () => [{ type: 'click', target: OKTA_CLASSIC_GOOGLE_OPTION, ifMissing: OKTA_NO_TOTP }],
  },
  {
    // Another factor (Okta Verify sorts first) is the default and the factor menu is closed: open it. The click
    // opens the menu in place and sends nothing, and the real widget may re-render its beacon (with the menu)
    // under the click while it animates: a menu still closed after a moment is clicked again, a few times.
    id: 'okta.classic.other-factor',
    role: 'okta',
    step: 'mfa',
    kind: 'form',
    visible: [OKTA_CLASSIC_MENU_TOGGLE],
    hidden: [OKTA_CLASSIC_TOTP, OKTA_CLASSIC_MENU_OPEN],
    retryUntaken: { waitMs: 1_500, tries: 3 },
    act: () => [{ type: 'click', target: OKTA_CLASSIC_MENU_TOGGLE }],
  },
  {
    id: 'okta.classic.sign-in',
    role: 'okta',
    step: 'idp',
    kind: 'form',
    visible: [css('#okta-signin-username, input[name="username"]'), css('#okta-signin-password, input[name="password"]')],
    errors: OKTA_CLASSIC_ERRORS,
    rejects: 'login',
    act: () => [
      { type: 'fill', target: css('#okta-signin-username, input[name="username"]'), value: 'user' },
      { type: 'fill', target: css('#okta-signin-password, input[name="password"]'), value: 'password' },
      { type: 'click', target: css('#okta-signin-submit') },
    ],
  },
  {
    // "Keep me signed in" after the log-in (Gen2 links, Gen3 buttons): always "Don't stay signed in".
    id: 'okta.ie.keep-me-signed-in',
    role: 'okta',
    step: 'mfa',
    kind: 'form',
    visible: [OKTA_IE_NO_KMSI],
    hidden: [OKTA_IE_CODE, OKTA_IE_PASSWORD],
    act: () => [{ type: 'click', target: OKTA_IE_NO_KMSI }],
  },
  {
    id: 'okta.ie.select-authenticator',
    role: 'okta',
    step: 'mfa',
    kind: 'form',
    visible: [OKTA_IE_LIST],
    // Gen2 may redraw the list under the click (seen: "Nothing happened after clicking a "Select"", nothing sent).
    retryUntaken: { waitMs: 1_500, tries: 3 },
    act: () => [{ type: 'click', target: OKTA_IE_GOOGLE, ifMissing: OKTA_NO_TOTP }],
  },
  {
    // Identity Engine uses credentials.passcode for both the password and the code: the input type tells them apart.
    id: 'okta.ie.code',
    role: 'okta',
    step: 'mfa',
    kind: 'form',
    visible: [OKTA_IE_CODE],
    errors: OKTA_IE_ERRORS,
    rejects: 'mfa',
    act: () => [
      { type: 'fill-code', target: OKTA_IE_CODE },
      { type: 'click', target: OKTA_IE_SAVE },
    ],
  },
  {
    id: 'okta.ie.password',
    role: 'okta',
    step: 'idp',
    kind: 'form',
    visible: [OKTA_IE_PASSWORD],
    hidden: [css('input[name="identifier"]')],
    errors: OKTA_IE_ERRORS,
    rejects: 'login',
    act: () => [
      { type: 'fill', target: OKTA_IE_PASSWORD, value: 'password' },
      { type: 'click', target: OKTA_IE_SAVE },
    ],
  },
  {
    id: 'okta.ie.identifier',
    role: 'okta',
    step: 'idp',
    kind: 'form',
    visible: [css('input[name="identifier"]')],
    errors: OKTA_IE_ERRORS,
    rejects: 'login',
    probes: { passcode: OKTA_IE_PASSWORD },
    act: (_method, probes) => [
      { type: 'fill', target: css('input[name="identifier"]'), value: 'user' },
      ...(probes.passcode ? [{ type: 'fill', target: OKTA_IE_PASSWORD, value: 'password' } as Action] : []),
      { type: 'click', target: OKTA_IE_SAVE },
    ],
  },
  {
    // Another authenticator was challenged first (an Okta Verify push, which cannot be completed headless):
    // "Verify with something else" leads to the list. Only when no code, password or username is asked for.
    id: 'okta.ie.other-authenticator',
    role: 'okta',
    step: 'mfa',
    kind: 'form',
    visible: [OKTA_IE_SWITCH],
    hidden: [OKTA_IE_CODE, OKTA_IE_PASSWORD, css('input[name="identifier"]'), OKTA_IE_LIST],
    act: () => [{ type: 'click', target: OKTA_IE_SWITCH }],
  },
];

// ---- Microsoft Entra ID (login.microsoftonline.com) ------------------------------------------------------------
// Email and password steps live in one document; the inactive step's inputs stay with class moveOffScreen.
const ENTRA_EMAIL = css('input[name="loginfmt"]:not(.moveOffScreen)');
const ENTRA_PASSWORD = css('input[name="passwd"]:not(.moveOffScreen)');
const ENTRA_NEXT = css('#idSIButton9');

const ENTRA_ERROR_TEXT = [css('#service_exception_message'), css('#errorDescription'), css('.error-text')];
const ENTRA_REFUSED: Failure = {
  code: 'LOGIN_REJECTED',
  message: 'Microsoft Entra ID refused the sign-in with an error page.',
  fix: 'Check that the user is assigned to the PagerDuty app in Entra and can sign in to it in a browser.',
};

const ENTRA_NO_CODE: Failure = {
  code: 'MFA_REJECTED',
  message: 'Microsoft Entra ID does not offer this user a verification code from an authenticator app.',
  fix: 'Register a third-party software OATH token (or an authenticator app code) for the user in Entra and use its secret as the 2FA secret.',
};

const ENTRA_NO_PASSWORD: Failure = {
  code: 'LOGIN_REJECTED',
  message: 'Microsoft Entra ID offers this user no way to sign in with a password.',
  fix: 'Let the user sign in with a password in Entra (Authentication methods), then run the test again.',
};

/** Pages of one kind are told apart by Entra's PageID meta tag (login-pages.md). */
const entraPage = (pageId: string, selector: string) => `html:has(meta[name="PageID"][content="${pageId}"]) :is(${selector})`;
/** A registration nudge the user may skip: "Ask later", or a skip link (login-pages.md). #iCancel and #iShowSkip
 *  are generic ids, so they count only on the registration page itself. */
const ENTRA_SKIP_REGISTRATION = css(`#btnAskLater, a[data-bind*="SkipMfaRegistration"], ${entraPage('ConvergedProofUpRedirect', '#iCancel, #iShowSkip')}`);
const ENTRA_PUSH_DENIED: Failure = {
  code: 'MFA_REJECTED',
  message: 'Microsoft Entra ID says the sign-in request sent to the Microsoft Authenticator app was denied.',
  fix: 'Someone denied this sign-in on the phone: if that was not the Account Owner, treat it as a warning. Make an authenticator-app code the default sign-in method of the user, then run the test again.',
};
const ENTRA_PUSH_TIMED_OUT: Failure = {
  code: 'MFA_REJECTED',
  message: 'Microsoft Entra ID says the sign-in request sent to the Microsoft Authenticator app timed out.',
  fix: 'Make an authenticator-app code the default sign-in method of the user (a push cannot be answered by the scanner), then run the test again.',
};

export const ENTRA_STATES: PageState[] = [
  // Error pages Entra shows instead of a form (an AADSTS code: user not assigned to the app, disabled, ...).
  { id: 'entra.error', role: 'entra', step: 'idp', kind: 'failure', present: [css('meta[name="PageID"][content="ConvergedError"]')], errors: ENTRA_ERROR_TEXT, failure: ENTRA_REFUSED },
  { id: 'entra.service-exception', role: 'entra', step: 'idp', kind: 'failure', visible: [css('#service_exception_message')], errors: ENTRA_ERROR_TEXT, failure: ENTRA_REFUSED },
  {
    id: 'entra.conditional-access',
    role: 'entra',
    step: 'idp',
    kind: 'failure',
    present: [css('meta[name="PageID"][content="ConvergedConditionalAccess"]')],
    failure: {
      code: 'LOGIN_REJECTED',
      message: 'Microsoft Entra ID blocked the sign-in (Conditional Access).',
      fix: 'Allow this sign-in (the scanner signs in from its own network, with a one-time code) in the Conditional Access policy.',
    },
  },
  // "Let's keep your account secure" with a way out: skip it, as a person in a hurry would.
  { id: 'entra.registration-nudge', role: 'entra', step: 'mfa', kind: 'form', visible: [ENTRA_SKIP_REGISTRATION], act: () => [{ type: 'click', target: ENTRA_SKIP_REGISTRATION }] },
  {
    // "More information required" with no skip: Entra wants the user to register sign-in methods first, which needs a person.
    id: 'entra.proof-up',
    role: 'entra',
    step: 'mfa',
    kind: 'failure',
    present: [css('meta[name="PageID"][content="ConvergedProofUpRedirect"]')],
    hidden: [ENTRA_SKIP_REGISTRATION],
    failure: {
      code: 'MFA_REJECTED',
      message: 'Microsoft Entra ID asks this user to register more sign-in methods ("More information required").',
      fix: 'Sign in once in a browser, finish the registration with the third-party software OATH token whose secret you give here, then run the test again.',
    },
  },
  {
    // "Continue to sign in?": the sign-in was started here, by us, at PagerDuty's own address, so continue.
    id: 'entra.continue-sign-in',
    role: 'entra',
    step: 'mfa',
    kind: 'form',
    visible: [css(`#appConfirmTitle, ${entraPage('CmsiInterrupt', '#idSIButton9')}`)],
    act: () => [{ type: 'click', target: css('#idSIButton9, button[type="submit"], input[type="submit"]', '^\\s*continue\\s*$') }],
  },
  { id: 'entra.kmsi', role: 'entra', step: 'mfa', kind: 'form', visible: [css('#KmsiDescription')], act: () => [{ type: 'click', target: css('#idBtn_Back') }] },
  {
    id: 'entra.code',
    role: 'entra',
    step: 'mfa',
    kind: 'form',
    visible: [css('input[name="otc"]')],
    errors: [css('#idSpan_SAOTCC_Error_OTC')],
    rejects: 'mfa',
    act: () => [
      { type: 'fill-code', target: css('input[name="otc"]') },
      { type: 'click', target: css('#idSubmit_SAOTCC_Continue') },
    ],
  },
  // A push someone denied, or nobody answered: a person said no (or nobody is there); never push on past it.
  { id: 'entra.push-denied', role: 'entra', step: 'mfa', kind: 'failure', visible: [css('#idDiv_SAASDS_Description')], errors: [css('#idDiv_SAASDS_Description')], failure: ENTRA_PUSH_DENIED },
  { id: 'entra.push-timed-out', role: 'entra', step: 'mfa', kind: 'failure', visible: [css('#idDiv_SAASTO_Description')], errors: [css('#idDiv_SAASTO_Description')], failure: ENTRA_PUSH_TIMED_OUT },
  {
    id: 'entra.proofs',
    role: 'entra',
    step: 'mfa',
    kind: 'form',
    visible: [css('#idDiv_SAOTCS_Proofs')],
    act: () => [{ type: 'click', target: css('#idDiv_SAOTCS_Proofs [data-value="PhoneAppOTP"], div[data-value="PhoneAppOTP"]'), ifMissing: ENTRA_NO_CODE }],
  },
  {
    // Push with number matching cannot be completed headless: always switch to a verification code.
    id: 'entra.push',
    role: 'entra',
    step: 'mfa',
    kind: 'form',
    visible: [css('#idDiv_SAOTCAS_Description, #idRichContext_DisplaySign')],
    act: () => [{ type: 'click', target: css('#signInAnotherWay'), ifMissing: ENTRA_NO_CODE }],
  },
  // The same email may be a work and a personal account: the PagerDuty app lives in the work (Entra) one.
  { id: 'entra.account-type', role: 'entra', step: 'idp', kind: 'form', visible: [css('#aadTile')], act: () => [{ type: 'click', target: css('#aadTile') }] },
  {
    // "Choose a way to sign in": the password, never a passkey or a push.
    id: 'entra.credential-picker',
    role: 'entra',
    step: 'idp',
    kind: 'form',
    visible: [css('#credentialList')],
    act: () => [{ type: 'click', target: css('#credentialList [data-test-cred-id]', 'use (my|your) password'), ifMissing: ENTRA_NO_PASSWORD }],
  },
  {
    // Passwordless phone sign-in offered instead of the password: take the password way out.
    id: 'entra.passwordless',
    role: 'entra',
    step: 'idp',
    kind: 'form',
    visible: [css('#idRemoteNGC_DisplaySign, #idDiv_RemoteNGC_PollingDescription, #idA_PWD_SwitchToPassword')],
    hidden: [ENTRA_PASSWORD, css('input[name="loginfmt"]')],
    probes: { password: css('#idA_PWD_SwitchToPassword') },
    act: (_method, probes) => [
      probes.password
        ? { type: 'click', target: css('#idA_PWD_SwitchToPassword') }
        : { type: 'click', target: css('#idA_PWD_SwitchToCredPicker'), ifMissing: ENTRA_NO_PASSWORD },
    ],
  },
  {
    id: 'entra.password',
    role: 'entra',
    step: 'idp',
    kind: 'form',
    visible: [ENTRA_PASSWORD],
    // Both inputs live in one document: while the email input is the visible one, this is the email step.
    hidden: [css('input[name="loginfmt"]')],
    errors: [css('#passwordError'), css('.has-error ~ .alert-error, div.alert-error')],
    rejects: 'login',
    act: () => [
      { type: 'fill', target: ENTRA_PASSWORD, value: 'password' },
      { type: 'click', target: ENTRA_NEXT },
    ],
  },
  {
    id: 'entra.email',
    role: 'entra',
    step: 'idp',
    kind: 'form',
    visible: [ENTRA_EMAIL],
    errors: [css('#usernameError'), css('div.alert-error')],
    rejects: 'login',
    act: () => [
      { type: 'fill', target: ENTRA_EMAIL, value: 'user' },
      { type: 'click', target: ENTRA_NEXT },
    ],
  },
];

// ---- Refusals told apart by their words -----------------------------------------------------------------------
// A rejected form, an error page or a page of its own may say *why* the service refused: the words decide the
// outcome and its fix wherever they appear (a locked account needs waiting or an admin, not a new password).
// Texts: PagerDuty "Your account is locked because of too many failed sign in attempts" (sandbox, NOT CONFIRMED);
// Okta "Your account is locked. Please contact your administrator." and Identity Engine's "This factor is
// suspended for your account due to too many failed attempts"; Entra AADSTS50053 "Your account is locked" / "has
// been locked" and smart lockout's "temporarily locked to prevent unauthorized use".

export interface RefusalMeaning {
  /** Carried as the error's `reason` (JSON `error.reason`), so scripts and the wizard need not read the words. */
  id: RefusalReason;
  /** Regex source, case-insensitive, tested on the page's error text. */
  text: string;
}

export const REFUSAL_MEANINGS: RefusalMeaning[] = [
  {
    id: 'account-locked',
    text: String.raw`\b(?:account|user)\b[^.!?]{0,40}\b(?:is|was|has been|got)\s+(?:temporarily\s+|now\s+)?locked\b|\blocked out\b|\b(?:account|sign[- ]?in) (?:is |has been )?locked\b|\bsuspended\b[^.!?]{0,60}\btoo many\b`,
  },
];

/** The meaning of a refusal's text, when the table knows it. */
export function refusalMeaning(text: string | undefined): RefusalMeaning | undefined {
  if (!text) return undefined;
  return REFUSAL_MEANINGS.find((meaning) => new RegExp(meaning.text, 'i').test(text));
}

/** The SAML hand-back from an IdP: an auto-submitting form; wait for it. */
const SAML_RESPONSE = css('form input[name="SAMLResponse"]');
export const HANDBACK_STATES: PageState[] = [
  { id: 'okta.saml-post', role: 'okta', step: 'back-at-pagerduty', kind: 'transient', present: [SAML_RESPONSE], nudge: { type: 'submit-handback', target: SAML_RESPONSE } },
  { id: 'entra.saml-post', role: 'entra', step: 'back-at-pagerduty', kind: 'transient', present: [SAML_RESPONSE], nudge: { type: 'submit-handback', target: SAML_RESPONSE } },
];

export function statesFor(method: LoginMethod): PageState[] {
  if (method === 'okta') return [...HANDBACK_STATES, ...OKTA_STATES, ...PAGERDUTY_STATES];
  if (method === 'azure') return [...HANDBACK_STATES, ...ENTRA_STATES, ...PAGERDUTY_STATES];
  return PAGERDUTY_STATES;
}
