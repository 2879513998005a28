// Runs a sign-in flow: recognise the page state from the tables, act, repeat until PagerDuty's app is reached.
// One engine for every provider; the providers differ only in their tables (flow-tables.ts).
import { randomUUID } from 'node:crypto';
import type { ElementHandle, HTTPRequest, HTTPResponse, Page } from 'puppeteer-core';
import { OnboardError } from '../core/errors.js';
import { pagerDutyHost } from '../core/pagerduty-url.js';
import { generateCode, planNextCode } from '../core/totp.js';
import { clockSkewFrom, describeSkew, skewReading } from '../core/clock-skew.js';
import type { ResolvedInstance } from '../cli/inputs.js';
import { refusalMeaning, statesFor, type Action, type Failure, type PageState, type Sel } from './flow-tables.js';
import { pageQuery, type Detection, type DetectSpec } from './detect.js';
import { PAGERDUTY_IDENTITY_HOST, expectedHosts, knownDetour, mayType, otherOktaDomain, otherRegionHost, redactUrl, roleOfHost, type TypedValue } from './origin-policy.js';
import type { StepName } from './types.js';
import type { CodeLedger } from './code-ledger.js';
import { looksRateLimited, rateLimitedError, retryAfterSeconds } from './rate-limit.js';
import { changeFix, lockedFix, loginRejectedFix, type FixTarget, type LockedService } from '../core/fixes.js';
import { judgeStillThere } from './untaken-click.js';

/** Seconds a code must still be valid when typed, so it does not expire in transit. */
const MIN_CODE_SECONDS_LEFT = 2;
const POLL_MS = 40;
/** An unknown page that has finished loading gets this long to turn into a known one. */
const UNKNOWN_SETTLED_MS = 3_000;
/** How long an element an action needs may take to appear (menus, re-rendered widgets). */
const ELEMENT_WAIT_MS = 5_000;
const MAX_CODE_TRIES = 2;
/** Bound on looking up the account in the other service region. */
const PROBE_MS = 5_000;

export interface FlowHooks {
  /** A new step began; the previous one (if any) ended ok. */
  stepStarted(step: StepName): void;
  /** Something worth telling a person about the current step (a long wait). */
  note?(text: string): void;
  /** The IdP's clock is off from this machine's by more than the threshold (IdP minus local, in ms); called
   *  when the estimate first passes it and whenever it changes after that. */
  clockSkew?(skewMs: number): void;
  /** A recognised state, before acting on it (debug screenshots, step log). */
  stateReached?(stateId: string, step: StepName, url: string): Promise<void>;
}

export interface FlowContext {
  page: Page;
  instance: ResolvedInstance;
  deadline: number;
  hooks: FlowHooks;
  /** The one-time-code windows already used (see code-ledger.ts). */
  codes: CodeLedger;
  /** The instance is in the config (`test <name>`, `update`): fixes name `update <name>`; otherwise (`add`, `test`
   *  with flags) nothing is stored and fixes name the flag to run again with. */
  stored?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The element an action looked for never appeared, and the state it was looked for in is gone too (a menu that
 *  closed, a page that moved on): not a verdict on what the page offers; the page is judged afresh. */
class StateLeft extends Error {}

function timeoutError(what: string, ctx: FlowContext): OnboardError {
  return new OnboardError('NETWORK', `Timed out ${what} (${redactUrl(ctx.page.url())}).`, {
    fix: 'Check the network or proxy (HTTPS_PROXY), or allow more time with --timeout <seconds>.',
  });
}

function remaining(ctx: FlowContext): number {
  return ctx.deadline - Date.now();
}

function toSpec(state: PageState): DetectSpec {
  return { id: state.id, visible: state.visible, present: state.present, hidden: state.hidden, path: state.path, errors: state.errors, probes: state.probes };
}

function networkErrorFrom(error: unknown, url: string): OnboardError {
  const message = error instanceof Error ? error.message : String(error);
  const net = /net::(ERR_[A-Z_]+)/.exec(message)?.[1];
  if (net) return new OnboardError('NETWORK', `Could not load ${redactUrl(url)}: ${net}.`, { fix: 'Check the network, DNS and proxy (HTTPS_PROXY), then run again.' });
  if (/timeout/i.test(message)) return new OnboardError('NETWORK', `Timed out loading ${redactUrl(url)}.`, { fix: 'Check the network or allow more time with --timeout <seconds>.' });
  return new OnboardError('NETWORK', `Could not load ${redactUrl(url)}.`, { cause: error });
}

interface Acted {
  state: PageState;
  marker: string;
  /** The optional elements seen when we acted: a re-rendered page that shows others has moved on. */
  probes: string;
  /** Error-like alert text already on the page when we acted (so only a new one counts). */
  alert: string;
  /** The element of the last click, for messages ("button#submit \"Next\""). */
  clicked: string;
}

/** After the submission's response, the page gets this long to show its verdict. */
const ANSWER_SETTLE_MS = 150;
/** A submission that sent no request at all (checked in the page) is judged after this long. */
const NO_REQUEST_ANSWER_MS = 1_500;
/** A hand-back page that has not submitted itself by then gets submitted by us. */
const NUDGE_AFTER_MS = 2_000;
/** An action after which nothing happens for this long (no navigation, no request in flight, no error, the same
 *  form) ends the run as an unrecognized page: a click that landed on something in the way, not a slow network. */
const NO_CHANGE_MS = 5_000;
/** Where a person's sign-in starts: the account's sign-in page, sent back to the incidents afterwards. */
export const SIGN_IN_PATH = '/sign_in?user_return_to=/incidents';

class FlowRun {
  private readonly states: PageState[];
  private readonly specs: DetectSpec[];
  private readonly byId: Map<string, PageState>;
  private lastDocumentStatus = 0;
  private lastDocumentRetryAfter: string | null = null;
  private lastKnown: PageState | null = null;
  private step: StepName | null = null;

