// Fault phishing-redirect: the SSO entry sends the browser to a look-alike on a host outside the allow-list.
import { expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import { type TestBrowser, useSandboxWithBrowser, clickAndWait, waitForUrl, withPage } from './helpers.js';

let sandbox: SandboxHandle;
let chrome: TestBrowser;
useSandboxWithBrowser({ faults: ['phishing-redirect'] }, (s, c) => {
  sandbox = s;
  chrome = c;
});

it('Okta accounts land on evil-<org> with a look-alike form; only what is posted there is recorded', async () => {
  await withPage(chrome.browser, async (page) => {
    await page.goto('https://acme.pagerduty.com/sign_in');
    await clickAndWait(page, '#sso_link');
    await waitForUrl(page, /^https:\/\/evil-acme\.okta\.com\/app\/pagerduty\//);
    await page.waitForSelector('#okta-signin-username');
    expect(sandbox.events.filter((e) => e.host.startsWith('evil-'))).toEqual([]);
    await page.type('#okta-signin-username', 'someone@acme.example');
    await page.type('#okta-signin-password', 'typed-into-the-wrong-host');
    await clickAndWait(page, '#okta-signin-submit');
    expect(sandbox.events.filter((e) => e.host.startsWith('evil-'))).toEqual([
      { host: 'evil-acme.okta.com', path: '/api/v1/authn', method: 'POST', fields: ['username', 'password'] },
    ]);
    expect(JSON.stringify(sandbox.events)).not.toContain('typed-into-the-wrong-host');

    await page.goto('https://globex.eu.pagerduty.com/sso/saml/login');
    await waitForUrl(page, /^https:\/\/evil-globex\.okta-emea\.com\//);
  });
});

it('Azure accounts are sent to evil-<subdomain>.okta.com with a Microsoft look-alike', async () => {
  await withPage(chrome.browser, async (page) => {
    await page.goto('https://contoso.pagerduty.com/sign_in');
    await clickAndWait(page, '#sso_link');
    await waitForUrl(page, /^https:\/\/evil-contoso\.okta\.com\/[0-9a-f-]{36}\/saml2\?SAMLRequest=/);
    expect(await page.$('input[name="loginfmt"]#i0116')).not.toBeNull();
    expect(sandbox.events.some((e) => e.host === 'login.microsoftonline.com')).toBe(false);
  });
});
