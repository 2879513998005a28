// Every sample account signs in through its real-looking pages; wrong input shows the real texts.
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import type { SandboxHandle } from '../../src/sandbox/index.js';
import {
  useSandboxWithBrowser,
  type TestBrowser, account, clickAndWait, code, signedInState, submitAndWait, text, waitForUrl, withPage,
} from './helpers.js';

let sandbox: SandboxHandle;
let chrome: TestBrowser;
useSandboxWithBrowser({}, (s, c) => {
  sandbox = s;
  chrome = c;
});

async function legacySignIn(page: Page, host: string, email: string, password: string): Promise<void> {
  await page.goto(`https://${host}/sign_in`);
  await page.type('#user_email', email);
  await page.type('#user_password', password);
  await clickAndWait(page, 'input[name="commit"][value="Sign In"]');
}

async function twoStepEmail(page: Page, host: string, email: string): Promise<void> {
  await page.goto(`https://${host}/sign_in`);
  await page.type('input[name="email"]', email);
  await clickAndWait(page, '#next-button');
}

async function oktaClassicPassword(page: Page, username: string, password: string): Promise<void> {
  await page.waitForSelector('#okta-signin-username');
  // The widget keeps the username after a failed attempt, like the real one.
  await page.$eval('#okta-signin-username', (el) => ((el as HTMLInputElement).value = ''));
  await page.type('#okta-signin-username', username);
  await page.type('#okta-signin-password', password);
  await clickAndWait(page, '#okta-signin-submit');
}