  constructor(private readonly ctx: FlowContext) {
    this.states = statesFor(ctx.instance.loginMethod);
    this.specs = this.states.map(toSpec);
    this.byId = new Map(this.states.map((s) => [s.id, s]));
    ctx.page.on('response', (response: HTTPResponse) => {
      if (response.request().isNavigationRequest() && response.frame() === ctx.page.mainFrame()) {
        this.lastDocumentStatus = response.status();
        this.lastDocumentRetryAfter = response.headers()['retry-after'] ?? null;
      }
      this.readClock(response);
    });
    ctx.page.on('request', (request: HTTPRequest) => {
      this.sinceAct.add(request);
      this.requestsSinceAct += 1;
    });
    const finished = (request: HTTPRequest) => {
      if (!this.sinceAct.has(request)) return;
      this.finishedSinceAct += 1;
      this.lastFinishedAt = Date.now();
    };
    ctx.page.on('requestfinished', finished);
    ctx.page.on('requestfailed', finished);
  }

  // What the page did since we last acted: an error already on screen is only an answer once the
  // submission had its response (a JS widget keeps the previous error visible until then).
  private actedAt = 0;
  private sinceAct = new WeakSet<HTTPRequest>();
  private requestsSinceAct = 0;
  private finishedSinceAct = 0;
  private lastFinishedAt = 0;

  private answered(): boolean {
    const now = Date.now();
    if (this.finishedSinceAct > 0) return now - this.lastFinishedAt >= ANSWER_SETTLE_MS;
    return this.requestsSinceAct === 0 && now - this.actedAt >= NO_REQUEST_ANSWER_MS;
  }

  // The IdP's clock, from the Date headers of the pages and calls it answers (see core/clock-skew.ts).
  private readonly clockReadings: number[] = [];
  private skewMs = 0;

  private readClock(response: HTTPResponse): void {
    const receivedAt = Date.now();
    // A cached answer carries the time it was first sent; only fresh documents and calls tell the IdP's time now.
    if (response.fromCache() || response.fromServiceWorker() || !['document', 'xhr', 'fetch'].includes(response.request().resourceType())) return;
    let host: string;
    try {
      host = new URL(response.url()).hostname;
    } catch {
      return;
    }
    const role = roleOfHost(host, this.ctx.instance);
    if (role !== 'okta' && role !== 'entra') return;
    const reading = skewReading(response.headers().date, receivedAt);
    if (reading === null) return;
    this.clockReadings.push(reading);
    const skew = clockSkewFrom(this.clockReadings);
    if (skew !== this.skewMs) {
      this.skewMs = skew;
      if (skew !== 0) this.ctx.hooks.clockSkew?.(skew);
    }
  }

