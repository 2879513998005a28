// The Account Owner check in a real browser against canned app pages (request interception, no server): which
// endpoints it asks, in which order and with which headers, and what it makes of pages that list other people.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HTTPRequest } from 'puppeteer-core';
import { findBrowser } from '../../src/browser/find-browser.js';
import { openBrowser, type BrowserSession } from '../../src/browser/session.js';
import { checkOwner, type OwnerCheck } from '../../src/connect/owner-check.js';
import { respond } from '../helpers/canned-flow.js';

type Answer = { status?: number; body: string; location?: string; type?: string };
type Route = (request: HTTPRequest) => Answer;

let session: BrowserSession;
beforeAll(async () => {
  const browser = findBrowser({ env: process.env });
  session = await openBrowser({ executable: browser.path, headless: browser.headless });
});
afterAll(async () => {
  await session?.close();
});

const HOST = 'https://acme.pagerduty.com';
const json = (value: unknown, status = 200): Answer => ({ status, body: JSON.stringify(value), type: 'application/json' });
const INCIDENTS = '<!doctype html><title>Incidents - PagerDuty</title><h1>Incidents</h1>';

interface Seen {
  path: string;
  headers: Record<string, string>;
}

async function check(routes: Record<string, Route>, page = INCIDENTS, knownEmail?: string): Promise<{ result: OwnerCheck; seen: Seen[] }> {
  const context = await session.newContext();
  const tab = await context.newPage();
  const seen: Seen[] = [];
  await tab.setRequestInterception(true);
  tab.on('request', (request) => {
    const url = new URL(request.url());
    if (url.href === `${HOST}/incidents`) return void request.respond({ status: 200, contentType: 'text/html', body: page });
    seen.push({ path: `${url.host === 'acme.pagerduty.com' ? '' : url.host}${url.pathname}`, headers: request.headers() });
    const route = routes[`${url.host === 'acme.pagerduty.com' ? '' : url.host}${url.pathname}`];
    respond(request, route ? route(request) : { status: 404, body: 'Not found' });
  });
  try {
    await tab.goto(`${HOST}/incidents`);
    return { result: await checkOwner(tab, 5_000, knownEmail), seen };
  } finally {
    await context.close();
  }
}

/** A users list: another person is the Account Owner, the signed-in responder is listed too. */
const USERS_LIST = `<!doctype html><title>Users - PagerDuty</title>
<header><nav><a href="/incidents">Incidents</a></nav><div class="user-menu"><span class="user-name">Rita Responder</span></div></header>
<table class="users-table"><tr><th>Name</th><th>Email</th><th>Role</th></tr>
<tr><td><a href="/users/POWNER1">Olivia Owner</a></td><td>olivia@acme.example</td><td class="user-role" data-role="owner">Account Owner</td></tr>
<tr><td><a href="/users/PRESP01">Rita Responder</a></td><td>rita@acme.example</td><td class="user-role">Responder</td></tr>
</table>`;

/** The same list without the signed-in user in it. */
const OTHERS_ONLY = `<!doctype html><title>Team - PagerDuty</title><div id="role-list"><div class="role-card">
<span class="name">Olivia Owner</span> <span class="email">olivia@acme.example</span> <span class="role">Account Owner</span></div></div>`;

/** The signed-in user's own menu, and a list of others below it. */
const USER_MENU = (role: string) => `<!doctype html><title>Incidents - PagerDuty</title>
<header><div id="user-menu"><button>Rita</button><div role="menu" hidden><div class="user-menu-email">rita@acme.example</div>
<div class="user-menu-role">${role}</div><a href="/users/PRESP01">My Profile</a></div></div></header>
<main><ul class="on-call"><li><a href="/users/POWNER1">Olivia</a> <span class="role">Account Owner</span></li></ul></main>`;

