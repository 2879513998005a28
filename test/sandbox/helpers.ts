// Test helpers for the sandbox: a plain puppeteer-core driver (not the product's flows).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { startSandbox, type SampleAccount, type SandboxHandle, type SandboxOptions } from '../../src/sandbox/index.js';

export const CHROMIUM = '/usr/bin/chromium-headless-shell';

export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchBrowser(sandbox: SandboxHandle): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'sspm-sandbox-test-profile-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: 'shell',
    userDataDir: profile,
    args: ['--no-sandbox', ...sandbox.browserArgs],
    env: { ...process.env, XDG_CONFIG_HOME: profile, XDG_CACHE_HOME: profile },
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** One incognito context per case. */
/** One sandbox (with these faults) and one browser routed to it for the whole file; both closed after it. */
export function useSandboxWithBrowser(options: SandboxOptions, ready: (sandbox: SandboxHandle, chrome: TestBrowser) => void): void {
  let sandbox: SandboxHandle | undefined;
  let chrome: TestBrowser | undefined;
  beforeAll(async () => {
    const started = await startSandbox(options);
    sandbox = started;
    chrome = await launchBrowser(started);
    ready(started, chrome);
  });
  afterAll(async () => {
    await chrome?.close();
    await sandbox?.close();
  });
}

export async function withPage<T>(browser: Browser, run: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.setDefaultNavigationTimeout(10_000);
    return await run(page, context);
  } finally {
    await context.close().catch(() => undefined);
  }
}

export function account(sandbox: SandboxHandle, label: string): SampleAccount {
  const found = sandbox.accounts.find((a) => a.label === label);
  if (!found) throw new Error(`no sample account ${label}`);
  return found;
}

/** A TOTP code computed by otplib (independent of the sandbox's own RFC 6238 code), `steps` windows ahead. */
export async function code(secret: string, steps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });
}

export async function clickAndWait(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

export async function submitAndWait(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.$eval(selector, (el) => (el as HTMLElement).click())]);
}

/** Waits until the page's URL matches (across redirects and auto-posted forms). */
export async function waitForUrl(page: Page, pattern: RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const url = page.url();
    if (pattern.test(url)) {
      await page.waitForFunction(() => document.readyState === 'complete', { timeout: timeoutMs }).catch(() => undefined);
      if (pattern.test(page.url())) return page.url();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`URL ${page.url()} never matched ${pattern}`);
}

export async function text(page: Page, selector: string): Promise<string> {
  await page.waitForSelector(selector);
  return page.$eval(selector, (el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());
}

/** What the signed-in app shows: its URL, the role label of the user menu, and /api/v1/users/me. */
export async function signedInState(page: Page): Promise<{ url: string; roleLabel: string; me: { status: number; body: any } }> {
  await page.waitForSelector('#user-menu');
  const roleLabel = await text(page, '.user-menu-role');
  const me = await page.evaluate(async () => {
    const response = await fetch('/api/v1/users/me', { credentials: 'same-origin' });
    return { status: response.status, body: await response.json() };
  });
  return { url: page.url(), roleLabel, me };
}

export async function fetchStatus(page: Page, path: string): Promise<number> {
  return page.evaluate(async (p) => (await fetch(p, { credentials: 'same-origin', redirect: 'manual' })).status, path);
}
