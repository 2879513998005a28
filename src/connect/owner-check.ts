// After sign-in: is the signed-in user the Account Owner?
//
// Assumption (documented, not confirmed by a public source): the PagerDuty web app reads the signed-in user
// with its session cookie from `/api/v1/users/me` on the account's own host, answering like the REST API's
// `GET /users/me` (`{ "user": { "role": "owner" | "admin" | ... } }`, roles as in the REST API's User.role).
// Only the role "owner" is the Account Owner. When that endpoint does not answer with a role, the app page
// itself is read: an element marked as the user's role (a data-role attribute, or a class/id naming "role")
// holding a REST role name or its label in the UI ("Account Owner", "Global Admin", ...). When neither says,
// the result is "unverified": the log-in still passed, and we say we could not tell.
import type { Page } from 'puppeteer-core';
import type { OwnerStatus } from '../core/types.js';

export interface OwnerCheck {
  status: OwnerStatus;
  role: string | null;
  detail: string;
}

export const OWNER_ENDPOINT = '/api/v1/users/me';
const OWNER_ROLE = 'owner';

/** Pure: the decision from what the endpoint answered. */
export function decideOwner(httpStatus: number, body: unknown): OwnerCheck {
  const role = roleFrom(body);
  if (httpStatus === 200 && role !== null) {
    return role === OWNER_ROLE
      ? { status: 'verified', role, detail: `${OWNER_ENDPOINT} says the role is "owner"` }
      : { status: 'not-owner', role, detail: `${OWNER_ENDPOINT} says the role is "${role}", not "owner"` };
  }
  return { status: 'unverified', role: null, detail: `${OWNER_ENDPOINT} gave no role (HTTP ${httpStatus || 'no answer'})` };
}

function roleFrom(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const user = (body as { user?: unknown }).user;
  const role = typeof user === 'object' && user !== null ? (user as { role?: unknown }).role : (body as { role?: unknown }).role;
  return typeof role === 'string' && /^[a-z_]{1,40}$/.test(role) ? role : null;
}

/** REST role names and the labels the web app shows for them. */
const ROLE_LABELS: Record<string, string> = {
  'account owner': 'owner',
  owner: 'owner',
  'global admin': 'admin',
  admin: 'admin',
  manager: 'user',
  user: 'user',
  responder: 'limited_user',
  limited_user: 'limited_user',
  observer: 'observer',
  'restricted access': 'restricted_access',
  restricted_access: 'restricted_access',
  'read-only user': 'read_only_user',
  read_only_user: 'read_only_user',
  'read-only limited user': 'read_only_limited_user',
  read_only_limited_user: 'read_only_limited_user',
};

/** Pure: the REST role a page label or attribute names, or null. */
export function roleFromLabel(label: string): string | null {
  return ROLE_LABELS[label.replace(/\s+/g, ' ').trim().toLowerCase()] ?? null;
}

/** Pure: the decision from role labels found on the app page. */
export function decideOwnerFromPage(labels: string[]): OwnerCheck | null {
  const role = labels.map(roleFromLabel).find((r) => r !== null);
  if (!role) return null;
  return role === OWNER_ROLE
    ? { status: 'verified', role, detail: 'the app page shows the role "Account Owner"' }
    : { status: 'not-owner', role, detail: `the app page shows the role "${role}", not "owner"` };
}

async function pageRoleLabels(page: Page): Promise<string[]> {
  return page
    .evaluate(() => {
      const labels: string[] = [];
      for (const el of Array.from(document.querySelectorAll('[data-role], [data-user-role], [class*="role" i], [id*="role" i]'))) {
        for (const attr of ['data-role', 'data-user-role']) {
          const value = el.getAttribute(attr);
          if (value) labels.push(value);
        }
        const text = (el.textContent ?? '').trim();
        if (text && text.length <= 40) labels.push(text);
      }
      return labels.slice(0, 50);
    })
    .catch(() => []);
}

export async function checkOwner(page: Page, timeoutMs: number): Promise<OwnerCheck> {
  const answer = await page
    .evaluate(
      async (endpoint: string, ms: number) => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), ms);
        try {
          const response = await fetch(endpoint, { credentials: 'same-origin', headers: { Accept: 'application/json' }, signal: controller.signal });
          const text = await response.text();
          let body: unknown = null;
          try {
            body = JSON.parse(text);
          } catch {
            body = null;
          }
          return { status: response.status, body };
        } catch {
          return { status: 0, body: null };
        } finally {
          clearTimeout(timer);
        }
      },
      OWNER_ENDPOINT,
      Math.max(500, timeoutMs),
    )
    .catch(() => ({ status: 0, body: null }));
  const fromEndpoint = decideOwner(answer.status, answer.body);
  if (fromEndpoint.status !== 'unverified') return fromEndpoint;
  return decideOwnerFromPage(await pageRoleLabels(page)) ?? { ...fromEndpoint, detail: `${fromEndpoint.detail}, and the app page shows no role` };
}
