// The Okta table, row by row: for markup each widget generation renders (trimmed from what the real Sign-In Widget
// 7.49.0 renders in the sandbox, generated class names left out as the tables never read them), which state is
// recognised, what its action would click or fill, and which error text it reads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ElementHandle, Page } from 'puppeteer-core';
import { findBrowser } from '../../src/browser/find-browser.js';
import { openBrowser, type BrowserSession } from '../../src/browser/session.js';
import { pageQuery, type Detection } from '../../src/connect/detect.js';
import { OKTA_STATES, type Action, type Sel } from '../../src/connect/flow-tables.js';

let session: BrowserSession;
let page: Page;
beforeAll(async () => {
  const browser = findBrowser({ env: process.env });
  session = await openBrowser({ executable: browser.path, headless: browser.headless });
  page = await (await session.newContext()).newPage();
});
afterAll(async () => {
  await session?.close();
});

const specs = OKTA_STATES.map((s) => ({ id: s.id, visible: s.visible, present: s.present, hidden: s.hidden, path: s.path, errors: s.errors, probes: s.probes }));

async function recognise(html: string): Promise<Detection> {
  await page.setContent(`<!doctype html><html><body>${html}</body></html>`);
  return (await page.evaluate(pageQuery, { kind: 'detect' as const, specs, marker: '' })) as Detection;
}

/** The element an action's selector finds (visible only, as the engine does), as tag + text, or null. */
async function located(sel: Sel): Promise<string | null> {
  const handle = await page.evaluateHandle(pageQuery, { kind: 'locate' as const, sel });
  const element = handle.asElement() as ElementHandle<Element> | null;
  if (!element) return null;
  return element.evaluate((el) => `${el.tagName.toLowerCase()}:${((el as HTMLElement).innerText || (el as HTMLInputElement).value || el.getAttribute('name') || '').trim()}`);
}

function actionsOf(id: string, detection: Detection): Action[] {
  const state = OKTA_STATES.find((s) => s.id === id)!;
  return state.act?.('okta', detection.probes[id] ?? {}) ?? [];
}

const targetOf = (a: Action): Sel => ('target' in a ? a.target : { css: '' });

// ---- Gen2 (okta-sign-in.min.js) -------------------------------------------------------------------------------
const GEN2_SAVE = (label: string) => `<div class="o-form-button-bar"><input class="button button-primary" type="submit" value="${label}" data-type="save"></div>`;
const gen2Form = (inner: string, footer = '') => `<main id="okta-sign-in" data-se="auth-container"><form data-se="o-form" class="ion-form o-form">
<div data-se="o-form-content"><div class="o-form-error-container" data-se="o-form-error-container" role="alert"></div>${inner}</div>${footer}</form></main>`;
const GEN2_IDENTIFIER = gen2Form(`<input type="text" name="identifier" autocomplete="username"><input type="checkbox" name="rememberMe">${GEN2_SAVE('Next')}`);
const GEN2_PASSWORD = gen2Form(`<h2 data-se="o-form-head">Verify with your password</h2><input type="password" name="credentials.passcode">${GEN2_SAVE('Verify')}`);
const GEN2_LIST = gen2Form(`<h2 data-se="o-form-head">Verify it's you with a security method</h2><div class="authenticator-verify-list authenticator-list"><div class="list-content">
<div class="authenticator-row"><h3>Okta Verify</h3><div class="authenticator-button" data-se="okta_verify-push"><a data-se="button" class="button select-factor link-button" href="#">Select</a></div></div>
<div class="authenticator-row"><h3>Google Authenticator</h3><div class="authenticator-button" data-se="google_otp"><a data-se="button" class="button select-factor link-button" href="#">Select</a></div></div>
</div></div>`);
const GEN2_PUSH = gen2Form(`<h2 data-se="o-form-head">Get a push notification</h2><p>Push notification sent</p>`,
  '<div class="auth-footer"><a data-se="switchAuthenticator" href="#" class="link js-switchAuthenticator">Verify with something else</a><a data-se="cancel" href="#">Back to sign in</a></div>');
