import { describe, expect, it } from 'vitest';
import { decideOwner, decideOwnerFromPage } from '../../src/connect/owner-check.js';

describe('decideOwner', () => {
  it.each([
    [200, { user: { role: 'owner' } }, 'verified'],
    [200, { user: { role: 'admin' } }, 'not-owner'],
    [200, { user: { role: 'read_only_user' } }, 'not-owner'],
    [200, { role: 'owner' }, 'verified'],
    [200, { user: { role: 'Owner <script>' } }, 'unverified'],
    [200, { user: {} }, 'unverified'],
    [200, null, 'unverified'],
    [401, { user: { role: 'owner' } }, 'unverified'],
    [404, null, 'unverified'],
    [0, null, 'unverified'],
  ])('HTTP %i %j -> %s', (status, body, expected) => {
    expect(decideOwner(status, body).status).toBe(expected);
  });
});

describe('decideOwnerFromPage', () => {
  it.each([
    [['Account Owner'], 'verified'],
    [['  account   owner '], 'verified'],
    [['owner'], 'verified'],
    [['Global Admin'], 'not-owner'],
    [['Manager'], 'not-owner'],
    [['read_only_user'], 'not-owner'],
    [['Olivia', 'Account Owner'], 'verified'],
    [['My Profile', 'Log Out'], null],
    [[], null],
  ])('%j -> %s', (labels, expected) => {
    expect(decideOwnerFromPage(labels)?.status ?? null).toBe(expected);
  });
});
