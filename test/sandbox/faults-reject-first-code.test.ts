// Fault reject-first-code: the first correct code of the run is refused as re-used; a later window's code works.
import { expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { type TestBrowser, useSandboxWithBrowser, account, clickAndWait, code, text, waitForUrl, withPage } from './helpers.js';

let sandbox: SandboxHandle;
let chrome: TestBrowser;
useSandboxWithBrowser({ faults: ['reject-first-code'] }, (s, c) => {
  sandbox = s;
  chrome = c;
});

it('Okta refuses the first right code with the reuse text, accepts the next window, then Entra works at once', async () => {
  const okta = account(sandbox, 'us-okta-classic');
  await withPage(chrome.browser, async (page) => {
    await page.goto('https://acme.pagerduty.com/sso/saml/login');
    await page.type('#okta-signin-username', okta.user);
    await page.type('#okta-signin-password', okta.password);
    await clickAndWait(page, '#okta-signin-submit');
    const first = await code(okta.mfaSecret!);
    await page.type('input[name="answer"]', first);
    await clickAndWait(page, '[data-se="factor-totp"] input[type=submit]');
    expect(await text(page, '.okta-form-infobox-error')).toBe('Each code can only be used once. Please wait for a new code and try again.');
    // The same code again is still refused (its window is spent).
    await page.type('input[name="answer"]', first);
    await clickAndWait(page, '[data-se="factor-totp"] input[type=submit]');
    expect(await text(page, '.okta-form-infobox-error')).toContain('only be used once');
    await page.type('input[name="answer"]', await code(okta.mfaSecret!, 1));
    await clickAndWait(page, '[data-se="factor-totp"] input[type=submit]');
    await waitForUrl(page, /^https:\/\/acme\.pagerduty\.com\/incidents$/);
  });
  const entra = account(sandbox, 'us-azure-code');
  await withPage(chrome.browser, async (page) => {
    await page.goto('https://contoso.pagerduty.com/sso/saml/login');
    await page.type('#i0116', entra.user);
    await page.click('#idSIButton9');
    await page.waitForSelector('#i0118:not(.moveOffScreen)', { visible: true });
    await page.type('#i0118', entra.password);
    await clickAndWait(page, '#idSIButton9');
    await page.type('#idTxtBx_SAOTCC_OTC', await code(entra.mfaSecret!));
    await clickAndWait(page, '#idSubmit_SAOTCC_Continue');
    await page.waitForSelector('#KmsiDescription');
  });
});
