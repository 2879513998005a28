// The sandbox's widget orgs at the HTTP level (no browser): the page boots the npm widget from the org's own host
// with the pinned file's bytes, nothing outside the widget's folders is served, and the IDX API answers each
// step in the shape the widget reads (remediation names, messages, success.href).
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { widgetAssets } from '../../src/sandbox/okta-widget.js';
import { totp } from '../../src/sandbox/totp.js';

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

interface Answer {
  status: number;
  type: string;
  body: Buffer;
  location?: string;
  cookies: string[];
}

/** One HTTPS request to `host` on the sandbox's port (its certificate is self-signed: not checked here). */
function call(host: string, method: string, urlPath: string, json?: unknown, cookie?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = json === undefined ? undefined : JSON.stringify(json);
    const req = request(
      {
        host: '127.0.0.1', port: sandbox.port, servername: host, method, path: urlPath, rejectUnauthorized: false,
        headers: { host, ...(body ? { 'content-type': 'application/ion+json; okta-version=1.0.0' } : {}), ...(cookie ? { cookie } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({
          status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks),
          location: res.headers.location, cookies: res.headers['set-cookie'] ?? [],
        }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const ORG = 'umbrella.okta.com';
type Idx = { stateHandle?: string; remediation?: { value: Array<{ name: string; value: Array<Record<string, unknown>> }> }; messages?: { value: Array<{ message: string }> }; success?: { href: string } };
const names = (idx: Idx) => idx.remediation?.value.map((r) => r.name) ?? [];

describe('Okta widget orgs: assets and IDX API', () => {
  it('the sign-in page boots the npm widget from the org\'s own host, with the package\'s own bytes', async () => {
    const page = await call(ORG, 'GET', '/login/login.htm?fromURI=%2Fapp%2FUserHome');
    expect(page.status).toBe(200);
    const html = page.body.toString();
    const script = /<script src="([^"]+okta-sign-in\.min\.js)"/.exec(html)?.[1];
    expect(script, 'Gen2 bundle').toBeDefined();
    expect(html).toContain('new OktaSignIn(');
    const bundle = await call(ORG, 'GET', script!);
    expect(bundle.status).toBe(200);
    expect(bundle.type).toMatch(/javascript/);
    expect(bundle.body.equals(readFileSync(path.join(widgetAssets()!, 'dist/js/okta-sign-in.min.js')))).toBe(true);
    const gen3 = (await call('vandelay.okta.com', 'GET', '/login/login.htm')).body.toString();
    expect(gen3).toMatch(/okta-sign-in\.next\.js/);
    expect(gen3).toMatch(/okta-sign-in\.next\.css/);
    expect((await call('soylent.okta.com', 'GET', '/login/login.htm')).body.toString()).toMatch(/okta-sign-in\.classic\.js[\s\S]*useClassicEngine/);
  });

  it('serves nothing outside the widget\'s own files', async () => {
    const prefix = '/assets/js/sdk/okta-signin-widget/7.49.0/';
    for (const probe of ['font/../../package.json', 'font/%2e%2e/%2e%2e/package.json', 'js/okta-sign-in.min.js.map', '../package.json', 'labels/json/login.json']) {
      expect((await call(ORG, 'GET', prefix + probe)).status, probe).toBe(404);
    }
  });

  it('walks identify, password, authenticator list, code and "Keep me signed in" to a session, with errors in the widget\'s shapes', async () => {
    const page = (await call(ORG, 'GET', '/login/login.htm?fromURI=%2Fapp%2FUserHome')).body.toString();
    const stateToken = /"stateToken":"([^"]+)"/.exec(page)![1]!;
    const post = async (p: string, body: Record<string, unknown>) => {
      const answer = await call(ORG, 'POST', p, body);
      return { status: answer.status, type: answer.type, idx: JSON.parse(answer.body.toString()) as Idx };
    };
    const start = await post('/idp/idx/introspect', { stateToken });
    expect(start.type).toMatch(/^application\/ion\+json/);
    expect(names(start.idx)).toEqual(['identify']);
    const stateHandle = start.idx.stateHandle!;

    expect(names((await post('/idp/idx/identify', { identifier: 'alex@umbrella.example', rememberMe: false, stateHandle })).idx)).toEqual(['challenge-authenticator']);
    const wrong = await post('/idp/idx/challenge/answer', { credentials: { passcode: 'not-the-password' }, stateHandle });
    expect(wrong.status).toBe(403);
    expect(wrong.idx.messages?.value[0]?.message).toBe('Password is incorrect');

    const list = await post('/idp/idx/challenge/answer', { credentials: { passcode: 'sandbox-Okta-Umbrella-pw-12' }, stateHandle });
    expect(names(list.idx)).toEqual(['select-authenticator-authenticate']);
    const options = list.idx.remediation!.value[0]!.value[0]!.options as Array<{ label: string; value: { form: { value: Array<{ name: string; value?: string }> } } }>;
    const google = options.find((o) => o.label === 'Google Authenticator')!.value.form.value.find((f) => f.name === 'id')!.value;

    const code = await post('/idp/idx/challenge', { authenticator: { id: google }, stateHandle });
    expect(names(code.idx)).toEqual(['challenge-authenticator', 'select-authenticator-authenticate']);
    const badCode = await post('/idp/idx/challenge/answer', { credentials: { passcode: '000000' }, stateHandle });
    expect(badCode.status).toBe(403);
    expect(JSON.stringify(badCode.idx)).toContain('Invalid code. Try again.');

    const kmsi = await post('/idp/idx/challenge/answer', { credentials: { passcode: totp('SANDBOXFAKEUMBRELLAOKTAGENTWOFFF') }, stateHandle });
    expect(names(kmsi.idx)).toEqual(['keep-me-signed-in']);
    const done = await post('/idp/idx/keep-me-signed-in', { keepMeSignedIn: false, stateHandle });
    expect(done.idx.success?.href).toBe(`https://${ORG}/login/token/redirect?stateToken=${encodeURIComponent(stateHandle)}`);

    const handOver = await call(ORG, 'GET', new URL(done.idx.success!.href).pathname + new URL(done.idx.success!.href).search);
    expect(handOver.status).toBe(302);
    expect(handOver.location).toBe('/app/UserHome');
    expect(handOver.cookies.some((c) => c.startsWith('sid='))).toBe(true);
    // The hand-over works once.
    expect((await call(ORG, 'GET', new URL(done.idx.success!.href).pathname + new URL(done.idx.success!.href).search)).location).toBe('/login/login.htm');
  });

  it('a stateHandle from another org, or none, is refused', async () => {
    const page = (await call('vandelay.okta.com', 'GET', '/login/login.htm')).body.toString();
    const stateToken = /"stateToken":"([^"]+)"/.exec(page)![1]!;
    expect((await call(ORG, 'POST', '/idp/idx/introspect', { stateToken })).status).toBe(403);
    expect((await call(ORG, 'POST', '/idp/idx/identify', { identifier: 'alex@umbrella.example' })).status).toBe(403);
  });
});
