// Fault drop: the PagerDuty sign-in page's connection is destroyed without a response.
import { expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { type TestBrowser, useSandboxWithBrowser, withPage } from './helpers.js';

let sandbox: SandboxHandle;
let chrome: TestBrowser;
useSandboxWithBrowser({ faults: ['drop'] }, (s, c) => {
  sandbox = s;
  chrome = c;
});

it('the sign-in page fails with a network error on every PagerDuty host, other pages still answer', async () => {
  await withPage(chrome.browser, async (page) => {
    for (const url of ['https://acme.pagerduty.com/sign_in', 'https://app.eu.pagerduty.com/sign_in', 'https://acme.pagerduty.com/']) {
      await expect(page.goto(url)).rejects.toThrow(/net::ERR_(EMPTY_RESPONSE|CONNECTION_CLOSED|CONNECTION_RESET)/);
    }
    const okta = await page.goto('https://acme.okta.com/login/login.htm');
    expect(okta?.status()).toBe(200);
  });
});