  /** The IdP's clock skew when it is over the threshold, else 0. */
  get clockSkewMs(): number {
    return this.skewMs;
  }

  private enterStep(step: StepName): void {
    if (step === this.step) return;
    this.step = step;
    this.ctx.hooks.stepStarted(step);
  }

  async run(): Promise<void> {
    const { page, instance } = this.ctx;
    const startUrl = `https://${pagerDutyHost(instance.subdomain, instance.region)}${SIGN_IN_PATH}`;
    this.enterStep('open-sign-in');
    let response: HTTPResponse | null;
    try {
      response = await page.goto(startUrl, { waitUntil: 'domcontentloaded', timeout: Math.max(1, remaining(this.ctx)) });
    } catch (error) {
      const failure = networkErrorFrom(error, startUrl);
      // No such host: perhaps the account lives in the other service region.
      if (/ERR_NAME_NOT_RESOLVED/.test(failure.message)) throw await this.accountNotFound(startUrl, failure);
      throw failure;
    }
    if (response && response.status() === 404) throw await this.accountNotFound(startUrl);
    if (response && response.status() === 429) {
      throw this.rateLimited(new URL(startUrl).hostname, response.headers()['retry-after'] ?? null, await page.evaluate(() => document.body?.innerText ?? '').catch(() => ''));
    }
    if (response && response.status() >= 500) {
      throw new OnboardError('NETWORK', `PagerDuty answered HTTP ${response.status()} at ${redactUrl(startUrl)}.`, { fix: 'PagerDuty may be having trouble; try again later.' });
    }

    let acted: Acted | null = null;
    let codeTries = 0;
    for (;;) {
      const { state, detection, rejected, again } = await this.next(acted);
      if (again) {
        // A click that did not take (nothing sent, nothing changed): act again (judgeStillThere bounds the tries).
        acted = await this.act(state, detection);
        continue;
      }
      if (rejected) {
        const stateRejected = acted!.state;
        if (stateRejected.rejects === 'mfa' && codeTries < MAX_CODE_TRIES) {
          // A rejected code is retried once, with a code from a later window (never the same code twice).
          acted = await this.act(stateRejected, detection);
          codeTries += 1;
          continue;
        }
        throw this.rejection(stateRejected, detection.errors[stateRejected.id] ?? (detection.alert || undefined));
      }
      this.enterStep(typeof state.step === 'function' ? state.step(this.ctx.instance.loginMethod) : state.step);
      this.lastKnown = state;
      if (state.kind === 'success') return;
      if (state.kind === 'failure') {
        const shown = detection.errors[state.id] ?? (detection.alert || undefined);
        throw this.refusal(state.role, shown) ?? this.failed(state.failure!, shown ? ` The page said: "${shown}"` : '');
      }
      await this.ctx.hooks.stateReached?.(state.id, this.step!, redactUrl(detection.href));
      if (state.retryUntaken && this.actsOn(state) >= state.retryUntaken.tries) throw this.keptReturning(state, detection);
      if (state.rejects === 'mfa' && acted?.state.rejects !== 'mfa') codeTries = 0;
      acted = await this.act(state, detection);
      if (state.rejects === 'mfa') codeTries += 1;
    }
  }

  /** HTTP 429, or a page whose error says too many attempts: its own outcome, with the wait asked for. */
  private rateLimited(host: string, retryAfterHeader: string | null, pageText: string): OnboardError {
    const text = pageText.replace(/\s+/g, ' ').trim().slice(0, 300);
    const role = roleOfHost(host, this.ctx.instance);
    const service = role === 'okta' ? 'Okta' : role === 'entra' ? 'Microsoft Entra ID' : 'PagerDuty';
    return rateLimitedError(service, host, retryAfterSeconds({ header: retryAfterHeader, text, nowMs: Date.now() }), looksRateLimited(text) ? text : undefined);
  }

