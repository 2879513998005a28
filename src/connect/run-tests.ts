// Runs connection tests: one browser launch, an isolated context per instance, a bounded number at once,
// results in input order. Every failure becomes a result with an error code; nothing here prints.
import type { BrowserContext, Page } from 'puppeteer-core';
import { OnboardError, asOnboardError, toJsonError } from '../core/errors.js';
import { findBrowser } from '../browser/find-browser.js';
import { openBrowser, type BrowserSession } from '../browser/session.js';
import { runSignInFlow } from './engine.js';
import { fileCodeLedger, ledgerDir, type CodeLedger } from './code-ledger.js';
import { checkOwner } from './owner-check.js';
import { ownerVerdict } from './owner-gate.js';
import { DEFAULT_PER_HOST, loginKeys, mapPolitely } from './polite-pool.js';
import { pageQuery } from './detect.js';
import { takePageSnapshot } from './page-snapshot.js';
import { redactUrl } from './origin-policy.js';
import { describeSkew } from '../core/clock-skew.js';
import type { OwnerStatus } from '../core/types.js';
import type { ProgressReporter, StepName, StepReport, TestResult, TestTarget } from './types.js';

export interface RunOptions {
  executable?: string;
  browserArgs: string[];
  /** Bound on each instance's log-in test. */
  timeoutMs: number;
  /** Checked by checkDebugRoot (commands/shared.ts) before the run. */
  debugDir?: string;
  /** Told where a failed instance's debug files went (the CLI says it on stderr, also with --json). */
  debugSaved?: (target: string, folder: string) => void;
  concurrency?: number;
  env: NodeJS.ProcessEnv;
  reporter?: ProgressReporter;
  /** Default: the cross-process ledger in the user's cache folder. */
  codes?: CodeLedger;
  /** An owner check that cannot tell the role fails the instance (NOT_OWNER) instead of passing with a warning. */
  requireOwner?: boolean;
  /** Log-ins at once per PagerDuty host and per IdP org, whatever `concurrency` is (default 2). */
  perHost?: number;
}

const OWNER_CHECK_MS = 5_000;
const CAPTURE_MS = 3_000;
const LAUNCH_MS = 30_000;

/** Steps of one instance, timed as they start and end. */
class StepClock {
  readonly steps: StepReport[] = [];
  private current: { name: StepName; start: number } | null = null;

  constructor(private readonly target: string, private readonly reporter?: ProgressReporter) {}

  start(name: StepName): void {
    this.end(true);
    this.current = { name, start: Date.now() };
    this.reporter?.stepStarted(this.target, name);
  }

  end(ok: boolean): void {
    if (!this.current) return;
    const ms = Date.now() - this.current.start;
    this.steps.push({ name: this.current.name, ok, ms });
    this.reporter?.stepEnded(this.target, this.current.name, ok, ms);
    this.current = null;
  }
}

/** Keeps redacted screenshots and a step log in memory; writes them only when the test fails. */
class DebugRecorder {
  private readonly shots: Array<{ name: string; png: Uint8Array }> = [];
  private readonly log: string[] = [];
  /** Other files to write with the rest (the redacted page snapshot). */
  private readonly files: Array<{ name: string; data: string }> = [];

  constructor(
    private readonly root: string,
    private readonly name: string,
  ) {}

