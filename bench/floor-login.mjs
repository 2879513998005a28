// The floor for one log-in test: the same page steps with the same browser and nothing else
// (launch, open sign-in, type, submit, wait for the signed-in page, close). Secrets come from the environment.
import puppeteer from 'puppeteer-core';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const config = JSON.parse(process.env.FLOOR_CONFIG);
const profile = mkdtempSync(path.join(os.tmpdir(), 'sspm-bench-floor-'));
const browser = await puppeteer.launch({
  executablePath: config.executable,
  headless: config.headless,
  pipe: true,
  userDataDir: profile,
  args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ...config.browserArgs],
});
try {
  const page = await browser.newPage();
  await page.goto(config.signInUrl, { waitUntil: 'domcontentloaded' });
  await page.type('#user_email', config.user);
  await page.type('#user_password', process.env.FLOOR_PASSWORD);
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click('input[name="commit"]')]);
  if (!new URL(page.url()).pathname.startsWith('/incidents')) throw new Error(`not signed in: ${page.url()}`);
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