  private rejection(state: PageState, pageText: string | undefined): OnboardError {
    const meant = this.refusal(state.role, pageText);
    if (meant) return meant;
    if (pageText && looksRateLimited(pageText)) return this.rateLimited(new URL(this.ctx.page.url()).hostname, null, pageText);
    const shown = pageText ? ` The page said: "${pageText}"` : '';
    if (state.rejects === 'mfa') {
      const skew = this.skewMs !== 0 ? ` This machine's clock is ${describeSkew(this.skewMs)} ${this.hostLabel(state)}'s (the codes were made for ${this.hostLabel(state)}'s time).` : '';
      return new OnboardError('MFA_REJECTED', `The one-time code was rejected twice at ${this.hostLabel(state)}.${shown}${skew}`, {
        fix: `Check the 2FA secret of ${this.ctx.instance.name} (it must be the one enrolled for ${this.ctx.instance.user}), and that this machine's clock is right.`,
      });
    }
    return new OnboardError('LOGIN_REJECTED', `Sign-in was rejected at ${this.hostLabel(state)} for ${this.ctx.instance.user}.${shown}`, {
      fix: loginRejectedFix(this.fixTarget),
    });
  }

  private get fixTarget(): FixTarget {
    return { name: this.ctx.instance.name, stored: Boolean(this.ctx.stored) };
  }

  /** A refusal whose words the tables know (a locked account), else undefined. */
  private refusal(role: PageState['role'], pageText: string | undefined): OnboardError | undefined {
    const meaning = refusalMeaning(pageText);
    if (!meaning) return undefined;
    const service: LockedService = role === 'pagerduty' ? 'PagerDuty' : role === 'okta' ? 'Okta' : 'Microsoft Entra ID';
    const text = pageText!.replace(/\s+/g, ' ').trim().slice(0, 300);
    return new OnboardError('LOGIN_REJECTED', `${service} says the account of ${this.ctx.instance.user} is locked. The page said: "${text}"`, {
      fix: lockedFix(service, retryAfterSeconds({ text, nowMs: Date.now() })),
      reason: meaning.id,
    });
  }

  /** The account's host answered "not found" (HTTP 404) or does not resolve: look once, bounded, whether the other
   *  service region has it (nothing is typed there), and name the flag that fixes it. */
  private async accountNotFound(startUrl: string, networkFailure?: OnboardError): Promise<OnboardError> {
    const { instance } = this.ctx;
    const host = new URL(startUrl).hostname;
    const other = otherRegionHost(instance);
    const why = networkFailure ? 'does not resolve' : 'answered HTTP 404';
    if (other) {
      const found = await this.answers(`https://${other.host}${SIGN_IN_PATH}`);
      if (found) {
        return new OnboardError('INVALID_INPUT', `There is no PagerDuty account at ${host} (it ${why}), but there is one at ${other.host} (the ${other.region.toUpperCase()} service region).`, {
          // --url alone: it also replaces a --url given for the wrong region, where --region would contradict it.
          fix: `Use the ${other.region.toUpperCase()} region: ${changeFix(this.fixTarget, `--url https://${other.host}`)} (or --subdomain ${instance.subdomain} --region ${other.region}).`,
        });
      }
    }
    if (networkFailure) return networkFailure;
    return new OnboardError('INVALID_INPUT', `There is no PagerDuty account at ${host} (it answered HTTP 404)${other ? `, nor at ${other.host}` : ''}.`, {
      fix: `Check the subdomain: ${changeFix(this.fixTarget, '--url <any PagerDuty URL of the account>')}.`,
    });
  }

  /** Whether a URL loads without an HTTP error, within a few seconds and the run's deadline. */
  private async answers(url: string): Promise<boolean> {
    const timeout = Math.min(PROBE_MS, remaining(this.ctx));
    if (timeout <= 0) return false;
    try {
      const response = await this.ctx.page.goto(url, { waitUntil: 'domcontentloaded', timeout });
      return response !== null && response.status() < 400;
    } catch {
      return false;
    }
  }

  private hostLabel(state: PageState): string {
    return state.role === 'pagerduty' ? 'PagerDuty' : state.role === 'okta' ? 'Okta' : 'Microsoft Entra ID';
  }

  private async detect(): Promise<Detection | null> {
    try {
      return (await this.ctx.page.evaluate(pageQuery, { kind: 'detect' as const, specs: this.specs, marker: this.markerValue })) as Detection;
    } catch {
      return null; // navigation in progress: the execution context went away
    }
  }

  private markerValue = '';
  private lastClicked = '';
  codeWaitMs = 0;

