// The sign-in flow against canned pages served by request interception (no server), in a real Chromium: one
// browser per test file, a fresh browser context per run. Shared by the engine tests in test/connect/.
import { afterAll, beforeAll } from 'vitest';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { findBrowser } from '../../src/browser/find-browser.js';
import { openBrowser, type BrowserSession } from '../../src/browser/session.js';
import { runSignInFlow } from '../../src/connect/engine.js';
import { fileCodeLedger } from '../../src/connect/code-ledger.js';
import { OnboardError } from '../../src/core/errors.js';
import type { ResolvedInstance } from '../../src/cli/inputs.js';
import { removeDir, tempDir } from './cli.js';

export interface CannedAnswer {
  /** Default: 302 with a location, else 200. */
  status?: number;
  body: string;
  location?: string;
  /** Content type; default text/html. */
  type?: string;
}

/** Answers `METHOD https://host/path` (the query left out of the key); gets the whole URL and the POST body. */
export type CannedRoute = (url: URL, postData: string) => CannedAnswer;

export interface CannedTrail {
  /** Every request, in order: method and whole URL. */
  requests: string[];
  /** Every POST, in order: URL without query, a space, the body. */
  posted: string[];
}

export interface CannedRun {
  result: OnboardError | 'signed-in';
  trail: CannedTrail;
}

/** Answers an intercepted request with a canned answer. */
export function respond(request: HTTPRequest, answer: CannedAnswer): void {
  void request.respond({
    status: answer.status ?? (answer.location ? 302 : 200),
    contentType: answer.type ?? 'text/html',
    headers: answer.location ? { location: answer.location } : {},
    body: answer.body,
  });
}

/** Opens the browser before the file's tests and closes it after (call at the top of a test file). */
export function useCannedBrowser(): { run(instance: ResolvedInstance, routes: Record<string, CannedRoute>, options?: { deadlineMs?: number }): Promise<CannedRun> } {
  let session: BrowserSession | undefined;
  const ledger = tempDir('sspm-ledger-');
  beforeAll(async () => {
    const browser = findBrowser({ env: process.env });
    session = await openBrowser({ executable: browser.path, headless: browser.headless });
  });
  afterAll(async () => {
    await session?.close();
    removeDir(ledger);
  });

  async function run(instance: ResolvedInstance, routes: Record<string, CannedRoute>, options: { deadlineMs?: number } = {}): Promise<CannedRun> {
    const context = await session!.newContext();
    const page: Page = await context.newPage();
    const trail: CannedTrail = { requests: [], posted: [] };
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = new URL(request.url());
      const where = `${url.origin}${url.pathname}`;
      trail.requests.push(`${request.method()} ${url.href}`);
      if (request.method() === 'POST') trail.posted.push(`${where} ${request.postData() ?? ''}`);
      const route = routes[`${request.method()} ${where}`];
      if (!route) return respond(request, { status: 404, body: '<title>Not found</title>' });
      respond(request, route(url, request.postData() ?? ''));
    });
    try {
      await runSignInFlow({ page, instance, deadline: Date.now() + (options.deadlineMs ?? 20_000), hooks: { stepStarted: () => {} }, codes: fileCodeLedger(ledger) });
      return { result: 'signed-in', trail };
    } catch (error) {
      if (error instanceof OnboardError) return { result: error, trail };
      throw error;
    } finally {
      await context.close();
    }
  }

  return { run };
}