describe('checkOwner', () => {
  it('asks /fe-data first, with the session and the web app\'s headers, and takes current_user.role', async () => {
    const { result, seen } = await check({ '/fe-data': () => json({ current_user: { id: 'POWNER1', role: 'owner' }, current_account: { subdomain: 'acme' } }) });
    expect(result).toMatchObject({ status: 'verified', role: 'owner' });
    expect(result.detail).toContain('/fe-data');
    expect(seen.map((s) => s.path)).toEqual(['/fe-data']);
    expect(seen[0]!.headers).toMatchObject({
      'x-pagerduty-api-local': '1',
      'x-requested-with': 'XMLHttpRequest',
      accept: 'application/vnd.pagerduty+json;version=2',
    });
  });

  it('then /api/v1/users/<id> with the id /fe-data gave, then /api/v1/users/me', async () => {
    const byId = await check({ '/fe-data': () => json({ current_user: { id: 'PRESP01' } }), '/api/v1/users/PRESP01': () => json({ user: { id: 'PRESP01', role: 'limited_user' } }) });
    expect(byId.result).toMatchObject({ status: 'not-owner', role: 'limited_user' });
    expect(byId.seen.map((s) => s.path)).toEqual(['/fe-data', '/api/v1/users/PRESP01']);

    const me = await check({ '/api/v1/users/me': () => json({ user: { id: 'POWNER1', role: 'owner' } }) });
    expect(me.result).toMatchObject({ status: 'verified', role: 'owner' });
    expect(me.seen.map((s) => s.path)).toEqual(['/fe-data', '/api/v1/users/me']);
    expect(me.seen[1]!.headers['x-pagerduty-api-local']).toBe('1');
  });

  it.each([
    ['HTTP 401', { '/fe-data': () => json({ error: 'Unauthorized' }, 401), '/api/v1/users/me': () => json({ error: { code: 2006 } }, 401) }],
    ['a redirect to /sign_in', { '/fe-data': () => ({ body: '', location: `${HOST}/sign_in?user_return_to=/fe-data` }), '/sign_in': () => ({ body: '<form><input type=password></form>' }) }],
    ['a redirect to the shared sign-in host', { '/fe-data': () => ({ body: '', location: 'https://identity.pagerduty.com/global/authn' }), '/api/v1/users/me': () => json({}, 401) }],
  ] as const)('%s means no session: said so, never "verified", even with "Account Owner" in the menu', async (_label, routes) => {
    const { result } = await check(routes as unknown as Record<string, Route>, USER_MENU('Account Owner'), 'rita@acme.example');
    expect(result.sessionMissing).toBe(true);
    expect(result.status).toBe('unverified');
    expect(result.detail).toMatch(/no PagerDuty session/);
  });

  it('a page listing another user as "Account Owner" while the signed-in user is a responder is never "verified"', async () => {
    const known = await check({}, USERS_LIST, 'rita@acme.example');
    expect(known.result).toMatchObject({ status: 'not-owner', role: 'limited_user' });

    const unknownUser = await check({}, USERS_LIST, 'someone@acme.example');
    expect(unknownUser.result.status).toBe('unverified');

    const othersOnly = await check({}, OTHERS_ONLY, 'rita@acme.example');
    expect(othersOnly.result.status).toBe('unverified');

    const noIdentity = await check({}, OTHERS_ONLY);
    expect(noIdentity.result.status).toBe('unverified');
  });

  it('reads the role from the signed-in user\'s own menu, found by email or by the id /fe-data gave', async () => {
    expect((await check({}, USER_MENU('Responder'), 'rita@acme.example')).result).toMatchObject({ status: 'not-owner', role: 'limited_user' });
    expect((await check({}, USER_MENU('Account Owner'), 'rita@acme.example')).result).toMatchObject({ status: 'verified', role: 'owner' });
    const byId = await check({ '/fe-data': () => json({ current_user: { id: 'PRESP01' } }) }, USER_MENU('Limited Stakeholder'), 'idp-username');
    expect(byId.result).toMatchObject({ status: 'not-owner', role: 'read_only_limited_user' });
  });
});