const GEN2_KMSI = gen2Form(`<h2 data-se="o-form-head">Keep me signed in</h2>
<a data-se="stay-signed-in-btn" class="button button-secondary link-button" href="#">Stay signed in</a><a data-se="do-not-stay-signed-in-btn" class="button button-secondary link-button" href="#">Don't stay signed in</a>`);
const GEN2_WRONG_CODE = gen2Form(`<h2 data-se="o-form-head">Verify with Google Authenticator</h2>
<div class="o-form-error-container o-form-has-errors" data-se="o-form-error-container" role="alert"><div class="okta-form-infobox-error infobox infobox-error" role="alert"><p>We found some errors. Please review the form and make corrections.</p></div></div>
<input type="text" name="credentials.passcode" aria-invalid="true" aria-describedby="input-container-error133"><p id="input-container-error133" class="okta-form-input-error o-form-input-error" role="alert">Invalid code. Try again.</p>${GEN2_SAVE('Verify')}`,
  '<a data-se="switchAuthenticator" href="#">Verify with something else</a>');

// ---- Gen3 (okta-sign-in.next.js) ------------------------------------------------------------------------------
const GEN3_SAVE = (label: string) => `<div><button tabindex="0" type="submit" data-se="save">${label}</button></div>`;
const gen3Form = (inner: string) => `<main id="okta-sign-in" data-se="auth-container main-container"><form novalidate data-se="o-form">${inner}</form></main>`;
const GEN3_IDENTIFIER = gen3Form(`<h1 data-se="o-form-head">Sign In</h1><label for="identifier">Username</label>
<input aria-invalid="false" autocomplete="username" id="identifier" name="identifier" type="text" data-se="identifier"><input name="rememberMe" type="checkbox">${GEN3_SAVE('Next')}`);
const GEN3_PASSWORD_WRONG = gen3Form(`<div data-se="identifier-container"><span>art@vandelay.example</span></div>
<div data-se="infobox-error"><div role="alert" aria-label="error"><div><div>Password is incorrect</div></div></div></div>
<h1 data-se="o-form-head">Verify with your password</h1><div style="position:absolute;left:-9999px"><input type="text" id="username" name="username"></div>
<input aria-invalid="false" id="credentials.passcode" name="credentials.passcode" type="password" data-se="credentials.passcode" role="textbox">${GEN3_SAVE('Verify')}
<button role="link" type="button" data-se="cancel">Back to sign in</button>`);
const GEN3_PUSH = gen3Form(`<h1 data-se="o-form-head">Push notification sent</h1><p data-se="o-form-explain">Respond on your mobile device to continue.</p>
<button role="link" type="button" data-se="switchAuthenticator">Verify with something else</button><button role="link" type="button" data-se="cancel">Back to sign in</button>`);
const GEN3_LIST = gen3Form(`<h1 data-se="o-form-head">Verify it's you with a security method</h1><ul data-se="authenticator-verify-list">
<li><button type="button" data-se="authenticator-button" aria-label="Select to get a push notification to the Okta Verify app."><p>Okta Verify</p><p>Get a push notification</p><div data-se="okta_verify-push"></div></button></li>
<li><button type="button" data-se="authenticator-button" aria-label="Select Google Authenticator."><p>Google Authenticator</p><div data-se="google_otp"></div></button></li></ul>`);
const GEN3_WRONG_CODE = gen3Form(`<div role="alert" aria-label="error"><div>We found some errors. Please review the form and make corrections.</div></div>
<h1 data-se="o-form-head">Verify with Google Authenticator</h1>
<input aria-invalid="true" id="credentials.passcode" name="credentials.passcode" type="text" inputmode="numeric" data-se="credentials.passcode" aria-describedby="credentials.passcode-error" aria-errormessage="credentials.passcode-error">
<div id="credentials.passcode-error"><span>Error:</span><div>Invalid code. Try again.</div></div>${GEN3_SAVE('Verify')}
<button role="link" type="button" data-se="switchAuthenticator">Verify with something else</button>`);
const GEN3_KMSI = gen3Form(`<h1 data-se="o-form-head">Keep me signed in</h1>
<div><button type="button" data-se="stay-signed-in-btn">Stay signed in</button></div><div><button type="button" data-se="do-not-stay-signed-in-btn">Don't stay signed in</button></div>`);

