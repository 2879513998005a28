// After sign-in: is the signed-in user the Account Owner?
//
// The web app's own endpoints on the account host are asked first, with the session cookie and the headers
// the app sends (login-pages.md): `/fe-data` (`current_user.role`, the app's bootstrap), then
// `/api/v1/users/<id>` when an id is known, then `/api/v1/users/me` (REST shape `{ user: { role } }`). Only the
// role "owner" is the Account Owner. A 401 or a redirect to sign-in from every endpoint that answered means
// the browser holds no session: the sign-in did not really complete, which is said, never passed as
// "unverified". When no endpoint gives a role, a role label on the page counts only from an element that
// belongs to the signed-in user (the user menu or profile, found by the user's email or id, holding no other
// person): app pages also list other people with their roles, and a false "verified" is worse than none.
import type { Page } from 'puppeteer-core';
import type { OwnerStatus } from '../core/types.js';

export interface OwnerCheck {
  status: OwnerStatus;
  role: string | null;
  detail: string;
  /** Every endpoint that answered said "not signed in" (401, or a redirect to sign-in). */
  sessionMissing?: boolean;
}

export const FE_DATA_ENDPOINT = '/fe-data';
export const ME_ENDPOINT = '/api/v1/users/me';
/** The headers PagerDuty's web app sends to its own API (chrome-notifier, a copied browser request). */
export const APP_API_HEADERS: Readonly<Record<string, string>> = {
  'X-PagerDuty-Api-Local': '1',
  'X-Requested-With': 'XMLHttpRequest',
  Accept: 'application/vnd.pagerduty+json;version=2',
};
const OWNER_ROLE = 'owner';

/** What one endpoint answered, as seen from the page. */
export interface EndpointAnswer {
  status: number;
  body: unknown;
  /** The request was sent to a sign-in page (same-origin /sign_in or /login, or away to another origin). */
  redirectedToSignIn: boolean;
}

/** Who the signed-in user is, as far as anything said so. */
export interface Identity {
  ids: string[];
  emails: string[];
}

export type EndpointVerdict =
  | { kind: 'role'; role: string; who: Partial<{ id: string; email: string }> }
  | { kind: 'no-role'; who: Partial<{ id: string; email: string }> }
  | { kind: 'no-session' }
  | { kind: 'no-answer' };

const ROLE_SHAPE = /^[a-z_]{1,40}$/;
const ID_SHAPE = /^[A-Za-z0-9]{1,40}$/;
const EMAIL_SHAPE = /^[^\s@<>"']{1,200}@[^\s@<>"']{1,200}$/;

/** Pure: the user object an endpoint answered with (fe-data: current_user; users: user; or the body itself). */
function userOf(endpoint: string, body: unknown): Record<string, unknown> | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  const inner = endpoint === FE_DATA_ENDPOINT ? record.current_user : record.user;
  if (typeof inner === 'object' && inner !== null) return inner as Record<string, unknown>;
  return endpoint === FE_DATA_ENDPOINT ? null : record;
}

/** Pure: what one endpoint's answer says. */
export function readEndpoint(endpoint: string, answer: EndpointAnswer): EndpointVerdict {
  if (answer.status === 401 || answer.redirectedToSignIn) return { kind: 'no-session' };
  if (answer.status !== 200) return { kind: 'no-answer' };
  const user = userOf(endpoint, answer.body);
  if (!user) return { kind: 'no-answer' };
  const who: Partial<{ id: string; email: string }> = {};
  if (typeof user.id === 'string' && ID_SHAPE.test(user.id)) who.id = user.id;
  if (typeof user.email === 'string' && EMAIL_SHAPE.test(user.email)) who.email = user.email.toLowerCase();
  const role = user.role;
  if (typeof role === 'string' && ROLE_SHAPE.test(role)) return { kind: 'role', role, who };
  return { kind: 'no-role', who };
}

/** Pure: the decision from a role an endpoint named. */
export function decideFromRole(role: string, source: string): OwnerCheck {
  return role === OWNER_ROLE
    ? { status: 'verified', role, detail: `${source} says the role is "owner"` }
    : { status: 'not-owner', role, detail: `${source} says the role is "${role}", not "owner"` };
}

