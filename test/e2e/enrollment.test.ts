// The whole 2FA path through the CLI, for Okta and Entra: the IdP's enrollment page (in the sandbox) shows a QR
// code; a Chromium screenshot of it goes to `pagerduty code --mfa-secret-qr`; that code, typed into the page,
// completes the enrollment; then `pagerduty add --mfa-secret-qr` with the same screenshot passes the log-in test,
// typing one code (never the one used for the enrollment). No secret or code reaches any other output or file.
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SampleAccount, type SandboxHandle } from '../../src/sandbox/index.js';
import { ENTRA_ENROLL_PATH, MYSIGNINS_HOST, OKTA_ENROLL_PATH } from '../../src/sandbox/enroll.js';
import { matchTotp } from '../../src/sandbox/totp.js';
import { cleanEnv, findLeak, readTree, removeDir, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { launchBrowser, type TestBrowser } from '../sandbox/helpers.js';
import { account, assertBuilt, codeSubmissions, describeRun, idpHost } from './helpers.js';

let sandbox: SandboxHandle;
let chrome: TestBrowser;
const root = tempDir('sspm-enroll-e2e-');

beforeAll(async () => {
  assertBuilt();
  sandbox = await startSandbox();
  chrome = await launchBrowser(sandbox);
});

afterAll(async () => {
  await chrome?.close();
  await sandbox?.close();
  removeDir(root);
});

async function enrollmentPage(url: string, acc: SampleAccount): Promise<Page> {
  const context = await chrome.browser.createBrowserContext();
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load', timeout: 20_000 });
  await page.type('input[type="email"]', acc.user);
  await page.type('input[type="password"]', acc.password);
  await Promise.all([page.waitForNavigation({ timeout: 20_000 }), page.click('button[type="submit"]')]);
  await page.waitForSelector('[aria-label="QR code"] svg', { timeout: 20_000 });
  return page;
}

/** The secret behind "Can't scan?": what a user would copy instead of scanning. */
async function cantScanKey(page: Page, linkText: string): Promise<string> {
  const summary = await page.$('details summary');
  expect(await summary!.evaluate((el) => el.textContent)).toBe(linkText);
  await summary!.click();
  const key = await page.$eval('details code', (el) => el.textContent ?? '');
  return key.replace(/\s+/g, '');
}

async function typeCode(page: Page, code: string): Promise<string> {
  await page.type('input[name="code"]', code);
  await Promise.all([page.waitForNavigation({ timeout: 20_000 }), page.click('button[type="submit"]')]);
  return page.$eval('main', (el) => el.textContent ?? '');
}

const cases = [
  { label: 'us-okta-classic', url: (acc: SampleAccount) => `https://${idpHost(acc)}${OKTA_ENROLL_PATH}`, cantScan: "Can't scan?", done: 'Google Authenticator is set up', format: 'png' as const },
  { label: 'us-azure-code', url: () => `https://${MYSIGNINS_HOST}${ENTRA_ENROLL_PATH}`, cantScan: "Can't scan image?", done: 'Authenticator app was successfully registered', format: 'jpeg' as const },
];

describe('enrollment to log-in through the CLI', () => {
  it.each(cases)('$label: QR screenshot ($format) -> code -> enrollment completed -> add passes the log-in test', async ({ label, url, cantScan, done, format }) => {
    const acc = account(sandbox, label);
    const dir = mkdtempSync(path.join(root, `${label}-`));
    const configDir = path.join(dir, 'config');
    const shot = path.join(dir, `enroll.${format === 'png' ? 'png' : 'jpg'}`);
    const passphrase = 'Enroll-e2e-passphrase-7731';
    const env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir, SSPM_ONBOARD_PASSPHRASE: passphrase });
    const outputs: Array<{ where: string; text: string }> = [];
    const record = (where: string, result: CliResult) => outputs.push({ where: `stdout of ${where}`, text: result.stdout }, { where: `stderr of ${where}`, text: result.stderr });

    const page = await enrollmentPage(url(acc), acc);
    await page.screenshot({ path: shot, type: format, ...(format === 'jpeg' ? { quality: 90 } : {}), fullPage: true });
    const key = await cantScanKey(page, cantScan);
    expect(key).not.toBe(acc.mfaSecret);

    // The code for the enrollment screen, from the screenshot alone.
    const code = await runCli(['pagerduty', 'code', '--mfa-secret-qr', shot, '--json'], { env });
    expect(code.code, describeRun(code)).toBe(0);
    expect(code.stderr).toContain(`account ${acc.user}`);
    const shown = JSON.parse(code.stdout) as { code: string; expiresInSeconds: number; period: number; digits: number };
    expect(shown).toMatchObject({ period: 30, digits: 6 });
    expect(matchTotp(key, shown.code)).not.toBeNull();

    const afterEnroll = await typeCode(page, shown.code);
    expect(afterEnroll).toContain(done);
    await page.browserContext().close();

    // The sample secret was replaced by the enrolled one: only the screenshot's secret signs in now.
    const eventsBefore = sandbox.events.length;
    const add = await runCli(
      [
        'pagerduty', 'add', '--name', `enroll-${label}`, '--url', acc.url, '--login-method', acc.loginMethod, '--user', acc.user,
        ...(acc.loginMethod === 'okta' ? ['--okta-subdomain', acc.oktaSubdomain!] : []),
        '--password-stdin', '--mfa-secret-qr', shot, '--secret-store', 'file', '--no-input', '--json',
        ...sandbox.browserArgs.map((a) => `--browser-arg=${a}`),
      ],
      { env, input: acc.password, killAfterMs: 150_000 },
    );
    record('add', add);
    expect(add.code, describeRun(add)).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ ok: true, test: { ok: true, owner: 'verified' }, stored: { secrets: expect.stringContaining('secrets.enc.json') } });
    // One code typed at sign-in, accepted at once: not the enrollment's (the IdP would refuse it as reused).
    expect(codeSubmissions(sandbox.events.slice(eventsBefore), idpHost(acc))).toHaveLength(1);

    // Secrets and codes stay out of every output but `code --json`'s, and out of every file in the config folder.
    const secrets = [key, key.toLowerCase(), shown.code, acc.password, passphrase];
    expect(findLeak(outputs, secrets)).toBeUndefined();
    expect(findLeak([{ where: 'stderr of code', text: code.stderr }], secrets)).toBeUndefined();
    expect(findLeak(readTree(configDir).map(({ file, text }) => ({ where: file, text })), secrets)).toBeUndefined();
  }, 240_000);
});