  /** An unrecognized page: its redacted DOM and why no state matched (see page-snapshot.ts). */
  async snapshot(page: Page, instance: TestTarget['instance']): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), CAPTURE_MS)));
    const snapshot = await Promise.race([takePageSnapshot(page, instance).catch(() => null), late]).finally(() => clearTimeout(timer));
    if (!snapshot) return;
    this.files.push({ name: 'page-snapshot.html', data: snapshot.html }, { name: 'page-snapshot.json', data: `${JSON.stringify(snapshot.report, null, 2)}\n` });
  }

  /** Bounded: a page stuck mid-navigation must not hold the run past its timeout for a picture. */
  async capture(page: Page, label: string): Promise<void> {
    const bound = async <T>(work: Promise<T>): Promise<T | null> => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), CAPTURE_MS)));
      try {
        return await Promise.race([work.catch(() => null), late]);
      } finally {
        clearTimeout(timer);
      }
    };
    await bound(page.evaluate(pageQuery, { kind: 'blank-secrets' as const }));
    const png = await bound(page.screenshot({ type: 'png' }));
    if (png) this.shots.push({ name: `${String(this.shots.length + 1).padStart(2, '0')}-${label.replace(/[^a-z0-9.-]/gi, '_')}.png`, png });
  }

  note(line: string): void {
    this.log.push(`${new Date().toISOString()} ${line}`);
  }

  /** Returns the folder the files went to. */
  async write(finalUrl: string): Promise<string> {
    const { makeDebugFolder, writeDebugFile } = await import('./debug-files.js');
    const folder = await makeDebugFolder(this.root, this.name);
    for (const shot of this.shots) await writeDebugFile(folder, shot.name, shot.png);
    for (const file of this.files) await writeDebugFile(folder, file.name, file.data);
    await writeDebugFile(folder, 'steps.log', `${this.log.join('\n')}\n`);
    await writeDebugFile(folder, 'final-url.txt', `${finalUrl}\n`);
    return folder;
  }
}

/** The hard bound behind the flow's own checks: a browser call that never answers cannot hold the run. */
const DEADLINE_GRACE_MS = 2_000;

async function withinDeadline<T>(work: Promise<T>, deadline: number, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new OnboardError('NETWORK', `Timed out: the log-in test did not finish within ${Math.round(timeoutMs / 1000)} s.`, { fix: 'Check the network or proxy, or allow more time with --timeout <seconds>.' })),
      Math.max(0, deadline - Date.now()) + DEADLINE_GRACE_MS,
    );
  });
  work.catch(() => undefined); // settles after the context closes; its error no longer matters then
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function testOne(session: BrowserSession, target: TestTarget, options: RunOptions & { codes: CodeLedger }): Promise<TestResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const clock = new StepClock(target.name, options.reporter);
  const debug = options.debugDir ? new DebugRecorder(options.debugDir, target.name) : null;
  const { instance } = target;
  const base = { name: target.name, loginMethod: instance.loginMethod, region: instance.region };
  let context: BrowserContext | null = null;
  let page: Page | null = null;
  let ownerStatus: OwnerStatus | undefined;
  /** Set when the IdP's clock is off from this machine's by more than the threshold (IdP minus local). */
  let clockSkewMs: number | undefined;
  const skewField = () => (clockSkewMs === undefined ? {} : { clockSkewMs });
  try {
    context = await session.newContext();
    page = await context.newPage();
    if (session.proxyAuth) await page.authenticate(session.proxyAuth);
    page.setDefaultTimeout(options.timeoutMs);
    const activePage = page;
    const stats = await withinDeadline(runSignInFlow({
      page,
      instance,
      deadline,
      codes: options.codes,
      stored: target.stored,
      hooks: {
        stepStarted: (step) => {
          clock.start(step);
          debug?.note(`step ${step}`);
        },
        note: (text) => options.reporter?.note?.(target.name, text),
        clockSkew: (skewMs) => {
          clockSkewMs = skewMs;
          const text = `this machine's clock is ${describeSkew(skewMs)} the identity provider's: one-time codes are made for the provider's time`;
          debug?.note(text);
          options.reporter?.note?.(target.name, text);
        },
        stateReached: debug
          ? async (stateId, step, url) => {
              debug.note(`state ${stateId} (${step}) at ${url}`);
              await debug.capture(activePage, stateId);
            }
          : undefined,
      },
    }), deadline, options.timeoutMs);
    clock.start('owner-check');
    const owner = await checkOwner(page, Math.min(OWNER_CHECK_MS, Math.max(500, deadline - Date.now())), instance.user);
    debug?.note(`owner ${owner.status}: ${owner.detail}`);
    if (owner.sessionMissing) {
      // The page looked signed in, but PagerDuty's own API says otherwise: not a log-in we can vouch for.
      throw new OnboardError('UNRECOGNIZED_PAGE', `Reached ${redactUrl(page.url())}, but PagerDuty says nobody is signed in there (${owner.detail}).`, {
        fix: 'Sign in once in a browser to see what PagerDuty asks for, or run with --debug-dir <dir> and report it.',
      });
    }
    ownerStatus = owner.status;
    const verdict = ownerVerdict(owner, instance.user, Boolean(options.requireOwner));
    if (!verdict.ok) throw verdict.error;
    clock.end(true);
    const warning = verdict.warning;
    return { ...base, ok: true, owner: owner.status, ownerDetail: owner.detail, ...(warning ? { warning } : {}), durationMs: Date.now() - started, totpWaitMs: stats.codeWaitMs, ...skewField(), steps: clock.steps };
  } catch (error) {
    clock.end(false);
    const failure = redacted(asOnboardError(error), instance);
    if (debug && page) {
      debug.note(`failed: ${failure.code}: ${failure.message}`);
      await debug.capture(page, 'failure');
      if (failure.code === 'UNRECOGNIZED_PAGE') await debug.snapshot(page, instance);
      const folder = await debug.write(redactUrl(page.url())).catch(() => undefined);
      if (folder) options.debugSaved?.(target.name, folder);
    }
    return {
      ...base,
      ok: false,
      owner: ownerStatus ?? (failure.code === 'NOT_OWNER' ? 'not-owner' : 'unverified'),
      durationMs: Date.now() - started,
      ...skewField(),
      steps: clock.steps,
      error: toJsonError(failure),
    };
  } finally {
    await context?.close().catch(() => undefined);
  }
}