describe('PagerDuty credentials', () => {
  it('legacy one-page form on acme.pagerduty.com signs the owner in to /incidents', async () => {
    const a = account(sandbox, 'us-credentials-legacy');
    await withPage(chrome.browser, async (page, context) => {
      await page.goto('https://acme.pagerduty.com/sign_in');
      expect(await page.$eval('input[name="user[email]"]', (el) => el.id)).toBe('user_email');
      expect(await page.$eval('input[name="user[password]"]', (el) => el.id)).toBe('user_password');
      expect(await text(page, '#sso_link')).toBe('Sign In With Your Identity Provider');
      await page.type('#user_email', a.user);
      await page.type('#user_password', a.password);
      await clickAndWait(page, 'input[name="commit"][value="Sign In"]');
      const state = await signedInState(page);
      expect(state.url).toBe(a.url);
      expect(state.roleLabel).toBe('Account Owner');
      expect(state.me).toMatchObject({ status: 200, body: { user: { email: a.user, role: 'owner' } } });
      expect(state.me.body.user.id).toMatch(/^P/);
      const cookie = (await context.cookies()).find((c) => c.name === '_pagerduty_session');
      expect(cookie).toMatchObject({ httpOnly: true, secure: true, domain: 'acme.pagerduty.com' });
      expect(cookie!.value.length).toBeGreaterThanOrEqual(40);
    });
  });

  it('admin and user roles are shown in the menu and by /api/v1/users/me', async () => {
    for (const [label, role, roleLabel] of [['us-credentials-admin', 'admin', 'Global Admin'], ['us-credentials-user', 'user', 'Manager']] as const) {
      const a = account(sandbox, label);
      expect(a.role).toBe(role);
      await withPage(chrome.browser, async (page) => {
        await legacySignIn(page, 'acme.pagerduty.com', a.user, a.password);
        const state = await signedInState(page);
        expect(state.roleLabel).toBe(roleLabel);
        expect(state.me.body.user.role).toBe(role);
      });
    }
  });

  it('wrong password shows a flash error on the same sign-in page; no session', async () => {
    const a = account(sandbox, 'us-credentials-legacy');
    await withPage(chrome.browser, async (page) => {
      await legacySignIn(page, 'acme.pagerduty.com', a.user, 'not-the-password');
      expect(new URL(page.url()).pathname).toBe('/sign_in');
      expect(await text(page, '#flash_error')).toBe('Invalid email or password.');
      expect(await page.$eval('#user_email', (el) => (el as HTMLInputElement).value)).toBe(a.user);
      const status = await page.evaluate(async () => (await fetch('/api/v1/users/me')).status);
      expect(status).toBe(401);
    });
  });

  it('two-step page on acme-eu.eu.pagerduty.com: email, Next, password, Sign In', async () => {
    const a = account(sandbox, 'eu-credentials-two-step');
    await withPage(chrome.browser, async (page) => {
      await page.goto('https://acme-eu.eu.pagerduty.com/sign_in');
      expect(await page.$('input[type="password"]')).toBeNull();
      expect(await text(page, '#next-button')).toBe('Next');
      await page.type('#email', a.user);
      await clickAndWait(page, '#next-button');
      expect(await text(page, '#entered-email')).toBe(a.user);
      // wrong password first
      await page.type('#password', 'nope');
      await clickAndWait(page, '#sign-in-button');
      expect(await text(page, '#flash_error')).toBe('Invalid email or password.');
      await page.type('#password', a.password);
      expect(await text(page, '#sign-in-button')).toBe('Sign In');
      await clickAndWait(page, '#sign-in-button');
      const state = await signedInState(page);
      expect(state.url).toBe('https://acme-eu.eu.pagerduty.com/incidents');
      expect(state.me.body.user).toMatchObject({ email: a.user, role: 'owner' });
    });
  });

  it('app.pagerduty.com and app.eu.pagerduty.com find the account by email', async () => {
    for (const label of ['us-credentials-app', 'eu-credentials-app']) {
      const a = account(sandbox, label);
      const host = new URL(a.url).host;
      await withPage(chrome.browser, async (page) => {
        await twoStepEmail(page, host, a.user);
        await page.type('#password', a.password);
        await clickAndWait(page, '#sign-in-button');
        const state = await signedInState(page);
        expect(state.url).toBe(a.url);
        expect(state.me.body.user.role).toBe('owner');
      });
    }
  });

  it('app.* host: unknown email is refused; an SSO user gets "Sign In with Single Sign-On" for their account', async () => {
    await withPage(chrome.browser, async (page) => {
      await twoStepEmail(page, 'app.pagerduty.com', 'nobody@nowhere.example');
      expect(await text(page, '#flash_error')).toContain("couldn't find");
      await twoStepEmail(page, 'app.eu.pagerduty.com', 'alice@globex.example');
      expect(await text(page, '#sso-button')).toBe('Sign In with Single Sign-On');
      expect(await page.$('input[type="password"]')).toBeNull();
      expect(await page.$eval('#sso-form', (el) => (el as HTMLFormElement).action)).toBe('https://globex.eu.pagerduty.com/sso/saml/login');
    });
  });

  it('a region mix-up (EU account on the US host) is "account not found"', async () => {
    await withPage(chrome.browser, async (page) => {
      const response = await page.goto('https://acme-eu.pagerduty.com/sign_in');
      expect(response?.status()).toBe(404);
      expect(await text(page, 'h1')).toBe('Account not found');
    });
  });
});