  /** Actions taken per state id in this run (bounds the retries of untaken clicks). */
  private readonly acts = new Map<string, number>();

  private actsOn(state: PageState): number {
    return this.acts.get(state.id) ?? 0;
  }

  /** Polls until a new known state appears, or the state we acted on rejected what we sent, or (again) a
   *  click did not take and should be repeated. */
  private async next(acted: Acted | null): Promise<{ state: PageState; detection: Detection; rejected: boolean; again?: boolean }> {
    let unknownSince = 0;
    let transient = null as { id: string; since: number; nudged: boolean } | null;
    for (;;) {
      if (remaining(this.ctx) <= 0) throw timeoutError(acted ? `waiting for an answer after "${acted.state.id}"` : 'opening the sign-in page', this.ctx);
      const detection = await this.detect();
      if (!detection) {
        await sleep(POLL_MS);
        continue;
      }
      const url = new URL(detection.href);
      if (url.protocol === 'chrome-error:') {
        throw new OnboardError('NETWORK', `The connection failed after ${this.lastKnown ? `"${this.lastKnown.id}"` : 'opening the sign-in page'}.`, {
          fix: 'Check the network and proxy (HTTPS_PROXY), then run again.',
        });
      }
      const role = url.protocol === 'https:' ? roleOfHost(url.hostname, this.ctx.instance) : null;
      if (role !== null && this.lastDocumentStatus === 429 && detection.readyState !== 'loading') {
        throw this.rateLimited(url.hostname, this.lastDocumentRetryAfter, detection.alert);
      }
      if (role === null && url.protocol !== 'about:') {
        const detour = knownDetour(url.hostname);
        if (detour) throw new OnboardError('UNRECOGNIZED_PAGE', `Stopped before typing anything on ${url.host}: ${detour.cause}.`, { fix: detour.fix });
        const okta = otherOktaDomain(url.hostname, this.ctx.instance);
        if (okta) {
          // The same org name on another Okta domain: most likely the value meant, not an attack.
          throw new OnboardError('INVALID_INPUT', `Stopped before typing anything on ${url.host}: PagerDuty sends this account's single sign-on to the Okta org ${okta.org}, not to ${okta.given} as given.`, {
            fix: `If ${okta.org} is your Okta org: ${changeFix(this.fixTarget, `--okta-subdomain ${okta.org}`)}.`,
          });
        }
        throw new OnboardError('UNRECOGNIZED_PAGE', `Stopped before typing anything on ${url.host}: the sign-in went to a host that is not allowed (expected ${expectedHosts(this.ctx.instance).join(' or ')}).`, {
          fix: 'If your sign-in really passes through that host, check --okta-subdomain and --login-method; otherwise treat it as a phishing attempt.',
        });
      }
      const onIdentityHost = url.hostname === PAGERDUTY_IDENTITY_HOST;
      const state = detection.matches.map((id) => this.byId.get(id)!).find((s) => s.role === role && !(s.accountHostOnly && onIdentityHost));
      if (state && acted && state.id === acted.state.id) {
        if (detection.sameDocument && !this.answered()) {
          // No answer to our submission yet: an error on screen may be the previous one.
        } else if (detection.errors[state.id]) return { state, detection, rejected: true };
        else if (detection.alert && detection.alert !== acted.alert) return { state, detection: { ...detection, errors: { [state.id]: detection.alert } }, rejected: true };
        if (!detection.sameDocument) {
          // The same form in a new document: rejected, unless it now offers something else (e.g. an SSO button).
          const moved = JSON.stringify(detection.probes[state.id] ?? {}) !== acted.probes;
          return { state, detection, rejected: !moved };
        }
        // Same document, nothing to judge: keep waiting (bounded by the deadline), click again where a re-render may
        // have swallowed the click (a menu that did not open), or stop when nothing at all happens.
        const verdict = judgeStillThere({ retry: state.retryUntaken, tries: this.actsOn(state), sent: this.requestsSinceAct > 0, unchangedMs: this.unchangedForMs(), noChangeMs: NO_CHANGE_MS });
        if (verdict === 'act-again') return { state, detection, rejected: false, again: true };
        if (verdict === 'nothing-happened') throw this.nothingHappened(acted, detection);
      } else if (state && state.kind === 'transient') {
        // Hand-back pages submit themselves; one that does not is submitted for it, once.
        if (transient?.id !== state.id) transient = { id: state.id, since: Date.now(), nudged: false };
        if (state.nudge && !transient.nudged && Date.now() - transient.since > NUDGE_AFTER_MS) {
          transient.nudged = true;
          await this.perform(state.nudge);
        }
      } else if (state && detection.readyState !== 'loading') {
        return { state, detection, rejected: false };
      } else if (!state && detection.readyState === 'complete') {
        if (this.lastDocumentStatus >= 500) {
          throw new OnboardError('NETWORK', `${url.host} answered HTTP ${this.lastDocumentStatus} at ${redactUrl(detection.href)}.`, { fix: 'The service may be having trouble; try again later.' });
        }
        if (role !== null) {
          const meant = this.refusal(role, detection.alert);
          if (meant) throw meant;
        }
        if (role !== null && looksRateLimited(detection.alert)) throw this.rateLimited(url.hostname, null, detection.alert);
        unknownSince ||= Date.now();
        if (Date.now() - unknownSince > UNKNOWN_SETTLED_MS) {
          throw new OnboardError('UNRECOGNIZED_PAGE', `Unrecognized page at ${redactUrl(detection.href)} after ${this.lastKnown ? `"${this.lastKnown.id}"` : 'opening the sign-in page'}.`, {
            fix: 'The sign-in page may have changed, or an interstitial needs a person: sign in once in a browser, or run with --debug-dir <dir> and report it.',
          });
        }
      } else {
        unknownSince = 0;
      }
      await sleep(POLL_MS);
    }
  }