/** A page's error text is quoted in messages: make sure no secret of the instance rides along with it. */
function redacted(error: OnboardError, instance: TestTarget['instance']): OnboardError {
  const secrets = [instance.password, instance.mfa?.secret].filter((s): s is string => Boolean(s) && s!.length >= 4);
  const scrub = (text: string | undefined) => (text === undefined ? undefined : secrets.reduce((t, secret) => t.split(secret).join('[redacted]'), text));
  const message = scrub(error.message)!;
  const fix = scrub(error.fix);
  return message === error.message && fix === error.fix ? error : new OnboardError(error.code, message, { fix, cause: error.cause, retryAfterSeconds: error.retryAfterSeconds });
}

export function defaultConcurrency(cpuCount: number): number {
  // Each log-in is mostly waiting on pages; a few per core keep the browser busy without thrashing.
  return Math.max(2, Math.min(8, cpuCount * 2));
}

/** Runs `work` over items with at most `limit` at once; results keep the input order. */
export function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  return mapPolitely(items, { limit, perKey: limit }, () => [], work);
}

export async function runConnectionTests(targets: TestTarget[], options: RunOptions): Promise<TestResult[]> {
  if (targets.length === 0) return [];
  const candidate = findBrowser({ explicit: options.executable, env: options.env });
  const session = await openBrowser({
    executable: candidate.path,
    headless: candidate.headless,
    extraArgs: options.browserArgs,
    env: options.env,
    timeoutMs: Math.min(LAUNCH_MS, options.timeoutMs),
  });
  try {
    const os = await import('node:os');
    const limit = options.concurrency ?? defaultConcurrency(os.availableParallelism());
    const codes = options.codes ?? fileCodeLedger(ledgerDir(options.env));
    const limits = { limit, perKey: options.perHost ?? DEFAULT_PER_HOST };
    return await mapPolitely(targets, limits, (target) => loginKeys(target.instance), (target) => testOne(session, target, { ...options, codes }));
  } finally {
    await session.close();
  }
}
