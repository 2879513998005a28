// Fault skew=<s>: the sandbox's clock runs that far from the real one, in its Date headers and its TOTP checks alike.
import { expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { totp } from '../../src/sandbox/totp.js';
import { account, code, type TestBrowser, useSandboxWithBrowser, waitForUrl, withPage } from './helpers.js';

let sandbox: SandboxHandle;
let chrome: TestBrowser;
useSandboxWithBrowser({ faults: [{ skewSeconds: 90 }] }, (s, c) => {
  sandbox = s;
  chrome = c;
});

it('every host answers with a Date header 90 s ahead', async () => {
  await withPage(chrome.browser, async (page) => {
    for (const url of ['https://login.microsoftonline.com/common/nothing', 'https://acme.okta.com/login/login.htm', 'https://acme.pagerduty.com/sign_in']) {
      const before = Date.now();
      const response = await page.goto(url);
      const date = Date.parse(response!.headers().date!);
      expect(date - before, url).toBeGreaterThan(88_000);
      expect(date - Date.now(), url).toBeLessThan(91_000);
    }
  });
});

it('Entra accepts a code for its own (shifted) time and refuses one for the real time', async () => {
  const acc = account(sandbox, 'us-azure-code');
  await withPage(chrome.browser, async (page) => {
    const signIn = async () => {
      await page.goto('https://contoso.pagerduty.com/sign_in');
      await page.click('#sso_link');
      await page.waitForSelector('#i0116');
      await page.type('#i0116', acc.user);
      await page.click('#idSIButton9');
      await page.waitForSelector('#i0118:not(.moveOffScreen)');
      await page.type('#i0118', acc.password);
      await Promise.all([page.waitForNavigation(), page.click('#idSIButton9')]);
      await page.waitForSelector('input[name="otc"]');
    };
    await signIn();
    // A code for the real time is two windows behind the sandbox's clock (it accepts one either side).
    await page.type('input[name="otc"]', await code(acc.mfaSecret!));
    await Promise.all([page.waitForNavigation(), page.click('#idSubmit_SAOTCC_Continue')]);
    expect(await page.$eval('#idSpan_SAOTCC_Error_OTC', (el) => el.textContent)).toMatch(/didn't enter the expected verification code/);

    await page.type('input[name="otc"]', totp(acc.mfaSecret!, Date.now() + 90_000));
    await Promise.all([page.waitForNavigation(), page.click('#idSubmit_SAOTCC_Continue')]);
    await page.waitForSelector('#KmsiDescription');
    await Promise.all([page.waitForNavigation(), page.click('#idBtn_Back')]);
    await waitForUrl(page, /^https:\/\/contoso\.pagerduty\.com\/incidents/);
  });
});