  private async act(state: PageState, detection: Detection): Promise<Acted> {
    const actions = state.act?.(this.ctx.instance.loginMethod, detection.probes[state.id] ?? {}) ?? [];
    if (actions.length === 0) {
      throw new OnboardError('LOGIN_REJECTED', `PagerDuty offered no single sign-on entry for ${this.ctx.instance.user}.`, {
        fix: `Check the login method of ${this.ctx.instance.name} (--login-method) and that SSO is enabled for the account.`,
      });
    }
    this.markerValue = randomUUID();
    await this.ctx.page.evaluate(pageQuery, { kind: 'mark' as const, marker: this.markerValue }).catch(() => undefined);
    this.lastClicked = '';
    this.acts.set(state.id, this.actsOn(state) + 1);
    for (const action of actions) {
      if (action.type === 'click') this.resetAnswer();
      try {
        await this.perform(action, state);
      } catch (error) {
        if (error instanceof StateLeft) break;
        throw error;
      }
    }
    return { state, marker: this.markerValue, probes: JSON.stringify(detection.probes[state.id] ?? {}), alert: detection.alert, clicked: this.lastClicked };
  }

  /** How long the page has been still since we acted: no request in flight, none finished since. */
  private unchangedForMs(): number {
    if (this.requestsSinceAct > this.finishedSinceAct) return 0;
    return Date.now() - Math.max(this.actedAt, this.finishedSinceAct > 0 ? this.lastFinishedAt : 0);
  }

  private nothingHappened(acted: Acted, detection: Detection): OnboardError {
    const tries = this.actsOn(acted.state);
    const what = `${acted.clicked ? `clicking ${acted.clicked}` : 'acting'}${tries > 1 ? ` (${tries} times)` : ''}`;
    return new OnboardError(
      'UNRECOGNIZED_PAGE',
      `Nothing happened after ${what} on "${acted.state.id}" at ${redactUrl(detection.href)}: no navigation, no request, no error, the same form still there.`,
      { fix: 'Something on the page may be in the way (a dialog, a banner) or the page changed: run with --debug-dir <dir> and report it.' },
    );
  }

  /** A state with retries we keep coming back to (a menu that opens and closes again by itself). */
  private keptReturning(state: PageState, detection: Detection): OnboardError {
    return new OnboardError(
      'UNRECOGNIZED_PAGE',
      `The page kept returning to "${state.id}" at ${redactUrl(detection.href)} after ${this.actsOn(state)} tries.`,
      { fix: 'The sign-in page may have changed or be re-rendering itself: run with --debug-dir <dir> and report it.' },
    );
  }

