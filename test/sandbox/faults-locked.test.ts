// Fault locked: every sign-in is refused with a lock message, even with the right password.
import { expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { type TestBrowser, useSandboxWithBrowser, account, clickAndWait, text, withPage } from './helpers.js';

let sandbox: SandboxHandle;
let chrome: TestBrowser;
useSandboxWithBrowser({ faults: ['locked'] }, (s, c) => {
  sandbox = s;
  chrome = c;
});

it('PagerDuty (legacy and two-step) refuses the right password with a lock message', async () => {
  const legacy = account(sandbox, 'us-credentials-legacy');
  const twoStep = account(sandbox, 'eu-credentials-two-step');
  await withPage(chrome.browser, async (page) => {
    await page.goto('https://acme.pagerduty.com/sign_in');
    await page.type('#user_email', legacy.user);
    await page.type('#user_password', legacy.password);
    await clickAndWait(page, 'input[name="commit"]');
    expect(await text(page, '#flash_error')).toMatch(/locked/);
    await page.goto('https://acme-eu.eu.pagerduty.com/sign_in');
    await page.type('#email', twoStep.user);
    await clickAndWait(page, '#next-button');
    await page.type('#password', twoStep.password);
    await clickAndWait(page, '#sign-in-button');
    expect(await text(page, '#flash_error')).toMatch(/locked/);
  });
});

it('Okta Classic, Okta Identity Engine and Entra refuse the right password with a lock message', async () => {
  const classic = account(sandbox, 'us-okta-classic');
  const ie = account(sandbox, 'eu-okta-identity-engine');
  const entra = account(sandbox, 'us-azure-code');
  await withPage(chrome.browser, async (page) => {
    await page.goto('https://acme.pagerduty.com/sso/saml/login');
    await page.type('#okta-signin-username', classic.user);
    await page.type('#okta-signin-password', classic.password);
    await clickAndWait(page, '#okta-signin-submit');
    expect(await text(page, '.okta-form-infobox-error')).toBe('Your account is locked. Please contact your administrator.');

    await page.goto('https://globex.eu.pagerduty.com/sso/saml/login');
    await page.type('input[name="identifier"]', ie.user);
    await clickAndWait(page, 'input[data-type="save"]');
    expect(await text(page, '[data-se="o-form-error-container"] .infobox-error')).toMatch(/locked/);

    await page.goto('https://contoso.pagerduty.com/sso/saml/login');
    await page.type('#i0116', entra.user);
    await page.click('#idSIButton9');
    await page.waitForSelector('#i0118:not(.moveOffScreen)', { visible: true });
    await page.type('#i0118', entra.password);
    await clickAndWait(page, '#idSIButton9');
    expect(await text(page, '#passwordError')).toMatch(/locked/);
  });
});