describe('Okta', () => {
  it('Classic engine (acme.okta.com) from the legacy page link, wrong code, then the right one', async () => {
    const a = account(sandbox, 'us-okta-classic');
    expect(a.oktaSubdomain).toBe('acme');
    let accepted = '';
    await withPage(chrome.browser, async (page) => {
      await page.goto('https://acme.pagerduty.com/sign_in');
      await clickAndWait(page, '#sso_link');
      await waitForUrl(page, /^https:\/\/acme\.okta\.com\/login\/login\.htm\?fromURI=%2Fapp%2Fpagerduty%2F[^%]+%2Fsso%2Fsaml%3FSAMLRequest/);
      await oktaClassicPassword(page, a.user, 'wrong-password');
      expect(await text(page, '[data-se="o-form-error-container"] .okta-form-infobox-error')).toBe('Unable to sign in');
      await oktaClassicPassword(page, a.user, a.password);
      expect(new URL(page.url()).pathname).toBe('/signin/verify/google/token:software:totp');
      await page.waitForSelector('[data-se="factor-totp"] input[name="answer"]');
      expect(await page.$eval('[data-se="factor-totp"] input[type=submit]', (el) => (el as HTMLInputElement).value)).toBe('Verify');
      await page.type('input[name="answer"]', '000000' === (await code(a.mfaSecret!)) ? '111111' : '000000');
      await clickAndWait(page, '[data-se="factor-totp"] input[type=submit]');
      expect(await text(page, '.okta-form-infobox-error')).toBe("Your code doesn't match our records. Please try again.");
      accepted = await code(a.mfaSecret!);
      await page.type('input[name="answer"]', accepted);
      await clickAndWait(page, '[data-se="factor-totp"] input[type=submit]');
      await waitForUrl(page, /^https:\/\/acme\.pagerduty\.com\/incidents$/);
      const state = await signedInState(page);
      expect(state.me.body.user).toMatchObject({ email: 'owner@acme.example', role: 'owner' });
    });
    // A second sign-in in the same window: the code already used is refused with the reuse text.
    await withPage(chrome.browser, async (page) => {
      await page.goto('https://acme.pagerduty.com/sso/saml/login');
      await oktaClassicPassword(page, a.user, a.password);
      // The very code accepted above (a fresh one could already belong to the next window).
      await page.type('input[name="answer"]', accepted);
      await clickAndWait(page, '[data-se="factor-totp"] input[type=submit]');
      expect(await text(page, '.okta-form-infobox-error')).toBe('Each code can only be used once. Please wait for a new code and try again.');
      await page.type('input[name="answer"]', await code(a.mfaSecret!, 1));
      await clickAndWait(page, '[data-se="factor-totp"] input[type=submit]');
      await waitForUrl(page, /^https:\/\/acme\.pagerduty\.com\/incidents$/);
    });
  });

  it('Identity Engine (globex.okta-emea.com) from the EU two-step page: identifier, password, authenticator list, code', async () => {
    const a = account(sandbox, 'eu-okta-identity-engine');
    expect(a.oktaSubdomain).toBe('https://globex.okta-emea.com');
    await withPage(chrome.browser, async (page) => {
      await twoStepEmail(page, 'globex.eu.pagerduty.com', 'alice@globex.example');
      await clickAndWait(page, '#sso-button');
      await waitForUrl(page, /^https:\/\/globex\.okta-emea\.com\/login\/login\.htm/);
      await page.type('input[name="identifier"]', a.user);
      expect(await page.$eval('input[data-type="save"]', (el) => (el as HTMLInputElement).value)).toBe('Next');
      await clickAndWait(page, 'input[data-type="save"]');
      await page.type('input[name="credentials.passcode"]', 'bad-password');
      await clickAndWait(page, 'input[data-type="save"]');
      expect(await text(page, '[data-se="o-form-error-container"] .infobox-error')).toBe('Password is incorrect');
      expect(await text(page, '.o-form-input-error')).toBe('Password is incorrect');
      await page.type('input[name="credentials.passcode"]', a.password);
      await clickAndWait(page, 'input[data-type="save"]');
      expect(await text(page, '.okta-form-title')).toBe("Verify it's you with a security method");
      const keys = await page.$$eval('.authenticator-list .authenticator-row .authenticator-button', (els) => els.map((el) => el.getAttribute('data-se')));
      expect(keys).toEqual(['okta_verify-totp', 'okta_verify-push', 'google_otp']);
      await clickAndWait(page, '.authenticator-button[data-se="google_otp"] a.button.select-factor');
      expect(await text(page, '.okta-form-title')).toBe('Verify with Google Authenticator');
      await page.type('input[name="credentials.passcode"]', await code(a.mfaSecret!));
      await clickAndWait(page, 'input[data-type="save"]');
      await waitForUrl(page, /^https:\/\/globex\.eu\.pagerduty\.com\/incidents$/);
      const state = await signedInState(page);
      expect(state.me.body.user).toMatchObject({ email: 'alice@globex.example', role: 'owner' });
    });
  });

  it('Okta Verify is the default factor (hooli.oktapreview.com): switch to Google Authenticator', async () => {
    const a = account(sandbox, 'us-okta-verify-default');
    await withPage(chrome.browser, async (page) => {
      await twoStepEmail(page, 'hooli.pagerduty.com', 'gavin@hooli.example');
      await clickAndWait(page, '#sso-button');
      await oktaClassicPassword(page, a.user, a.password);
      expect(new URL(page.url()).pathname).toBe('/signin/verify/okta/push');
      expect(await page.$('input[name="answer"]')).toBeNull();
      const option = '#okta-dropdown-options li.factor-option a[title="Google Authenticator"]';
      expect(await page.$eval(option, (el) => (el as HTMLElement).offsetParent === null)).toBe(true);
      await page.click('a.option-selected');
      await page.waitForSelector(option, { visible: true });
      await clickAndWait(page, option);
      expect(new URL(page.url()).pathname).toBe('/signin/verify/google/token:software:totp');
      await page.type('[data-se="factor-totp"] input[name="answer"]', await code(a.mfaSecret!));
      await clickAndWait(page, '[data-se="factor-totp"] input[type=submit]');
      await waitForUrl(page, /^https:\/\/hooli\.pagerduty\.com\/incidents$/);
      expect((await signedInState(page)).me.body.user.role).toBe('owner');
    });
  });
});

