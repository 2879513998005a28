import { describe, expect, it } from 'vitest';
import {
  FE_DATA_ENDPOINT,
  ME_ENDPOINT,
  decideFromRole,
  decideOwnerFromPage,
  decideWithoutRole,
  readEndpoint,
  type EndpointAnswer,
} from '../../src/connect/owner-check.js';

const ok = (body: unknown): EndpointAnswer => ({ status: 200, body, redirectedToSignIn: false });

describe('readEndpoint: each endpoint\'s answer shape', () => {
  it.each([
    // /fe-data: the app's bootstrap, { current_user: { id, role, ... } }
    [FE_DATA_ENDPOINT, ok({ current_user: { id: 'PABC123', email: 'Owner@Acme.example', role: 'owner' }, current_account: { subdomain: 'acme' } }), { kind: 'role', role: 'owner', who: { id: 'PABC123', email: 'owner@acme.example' } }],
    [FE_DATA_ENDPOINT, ok({ current_user: { id: 'PABC123', role: 'limited_user' } }), { kind: 'role', role: 'limited_user', who: { id: 'PABC123' } }],
    [FE_DATA_ENDPOINT, ok({ current_user: { id: 'PABC123' } }), { kind: 'no-role', who: { id: 'PABC123' } }],
    // A role at the top level of fe-data is not the current user's (it may be the account's list of roles).
    [FE_DATA_ENDPOINT, ok({ role: 'owner', roles: ['owner', 'admin'] }), { kind: 'no-answer' }],
    // /api/v1/users/<id> and /me: the REST shape { user: { role } }
    ['/api/v1/users/PABC123', ok({ user: { id: 'PABC123', type: 'user', role: 'admin' } }), { kind: 'role', role: 'admin', who: { id: 'PABC123' } }],
    [ME_ENDPOINT, ok({ user: { role: 'owner' } }), { kind: 'role', role: 'owner', who: {} }],
    [ME_ENDPOINT, ok({ role: 'read_only_user' }), { kind: 'role', role: 'read_only_user', who: {} }],
    [ME_ENDPOINT, ok({ user: { role: 'Owner <script>' } }), { kind: 'no-role', who: {} }],
    [ME_ENDPOINT, ok({ user: { id: '../../x' } }), { kind: 'no-role', who: {} }],
    [ME_ENDPOINT, ok(null), { kind: 'no-answer' }],
    [ME_ENDPOINT, ok('<html>'), { kind: 'no-answer' }],
    // not signed in: 401, or sent to a sign-in page
    [ME_ENDPOINT, { status: 401, body: { error: { code: 2006 } }, redirectedToSignIn: false }, { kind: 'no-session' }],
    [FE_DATA_ENDPOINT, { status: 200, body: null, redirectedToSignIn: true }, { kind: 'no-session' }],
    [FE_DATA_ENDPOINT, { status: 0, body: null, redirectedToSignIn: true }, { kind: 'no-session' }],
    // other answers say nothing about the session
    [ME_ENDPOINT, { status: 403, body: { user: { role: 'owner' } }, redirectedToSignIn: false }, { kind: 'no-answer' }],
    [ME_ENDPOINT, { status: 404, body: null, redirectedToSignIn: false }, { kind: 'no-answer' }],
    [ME_ENDPOINT, { status: 0, body: null, redirectedToSignIn: false }, { kind: 'no-answer' }],
  ])('%s %j -> %j', (endpoint, answer, expected) => {
    expect(readEndpoint(endpoint, answer)).toEqual(expected);
  });
});

describe('decideFromRole', () => {
  it.each([
    ['owner', 'verified'],
    ['admin', 'not-owner'],
    ['limited_user', 'not-owner'],
    ['read_only_limited_user', 'not-owner'],
  ])('%s -> %s', (role, status) => {
    const decision = decideFromRole(role, FE_DATA_ENDPOINT);
    expect(decision.status).toBe(status);
    expect(decision.detail).toContain(FE_DATA_ENDPOINT);
  });
});

describe('decideWithoutRole', () => {
  const v = (endpoint: string, kind: 'no-session' | 'no-answer' | 'no-role') =>
    ({ endpoint, verdict: kind === 'no-role' ? { kind, who: {} } : { kind } }) as const;

  it('every endpoint that answered said "not signed in": the session is missing, even when the page shows a role', () => {
    const fromPage = decideOwnerFromPage(['Account Owner']);
    const decision = decideWithoutRole([v(FE_DATA_ENDPOINT, 'no-session'), v(ME_ENDPOINT, 'no-session')], fromPage);
    expect(decision).toMatchObject({ status: 'unverified', sessionMissing: true });
    expect(decision.detail).toMatch(/no PagerDuty session/);
    expect(decideWithoutRole([v(FE_DATA_ENDPOINT, 'no-session'), v(ME_ENDPOINT, 'no-answer')], null).sessionMissing).toBe(true);
  });

  it('an endpoint that knew the user outweighs another that answered 401 (that one may not take the session)', () => {
    const decision = decideWithoutRole([v(FE_DATA_ENDPOINT, 'no-role'), v(ME_ENDPOINT, 'no-session')], null);
    expect(decision.sessionMissing).toBeUndefined();
    expect(decision.status).toBe('unverified');
  });

  it('no endpoint answered: the page decides, else unverified', () => {
    expect(decideWithoutRole([v(FE_DATA_ENDPOINT, 'no-answer'), v(ME_ENDPOINT, 'no-answer')], decideOwnerFromPage(['Responder']))).toMatchObject({ status: 'not-owner', role: 'limited_user' });
    expect(decideWithoutRole([v(FE_DATA_ENDPOINT, 'no-answer'), v(ME_ENDPOINT, 'no-answer')], null)).toMatchObject({ status: 'unverified' });
  });
});

describe('decideOwnerFromPage (labels from the signed-in user\'s own element)', () => {
  it.each([
    [['Account Owner'], 'verified'],
    [['  account   owner '], 'verified'],
    [['owner', 'Account Owner'], 'verified'],
    [['Global Admin'], 'not-owner'],
    [['Admin'], 'not-owner'],
    [['Manager'], 'not-owner'],
    [['User'], 'not-owner'],
    [['Responder'], 'not-owner'],
    [['Limited User'], 'not-owner'],
    [['Observer'], 'not-owner'],
    [['Restricted Access'], 'not-owner'],
    [['Stakeholder'], 'not-owner'],
    [['Full Stakeholder'], 'not-owner'],
    [['Limited Stakeholder'], 'not-owner'],
    [['read_only_user'], 'not-owner'],
    // two different roles for one person cannot be told apart
    [['Account Owner', 'Responder'], null],
    [['My Profile', 'Log Out'], null],
    [[], null],
  ])('%j -> %s', (labels, expected) => {
    expect(decideOwnerFromPage(labels)?.status ?? null).toBe(expected);
  });
});