/** Pure: the decision when no endpoint named a role. `verdicts` are those of the endpoints asked, in order. */
export function decideWithoutRole(verdicts: Array<{ endpoint: string; verdict: EndpointVerdict }>, fromPage: OwnerCheck | null): OwnerCheck {
  const answered = verdicts.filter((v) => v.verdict.kind !== 'no-answer');
  if (answered.length > 0 && answered.every((v) => v.verdict.kind === 'no-session')) {
    return {
      status: 'unverified',
      role: null,
      sessionMissing: true,
      detail: `${answered.map((v) => v.endpoint).join(' and ')} answered "not signed in" (HTTP 401 or a redirect to sign-in): the browser holds no PagerDuty session`,
    };
  }
  if (fromPage) return fromPage;
  return { status: 'unverified', role: null, detail: `${verdicts.map((v) => v.endpoint).join(', ')} gave no role, and the app page shows none for the signed-in user` };
}

/** REST role names and the labels the web app shows for them (login-pages.md). */
const ROLE_LABELS: Record<string, string> = {
  'account owner': 'owner',
  owner: 'owner',
  'global admin': 'admin',
  admin: 'admin',
  manager: 'user',
  user: 'user',
  responder: 'limited_user',
  'limited user': 'limited_user',
  limited_user: 'limited_user',
  observer: 'observer',
  'restricted access': 'restricted_access',
  restricted_access: 'restricted_access',
  stakeholder: 'read_only_user',
  'full stakeholder': 'read_only_user',
  'read-only user': 'read_only_user',
  read_only_user: 'read_only_user',
  'limited stakeholder': 'read_only_limited_user',
  'read-only limited user': 'read_only_limited_user',
  read_only_limited_user: 'read_only_limited_user',
};

/** Pure: the REST role a page label or attribute names, or null. */
export function roleFromLabel(label: string): string | null {
  return ROLE_LABELS[label.replace(/\s+/g, ' ').trim().toLowerCase()] ?? null;
}

/** Pure: the decision from the role labels of the signed-in user's own element (user menu, profile).
 *  Different roles there cannot be told apart: then nothing is decided. */
export function decideOwnerFromPage(labels: string[]): OwnerCheck | null {
  const roles = [...new Set(labels.map(roleFromLabel).filter((r): r is string => r !== null))];
  if (roles.length !== 1) return null;
  const role = roles[0]!;
  return role === OWNER_ROLE
    ? { status: 'verified', role, detail: 'the signed-in user\'s menu on the app page shows the role "Account Owner"' }
    : { status: 'not-owner', role, detail: `the signed-in user's menu on the app page shows the role "${role}", not "owner"` };
}

/**
 * In the page: for each element that names the signed-in user (their email or id), the role labels of the
 * smallest element around it that holds one, as long as that element names no other person (no other email,
 * no other /users/<id>). Self-contained: serialized into the page.
 */