describe('Microsoft Entra ID', () => {
  it('code by default (contoso): one-document email/password steps, wrong password, wrong code, KMSI No', async () => {
    const a = account(sandbox, 'us-azure-code');
    await withPage(chrome.browser, async (page) => {
      await page.goto('https://contoso.pagerduty.com/sign_in');
      await clickAndWait(page, '#sso_link');
      await waitForUrl(page, /^https:\/\/login\.microsoftonline\.com\/[0-9a-f-]{36}\/saml2\?SAMLRequest=/);
      expect(await page.$eval('meta[name="PageID"]', (el) => el.getAttribute('content'))).toBe('ConvergedSignIn');
      expect(await page.evaluate(() => (window as any).$Config.pgid)).toBe('ConvergedSignIn');
      expect(await page.$eval('#i0118', (el) => el.classList.contains('moveOffScreen'))).toBe(true);
      await page.type('input[name="loginfmt"]#i0116', a.user);
      await page.click('#idSIButton9');
      await page.waitForSelector('input[name="passwd"]#i0118:not(.moveOffScreen)', { visible: true });
      expect(await page.$eval('#i0116', (el) => el.classList.contains('moveOffScreen'))).toBe(true);
      expect(await page.$eval('#idSIButton9', (el) => (el as HTMLInputElement).value)).toBe('Sign in');
      await page.type('#i0118', 'wrong');
      await clickAndWait(page, '#idSIButton9');
      expect(await text(page, '#passwordError.alert-error')).toContain('Your account or password is incorrect');
      expect(await page.$('#i0118.has-error:not(.moveOffScreen)')).not.toBeNull();
      await page.type('#i0118:not(.moveOffScreen)', a.password);
      await clickAndWait(page, '#idSIButton9');
      expect(await page.evaluate(() => (window as any).$Config.pgid)).toBe('ConvergedTFA');
      expect(await text(page, '#idDiv_SAOTCC_Description')).toContain('authenticator app');
      await page.type('input[name="otc"]#idTxtBx_SAOTCC_OTC', '000000' === (await code(a.mfaSecret!)) ? '111111' : '000000');
      await clickAndWait(page, '#idSubmit_SAOTCC_Continue');
      expect(await text(page, '#idSpan_SAOTCC_Error_OTC')).toBe("You didn't enter the expected verification code. Please try again.");
      await page.type('#idTxtBx_SAOTCC_OTC', await code(a.mfaSecret!));
      await clickAndWait(page, '#idSubmit_SAOTCC_Continue');
      expect(await page.$eval('meta[name="PageID"]', (el) => el.getAttribute('content'))).toBe('KmsiInterrupt');
      await page.waitForSelector('#KmsiDescription');
      await page.click('#idBtn_Back');
      await waitForUrl(page, /^https:\/\/contoso\.pagerduty\.com\/incidents$/);
      expect((await signedInState(page)).me.body.user).toMatchObject({ email: 'megan@contoso.example', role: 'owner' });
    });
  });

  it('push by default (fabrikam, EU): sign in another way, verification code, KMSI Yes', async () => {
    const a = account(sandbox, 'eu-azure-push-default');
    await withPage(chrome.browser, async (page) => {
      await twoStepEmail(page, 'fabrikam.eu.pagerduty.com', 'frank@fabrikam.example');
      await clickAndWait(page, '#sso-button');
      await page.type('#i0116', a.user);
      await page.click('#idSIButton9');
      await page.waitForSelector('#i0118:not(.moveOffScreen)', { visible: true });
      await page.type('#i0118', a.password);
      await clickAndWait(page, '#idSIButton9');
      expect(await text(page, '#idDiv_SAOTCAS_Description')).toContain('enter the number shown');
      expect(await text(page, '#idRichContext_DisplaySign')).toMatch(/^\d{2}$/);
      expect(await page.$('#idTxtBx_SAOTCC_OTC')).toBeNull();
      await page.click('#signInAnotherWay');
      await page.waitForSelector('#idDiv_SAOTCS_Proofs div[data-value="PhoneAppOTP"]', { visible: true });
      await page.click('#idDiv_SAOTCS_Proofs div[data-value="PhoneAppOTP"]');
      await page.waitForSelector('#idTxtBx_SAOTCC_OTC', { visible: true });
      await page.type('#idTxtBx_SAOTCC_OTC', await code(a.mfaSecret!));
      await clickAndWait(page, '#idSubmit_SAOTCC_Continue');
      await page.waitForSelector('#KmsiDescription');
      await page.click('#idSIButton9');
      await waitForUrl(page, /^https:\/\/fabrikam\.eu\.pagerduty\.com\/incidents$/);
      expect((await signedInState(page)).me.body.user.role).toBe('owner');
    });
  });
});

