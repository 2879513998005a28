// After sign-in: is the signed-in user the Account Owner?
//
// Assumption (documented, not confirmed by a public source): the PagerDuty web app reads the signed-in user
// with its session cookie from `/api/v1/users/me` on the account's own host, answering like the REST API's
// `GET /users/me` (`{ "user": { "role": "owner" | "admin" | ... } }`, roles as in the REST API's User.role).
// Only the role "owner" is the Account Owner. When that endpoint does not answer with a role, the result is
// "unverified": the log-in still passed, and we say we could not tell.
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
  return decideOwner(answer.status, answer.body);
}