function ownRoleLabels(args: { identity: Identity; known: string[] }): string[] {
  const emails = args.identity.emails.map((e) => e.toLowerCase());
  const ids = args.identity.ids;
  const known = new Set(args.known);
  const isRole = (text: string) => known.has(text.replace(/\s+/g, ' ').trim().toLowerCase());
  const EMAIL = /[^\s@<>"'(),;:]+@[a-z0-9.-]+\.[a-z]{2,}/gi;
  const userIdIn = (href: string): string | null => /\/users\/([A-Za-z0-9]{1,40})(?:[/?#]|$)/.exec(href)?.[1] ?? null;
  const attrsOf = (el: Element) => ['data-email', 'data-user-email', 'data-user-id', 'href', 'title', 'aria-label'].map((a) => el.getAttribute(a) ?? '');
  const within = (root: Element) => [root, ...Array.from(root.querySelectorAll('*'))];

  const onlyUs = (root: Element): boolean => {
    const seenEmails = new Set<string>();
    const seenIds = new Set<string>();
    // Text node by text node: textContent runs neighbouring cells together ("Ritarita@acme.exampleResponder").
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of (node.nodeValue ?? '').match(EMAIL) ?? []) seenEmails.add(m.toLowerCase());
    }
    for (const el of within(root)) {
      for (const value of attrsOf(el)) for (const m of value.match(EMAIL) ?? []) seenEmails.add(m.toLowerCase().replace(/^mailto:/, ''));
      const id = el.getAttribute('data-user-id') ?? userIdIn(el.getAttribute('href') ?? '');
      if (id) seenIds.add(id);
    }
    // What we do not know of the user (their id, say) may show once (the "My Profile" link); two are two people.
    const emailsOk = emails.length > 0 ? [...seenEmails].every((e) => emails.includes(e)) : seenEmails.size <= 1;
    return emailsOk && (ids.length > 0 ? [...seenIds].every((id) => ids.includes(id)) : seenIds.size <= 1);
  };
  const rolesIn = (root: Element): string[] => {
    const labels: string[] = [];
    for (const el of within(root)) {
      for (const attr of ['data-role', 'data-user-role']) {
        const value = el.getAttribute(attr);
        if (value && isRole(value)) labels.push(value);
      }
      const text = el.children.length === 0 ? (el.textContent ?? '').trim() : '';
      if (text && text.length <= 40 && isRole(text)) labels.push(text);
    }
    return labels;
  };

  const anchors: Element[] = [];
  for (const el of Array.from(document.body?.querySelectorAll('*') ?? [])) {
    const text = el.children.length === 0 ? (el.textContent ?? '').toLowerCase() : '';
    const attrs = attrsOf(el).join(' ').toLowerCase();
    const id = el.getAttribute('data-user-id') ?? userIdIn(el.getAttribute('href') ?? '');
    if (emails.some((e) => text.includes(e) || attrs.includes(e)) || (id !== null && ids.includes(id))) anchors.push(el);
    if (anchors.length >= 20) break;
  }
  const labels: string[] = [];
  for (const anchor of anchors) {
    for (let el: Element | null = anchor; el && el !== document.body && el !== document.documentElement; el = el.parentElement) {
      if (!onlyUs(el)) break;
      const found = rolesIn(el);
      if (found.length > 0) {
        labels.push(...found);
        break;
      }
    }
  }
  return labels.slice(0, 50);
}

/** In the page: one endpoint, with the session and the app's headers. Self-contained: serialized into the page. */
async function askEndpoint(args: { endpoint: string; headers: Record<string, string>; ms: number }): Promise<EndpointAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), args.ms);
  const signInPath = (url: string) => /^\/(sign_in|login|users\/sign_in)(\/|$)/.test(new URL(url).pathname);
  try {
    const response = await fetch(args.endpoint, { credentials: 'same-origin', headers: args.headers, signal: controller.signal });
    const text = await response.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    return { status: response.status, body, redirectedToSignIn: response.redirected && signInPath(response.url) };
  } catch {
    // A redirect to another origin (the shared sign-in host) fails the fetch: look at the redirect itself.
    try {
      const response = await fetch(args.endpoint, { credentials: 'same-origin', headers: args.headers, redirect: 'manual', signal: controller.signal });
      return { status: 0, body: null, redirectedToSignIn: response.type === 'opaqueredirect' };
    } catch {
      return { status: 0, body: null, redirectedToSignIn: false };
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The check itself. `knownEmail` is the user we signed in as, when it is also their PagerDuty email (it is
 * for password sign-ins; an IdP username usually is too): it helps find the user's own element on the page.
 */
export async function checkOwner(page: Page, timeoutMs: number, knownEmail?: string): Promise<OwnerCheck> {
  const deadline = Date.now() + Math.max(500, timeoutMs);
  const identity: Identity = { ids: [], emails: knownEmail && EMAIL_SHAPE.test(knownEmail) ? [knownEmail.toLowerCase()] : [] };
  const verdicts: Array<{ endpoint: string; verdict: EndpointVerdict }> = [];
  const ask = async (endpoint: string): Promise<EndpointVerdict> => {
    const ms = deadline - Date.now();
    const answer =
      ms <= 0
        ? { status: 0, body: null, redirectedToSignIn: false }
        : await page.evaluate(askEndpoint, { endpoint, headers: { ...APP_API_HEADERS }, ms }).catch(() => ({ status: 0, body: null, redirectedToSignIn: false }));
    const verdict = readEndpoint(endpoint, answer);
    verdicts.push({ endpoint, verdict });
    if (verdict.kind === 'role' || verdict.kind === 'no-role') {
      if (verdict.who.id && !identity.ids.includes(verdict.who.id)) identity.ids.push(verdict.who.id);
      if (verdict.who.email && !identity.emails.includes(verdict.who.email)) identity.emails.push(verdict.who.email);
    }
    return verdict;
  };

  const feData = await ask(FE_DATA_ENDPOINT);
  if (feData.kind === 'role') return decideFromRole(feData.role, FE_DATA_ENDPOINT);
  const byId = identity.ids[0];
  if (byId) {
    const endpoint = `/api/v1/users/${encodeURIComponent(byId)}`;
    const verdict = await ask(endpoint);
    if (verdict.kind === 'role') return decideFromRole(verdict.role, endpoint);
  }
  const me = await ask(ME_ENDPOINT);
  if (me.kind === 'role') return decideFromRole(me.role, ME_ENDPOINT);

  const labels = identity.emails.length + identity.ids.length === 0 ? [] : await page.evaluate(ownRoleLabels, { identity, known: Object.keys(ROLE_LABELS) }).catch(() => [] as string[]);
  return decideWithoutRole(verdicts, decideOwnerFromPage(labels));
}