describe('locks and events', () => {
  it('five failed PagerDuty sign-ins lock the user, even for the right password', async () => {
    const a = account(sandbox, 'us-credentials-user');
    await withPage(chrome.browser, async (page) => {
      for (let i = 0; i < 5; i++) await legacySignIn(page, 'acme.pagerduty.com', a.user, `wrong-${i}`);
      expect(await text(page, '#flash_error')).toContain('locked');
      await legacySignIn(page, 'acme.pagerduty.com', a.user, a.password);
      expect(await text(page, '#flash_error')).toContain('locked');
      expect(new URL(page.url()).pathname).toBe('/sign_in');
    });
  });

  it('five wrong codes lock the Entra user', async () => {
    const a = account(sandbox, 'us-azure-code');
    await withPage(chrome.browser, async (page) => {
      await page.goto('https://contoso.pagerduty.com/sso/saml/login');
      // The Entra session from the earlier case is in another context: this one signs in from scratch.
      await page.type('#i0116', a.user);
      await page.click('#idSIButton9');
      await page.waitForSelector('#i0118:not(.moveOffScreen)', { visible: true });
      await page.type('#i0118', a.password);
      await clickAndWait(page, '#idSIButton9');
      for (let i = 0; i < 5; i++) {
        await page.type('#idTxtBx_SAOTCC_OTC', 'abcdef');
        await submitAndWait(page, '#idSubmit_SAOTCC_Continue');
      }
      expect(await text(page, '#idSpan_SAOTCC_Error_OTC')).toContain('locked');
    });
  });

  it('events name the posted fields on each host and never carry a value', () => {
    const posts = sandbox.events.filter((e) => e.host === 'acme.pagerduty.com' && e.path === '/sign_in');
    expect(posts[0]).toEqual({
      host: 'acme.pagerduty.com', path: '/sign_in', method: 'POST',
      fields: ['utf8', 'authenticity_token', 'user[email]', 'user[password]', 'user[remember_me]', 'commit'],
    });
    expect(sandbox.events.some((e) => e.host === 'login.microsoftonline.com' && e.path === '/common/GetCredentialType')).toBe(true);
    expect(sandbox.events.some((e) => e.host === 'globex.okta-emea.com' && e.path === '/idp/idx/challenge' && e.fields.includes('authenticator'))).toBe(true);
    const serialized = JSON.stringify(sandbox.events);
    for (const a of sandbox.accounts) {
      expect(serialized).not.toContain(a.password);
      if (a.mfaSecret) expect(serialized).not.toContain(a.mfaSecret);
    }
  });
});
