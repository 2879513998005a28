// Faults http500 + slow + interstitial (one sandbox run with all three).
import { expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { type TestBrowser, useSandboxWithBrowser, account, clickAndWait, fetchStatus, text, withPage } from './helpers.js';

let sandbox: SandboxHandle;
let chrome: TestBrowser;
useSandboxWithBrowser({ faults: ['http500', { slowMs: 300 }, 'interstitial'] }, (s, c) => {
  sandbox = s;
  chrome = c;
});

it('the first sign-in page answers 500, the next one works; every page is slow', async () => {
  await withPage(chrome.browser, async (page) => {
    const first = await page.goto('https://acme.pagerduty.com/sign_in');
    expect(first?.status()).toBe(500);
    expect(await text(page, 'h1')).toContain('something went wrong');
    const started = Date.now();
    const second = await page.goto('https://acme.pagerduty.com/sign_in');
    expect(second?.status()).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await page.waitForSelector('#user_email');
  });
});

it('after sign-in an unknown "Review our updated terms" page blocks the app and the role API', async () => {
  const a = account(sandbox, 'us-credentials-legacy');
  await withPage(chrome.browser, async (page) => {
    await page.goto('https://acme.pagerduty.com/sign_in');
    await page.type('#user_email', a.user);
    await page.type('#user_password', a.password);
    await clickAndWait(page, 'input[name="commit"]');
    expect(page.url()).toBe('https://acme.pagerduty.com/terms_of_service');
    expect(await text(page, 'h1')).toBe('Review our updated terms');
    expect(await page.$('#user-menu')).toBeNull();
    expect(await fetchStatus(page, '/api/v1/users/me')).toBe(403);
    await page.goto('https://acme.pagerduty.com/incidents');
    expect(page.url()).toBe('https://acme.pagerduty.com/terms_of_service');
    await clickAndWait(page, '#accept-terms');
    expect(page.url()).toBe('https://acme.pagerduty.com/incidents');
    expect(await text(page, '.user-menu-role')).toBe('Account Owner');
  });
});