// ---- Classic, the real widget: the factor menu's entries carry no title; the list is shown by the toggle ------------
const classicMenu = (open: boolean) => `<main id="okta-sign-in"><div class="factors-dropdown-wrap"><div class="dropdown more-actions">
<a href="#" class="link-button option-selected" aria-expanded="${open}" aria-controls="okta-dropdown-options">Okta Verify</a>
<div id="okta-dropdown-options" class="options" style="display:${open ? 'block' : 'none'}"><ul class="okta-dropdown-list options-wrap">
<li class="dropdown-list-title option-disabled"><a href="">Select an authentication factor</a></li>
<li class="factor-option"><a href="">Okta Verify (iPhone)</a></li><li class="factor-option"><a href="">Google Authenticator</a></li></ul></div></div></div>
<form data-se="factor-push"><input type="submit" value="Send Push" data-type="save"></form></main>`;

describe('Okta states, by widget generation', () => {
  it.each([
    ['Gen2 identifier', GEN2_IDENTIFIER, 'okta.ie.identifier', 'input:Next'],
    ['Gen3 identifier (no input[data-type=save])', GEN3_IDENTIFIER, 'okta.ie.identifier', 'button:Next'],
    ['Gen2 password', GEN2_PASSWORD, 'okta.ie.password', 'input:Verify'],
    ['Gen3 password (with its off-screen username input)', GEN3_PASSWORD_WRONG, 'okta.ie.password', 'button:Verify'],
    ['Gen2 Google Authenticator code', GEN2_WRONG_CODE, 'okta.ie.code', 'input:Verify'],
    ['Gen3 Google Authenticator code (beside "Verify with something else")', GEN3_WRONG_CODE, 'okta.ie.code', 'button:Verify'],
  ])('%s: recognised, and submitted with its own button', async (_name, html, id, submit) => {
    const detection = await recognise(html);
    expect(detection.matches[0]).toBe(id);
    const actions = actionsOf(id, detection);
    expect(await located(targetOf(actions.at(-1)!))).toBe(submit);
  });

  it.each([
    ['Gen2', GEN2_LIST, 'a:Select'],
    ['Gen3', GEN3_LIST, 'button:Google Authenticator'],
  ])('%s list of authenticators: Google Authenticator chosen by its key google_otp, never the Okta Verify entry above it', async (_gen, html, target) => {
    const detection = await recognise(html);
    expect(detection.matches[0]).toBe('okta.ie.select-authenticator');
    const [click] = actionsOf('okta.ie.select-authenticator', detection);
    expect(click).toMatchObject({ type: 'click', ifMissing: { code: 'MFA_REJECTED' } });
    const element = await page.evaluateHandle(pageQuery, { kind: 'locate' as const, sel: targetOf(click!) });
    expect(await located(targetOf(click!))).toBe(target);
    const isGoogle = await (element.asElement() as ElementHandle<Element>).evaluate((el) => el.closest('[data-se="google_otp"]') !== null || el.querySelector('[data-se="google_otp"]') !== null);
    expect(isGoogle, 'the element clicked belongs to google_otp').toBe(true);
  });

  it.each([
    ['Gen2', GEN2_PUSH, 'a:Verify with something else'],
    ['Gen3', GEN3_PUSH, 'button:Verify with something else'],
  ])('%s Okta Verify push shown first: leaves through "Verify with something else"', async (_gen, html, target) => {
    const detection = await recognise(html);
    expect(detection.matches[0]).toBe('okta.ie.other-authenticator');
    const [click] = actionsOf('okta.ie.other-authenticator', detection);
    expect(await located(targetOf(click!))).toBe(target);
  });

  it.each([
    ['Gen2 (links)', GEN2_KMSI, 'a:Don\'t stay signed in'],
    ['Gen3 (buttons)', GEN3_KMSI, 'button:Don\'t stay signed in'],
  ])('%s "Keep me signed in": answered "Don\'t stay signed in"', async (_gen, html, target) => {
    const detection = await recognise(html);
    expect(detection.matches[0]).toBe('okta.ie.keep-me-signed-in');
    const [click] = actionsOf('okta.ie.keep-me-signed-in', detection);
    expect(await located(targetOf(click!))).toBe(target);
  });

  it.each([
    ['Gen2 wrong code: the field error, not the generic banner', GEN2_WRONG_CODE, 'okta.ie.code', 'Invalid code. Try again.'],
    ['Gen3 wrong code: the field\'s <id>-error element', GEN3_WRONG_CODE, 'okta.ie.code', 'Error: Invalid code. Try again.'],
    ['Gen3 wrong password: the infobox banner', GEN3_PASSWORD_WRONG, 'okta.ie.password', 'Password is incorrect'],
  ])('%s', async (_name, html, id, text) => {
    const detection = await recognise(html);
    expect(detection.errors[id]).toBe(text);
  });

  it('an input marked aria-invalid with nothing else shown still counts as a rejection', async () => {
    const html = gen3Form(`<h1 data-se="o-form-head">Verify with Google Authenticator</h1>
<input aria-invalid="true" id="credentials.passcode" name="credentials.passcode" type="text" inputmode="numeric">${GEN3_SAVE('Verify')}`);
    const detection = await recognise(html);
    expect(detection.matches[0]).toBe('okta.ie.code');
    expect(detection.errors['okta.ie.code']).toBe('The page marked the field as invalid.');
  });

  it('no error is read from pages that show none', async () => {
    for (const html of [GEN2_IDENTIFIER, GEN3_IDENTIFIER, GEN2_PASSWORD, GEN3_LIST, GEN3_KMSI]) {
      expect((await recognise(html)).errors).toEqual({});
    }
  });

  it('Classic (real widget), menu closed: the toggle is clicked, and clicked again if the menu stays closed', async () => {
    const detection = await recognise(classicMenu(false));
    expect(detection.matches).toEqual(['okta.classic.other-factor']);
    const actions = actionsOf('okta.classic.other-factor', detection);
    expect(actions).toHaveLength(1);
    expect(await located(targetOf(actions[0]!))).toBe('a:Okta Verify');
    expect(OKTA_STATES.find((s) => s.id === 'okta.classic.other-factor')!.retryUntaken).toMatchObject({ tries: 3 });
  });

  it('Classic (real widget), menu open: Google Authenticator found by its text (no title); only here is its absence "not offered"', async () => {
    const detection = await recognise(classicMenu(true));
    expect(detection.matches).toEqual(['okta.classic.factor-menu']);
    const [choose] = actionsOf('okta.classic.factor-menu', detection);
    expect(choose).toMatchObject({ type: 'click', ifMissing: { code: 'MFA_REJECTED' } });
    expect(await located(targetOf(choose!))).toBe('a:Google Authenticator');
    expect(OKTA_STATES.find((s) => s.id === 'okta.classic.factor-menu')!.retryUntaken, 'choosing a factor navigates: never clicked twice').toBeUndefined();
  });

  it('a Gen3 identifier page is never taken for a Classic sign-in form, nor a Classic one for Identity Engine', async () => {
    expect((await recognise(GEN3_IDENTIFIER)).matches.filter((m) => m.startsWith('okta.classic'))).toEqual([]);
    const classic = `<form data-se="o-form"><input id="okta-signin-username" name="username" type="text"><input id="okta-signin-password" name="password" type="password">
<input id="okta-signin-submit" type="submit" value="Sign In" data-type="save"></form>`;
    expect((await recognise(classic)).matches).toEqual(['okta.classic.sign-in']);
  });
});