  private resetAnswer(): void {
    this.actedAt = Date.now();
    this.sinceAct = new WeakSet();
    this.requestsSinceAct = 0;
    this.finishedSinceAct = 0;
  }

  /** A refusal the tables name. */
  private failed(failure: Failure, detail = ''): OnboardError {
    return new OnboardError(failure.code, `${failure.message}${detail}`, { fix: failure.fix });
  }

  /** Waits (bounded) for a visible element. With ifMissing, its absence is a verdict only while `lookedIn`, the state
   *  it belongs to, is still on screen; when that state is gone too, StateLeft sends the flow back to judge the page. */
  private async locate(sel: Sel, ifMissing?: Failure, lookedIn?: PageState): Promise<ElementHandle<Element>> {
    const until = Math.min(this.ctx.deadline, Date.now() + ELEMENT_WAIT_MS);
    for (;;) {
      const handle = await this.ctx.page.evaluateHandle(pageQuery, { kind: 'locate' as const, sel }).catch(() => null);
      const element = handle?.asElement() as ElementHandle<Element> | null | undefined;
      if (element) return element;
      await handle?.dispose();
      if (Date.now() >= until) {
        if (ifMissing && lookedIn && !(await this.stillShown(lookedIn))) throw new StateLeft();
        if (ifMissing) throw this.failed(ifMissing);
        throw new OnboardError('UNRECOGNIZED_PAGE', `Expected element ${sel.css} did not appear at ${redactUrl(this.ctx.page.url())}.`, {
          fix: 'The sign-in page may have changed; run with --debug-dir <dir> and report it.',
        });
      }
      await sleep(POLL_MS);
    }
  }

  private async stillShown(state: PageState): Promise<boolean> {
    for (let i = 0; i < 3; i++) {
      const detection = await this.detect();
      if (detection) return detection.matches.includes(state.id);
      await sleep(POLL_MS); // a navigation in progress: look again
    }
    return false;
  }

  /** The origin check: a value is typed only on a host allowed for it, checked right before typing. */
  private guard(value: TypedValue): void {
    const host = new URL(this.ctx.page.url()).hostname;
    if (!mayType(value, host, this.ctx.instance)) {
      const detour = knownDetour(host);
      if (detour) throw new OnboardError('UNRECOGNIZED_PAGE', `Stopped before typing the ${value} on ${host}: ${detour.cause}.`, { fix: detour.fix });
      throw new OnboardError('UNRECOGNIZED_PAGE', `Stopped before typing the ${value} on ${host}: that host is not allowed for it.`, {
        fix: `Expected ${expectedHosts(this.ctx.instance).join(' or ')}; check --login-method and --okta-subdomain.`,
      });
    }
  }

  private valueFor(value: 'user' | 'password' | 'subdomain'): string {
    const { instance } = this.ctx;
    if (value === 'user') return instance.user;
    if (value === 'password') return instance.password;
    if (instance.subdomain === null) {
      throw new OnboardError('INVALID_INPUT', 'PagerDuty asks for the account\'s subdomain, and this instance has none.', {
        fix: `Give it: ${changeFix(this.fixTarget, '--subdomain <subdomain>')} (acme in acme.pagerduty.com).`,
      });
    }
    return instance.subdomain;
  }

  private async typeInto(sel: Sel, text: string): Promise<void> {
    const element = await this.locate(sel);
    try {
      // Select what is there so typing replaces it, as a person would.
      await element.evaluate((el) => {
        (el as HTMLInputElement).focus();
        (el as HTMLInputElement).select?.();
      });
      await element.type(text);
    } finally {
      await element.dispose();
    }
  }

  private async perform(action: Action, state?: PageState): Promise<void> {
    if (action.type === 'fill') {
      this.guard(action.value);
      await this.typeInto(action.target, this.valueFor(action.value));
    } else if (action.type === 'fill-code') {
      this.guard('code');
      await this.typeInto(action.target, await this.nextCode());
    } else if (action.type === 'choose-account') {
      await this.chooseAccount(action.target);
    } else if (action.type === 'submit-handback') {
      await this.submitHandback(action.target);
    } else {
      const element = await this.locate(action.target, action.ifMissing, state);
      this.lastClicked = await element.evaluate(describeElement).catch(() => action.target.css);
      // A click that starts a navigation may detach the element before puppeteer hears back: that is fine.
      await element.click().catch(() => undefined);
      await element.dispose().catch(() => undefined);
    }
  }

