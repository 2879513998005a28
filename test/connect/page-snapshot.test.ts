// The redacted page snapshot (--debug-dir, unrecognized page) of a hostile page that carries every kind of secret
// a real one can: typed and hidden input values, a script with a token, the session cookie's value in its text,
// URLs with tokens in their queries, inline handlers, the password echoed back. None may reach the snapshot;
// the page's structure and texts, and why each state did not match, must.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBrowser } from '../../src/browser/find-browser.js';
import { openBrowser, type BrowserSession } from '../../src/browser/session.js';
import { scrubSecrets, stripUrlQueries, takePageSnapshot } from '../../src/connect/page-snapshot.js';
import type { ResolvedInstance } from '../../src/cli/inputs.js';

let session: BrowserSession;
beforeAll(async () => {
  const browser = findBrowser({ env: process.env });
  session = await openBrowser({ executable: browser.path, headless: browser.headless });
});
afterAll(async () => {
  await session?.close();
});

const instance: ResolvedInstance = {
  name: 'contoso', subdomain: 'contoso', region: 'us', loginMethod: 'azure', user: 'megan@contoso.example', password: 'Pw-<&"secret>-42', okta: null,
  mfa: { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', digits: 6, period: 30, algorithm: 'sha1' },
};
const COOKIE = 'ESTSAUTH-cookie-value-7f3a9c1e55';
const TOKEN = 'flowtoken-AQABAAEA-9931';
const SCRIPT_SECRET = 'script-only-secret-5521';

const HOSTILE = `<!doctype html><html><head><title>Unknown Entra step</title><meta name="PageID" content="ConvergedSomethingNew">
<script>$Config={"sFT":"${SCRIPT_SECRET}"};</script></head><body>
<!-- debug: ${TOKEN} -->
<div id="lightbox"><div role="heading">Something new for ${instance.user}</div>
<form action="/common/next?flowToken=${TOKEN}" method="post">
<input type="hidden" name="flowToken" value="${TOKEN}">
<input type="text" name="nickname" id="typed">
<input type="password" name="passwd" id="pw">
<textarea name="notes">${TOKEN}</textarea>
<a id="help" href="https://login.microsoftonline.com/help?ctx=${TOKEN}#frag" onclick="steal('${TOKEN}')">Help</a>
<div id="data" data-config='{"next":"https://login.microsoftonline.com/x?code=${TOKEN}"}'></div>
<img src="/img/logo.png?sig=${TOKEN}" srcset="/a.png?sig=${TOKEN} 2x">
<iframe src="https://login.microsoftonline.com/frame?t=${TOKEN}"></iframe>
<p id="echo"></p><p id="cookie"></p>
<template id="later"><input name="otc" value="${TOKEN}"><script>x("${SCRIPT_SECRET}")</script></template>
<input type="submit" id="idSIButton9" value="Continue"></form></div>
<script>
document.cookie = 'ESTSAUTH=${COOKIE}; path=/; secure';
document.getElementById('cookie').textContent = 'Your session: ' + document.cookie;
</script></body></html>`;

describe('page snapshot of an unrecognized page', () => {
  it('keeps the structure and texts, and none of the secrets', async () => {
    const context = await session.newContext();
    try {
      const page = await context.newPage();
      await page.setRequestInterception(true);
      page.on('request', (request) => void request.respond({ status: 200, contentType: 'text/html', body: HOSTILE }));
      await page.goto(`https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2?SAMLRequest=${TOKEN}`);
      // What a sign-in would have left in the page: typed values, and the password echoed as text.
      await page.type('#typed', instance.user);
      await page.type('#pw', instance.password);
      await page.evaluate((pw) => (document.getElementById('echo')!.textContent = `You typed ${pw}`), instance.password);

      const snapshot = await takePageSnapshot(page, instance);
      expect(snapshot).not.toBeNull();
      const { html, report } = snapshot!;
      const everything = `${html}\n${JSON.stringify(report)}`;
      for (const secret of [instance.password, instance.mfa!.secret, COOKIE, TOKEN, SCRIPT_SECRET, instance.user, encodeURIComponent(instance.password)]) {
        expect(everything, `leaks ${secret.slice(0, 6)}…`).not.toContain(secret);
      }
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/\sonclick=/i);
      expect(html).not.toMatch(/<iframe/i);
      expect(html).not.toMatch(/https?:\/\/[^"'\s<>]*\?/);
      expect(html).not.toMatch(/<!--/);
      expect(html).not.toMatch(/\svalue="[^"]/);
      // What a maintainer needs is still there.
      expect(html).toContain('<meta name="PageID" content="ConvergedSomethingNew">');
      expect(html).toContain('Something new for [user]');
      expect(html).toContain('You typed [password]');
      expect(html).toContain('Your session: ESTSAUTH=[cookie]');
      expect(html).toContain('href="https://login.microsoftonline.com/help"');
      expect(html).toContain('action="/common/next"');
      expect(html).toContain('id="idSIButton9"');

      expect(report.url).toBe('https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2');
      expect(report.hostRole).toBe('entra');
      expect(report.title).toBe('Unknown Entra step');
      // Every Entra and PagerDuty state is listed with what it missed.
      const email = report.states.find((s) => s.id === 'entra.email')!;
      expect(email.role).toBe('entra');
      expect(email.failed).toEqual([{ condition: 'visible', selector: 'input[name="loginfmt"]:not(.moveOffScreen)', found: 'none' }]);
      const kmsi = report.states.find((s) => s.id === 'entra.kmsi')!;
      expect(kmsi.failed).toEqual([{ condition: 'visible', selector: '#KmsiDescription', found: 'none' }]);
      const password = report.states.find((s) => s.id === 'entra.password')!;
      expect(password.failed).toEqual([]); // it matched: the page has a visible password input
      expect(report.states.some((s) => s.role === 'pagerduty')).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe('scrubSecrets and stripUrlQueries', () => {
  it.each([
    ['pw is hunter22 and hunter22', [{ value: 'hunter22', label: 'password' }], 'pw is [password] and [password]'],
    ['a%2Fb%3Dsecret', [{ value: 'a/b=secret', label: 'password' }], '[password]'],
    ['abc', [{ value: 'abc', label: 'too-short' }], 'abc'],
    ['secret-long secret', [{ value: 'secret', label: 's' }, { value: 'secret-long', label: 'l' }], '[l] [s]'],
  ])('%s', (text, secrets, expected) => {
    expect(scrubSecrets(text, secrets)).toBe(expected);
  });

  it.each([
    ['go to https://x.example/a?token=1&b=2 now', 'go to https://x.example/a now'],
    ['"https://x.example/a#access_token=1"', '"https://x.example/a"'],
    ['http://x.example/plain', 'http://x.example/plain'],
  ])('%s', (text, expected) => {
    expect(stripUrlQueries(text)).toBe(expected);
  });
});