  /** An email on several accounts: follow the link to this instance's own host, and no other. */
  private async chooseAccount(sel: Sel): Promise<void> {
    const { page, instance } = this.ctx;
    const links = await page.$$(sel.css);
    const own = pagerDutyHost(instance.subdomain, instance.region);
    const hosts: string[] = [];
    try {
      for (const link of links) {
        const href = await link.evaluate((a) => (a as HTMLAnchorElement).href ?? '');
        const host = href ? new URL(href).hostname : '';
        hosts.push(host);
        if (instance.subdomain !== null && host === own) {
          await link.click();
          return;
        }
      }
    } finally {
      await Promise.all(links.map((l) => l.dispose().catch(() => undefined)));
    }
    throw new OnboardError('INVALID_INPUT', `${instance.user} belongs to several PagerDuty accounts (${hosts.filter(Boolean).join(', ')}), and none is ${instance.subdomain === null ? 'chosen' : own}.`, {
      fix: `Say which one: ${changeFix(this.fixTarget, '--url https://<subdomain>.pagerduty.com')}`,
    });
  }

  /** Submits an IdP's SAML hand-back form, only when it posts to the instance's PagerDuty host. */
  private async submitHandback(sel: Sel): Promise<void> {
    const input = await this.ctx.page.$(sel.css);
    if (!input) return;
    try {
      const action = await input.evaluate((el) => (el as HTMLInputElement).form?.action ?? '');
      const host = action ? new URL(action).hostname : '';
      if (roleOfHost(host, this.ctx.instance) !== 'pagerduty') {
        throw new OnboardError('UNRECOGNIZED_PAGE', `Stopped: the identity provider wanted to hand the sign-in to ${host || 'an unknown address'}, not to PagerDuty.`, {
          fix: `Expected ${expectedHosts(this.ctx.instance)[0]}; check the SSO configuration and --url.`,
        });
      }
      await input.evaluate((el) => (el as HTMLInputElement).form?.submit());
    } finally {
      await input.dispose().catch(() => undefined);
    }
  }

  private async nextCode(): Promise<string> {
    const mfa = this.ctx.instance.mfa;
    if (!mfa) {
      throw new OnboardError('MFA_REJECTED', 'The identity provider asks for a one-time code, and this instance has no 2FA secret.', {
        fix: `Add one: ${changeFix(this.fixTarget, '--mfa-secret-stdin')}`,
      });
    }
    // Codes are for the IdP's time: a machine whose clock is off would otherwise type codes it will refuse.
    const plan = planNextCode({ mfa, nowSeconds: (Date.now() + this.skewMs) / 1000, minSecondsLeft: MIN_CODE_SECONDS_LEFT, usedCounters: this.ctx.codes.used(mfa.secret) });
    if (plan.waitMs >= remaining(this.ctx)) throw timeoutError('waiting for the next one-time code window', this.ctx);
    if (plan.waitMs > 1_000) this.ctx.hooks.note?.(`waiting ${Math.ceil(plan.waitMs / 1000)} s for a fresh one-time code (a code is never used twice)`);
    if (plan.waitMs > 0) await sleep(plan.waitMs);
    this.ctx.codes.record(mfa.secret, plan.counter);
    this.codeWaitMs += plan.waitMs;
    return generateCode(mfa, plan.counter * mfa.period);
  }
}

/** In the page: a button or link as a person would name it, `button#submit "Next"` (no input values). */
function describeElement(el: Element): string {
  const id = el.id ? `#${el.id}` : '';
  const text = ((el as HTMLElement).innerText || el.getAttribute('value') || el.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim().slice(0, 40);
  const value = el instanceof HTMLInputElement && el.type !== 'submit' && el.type !== 'button' ? '' : text;
  return `${el.tagName.toLowerCase()}${id}${value ? ` "${value}"` : ''}`;
}

export interface FlowStats {
  /** Time spent waiting for a fresh one-time-code window. */
  codeWaitMs: number;
}

export async function runSignInFlow(ctx: FlowContext): Promise<FlowStats> {
  const run = new FlowRun(ctx);
  await run.run();
  return { codeWaitMs: run.codeWaitMs };
}
