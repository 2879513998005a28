import { OnboardError } from '../core/errors.js';
import type { SandboxFault } from './types.js';

/** One row per fault: its name, how it is written (with its value, if it takes one) and what it does. The
 *  parser, its error message and `sandbox --help` all read this table; docs/sandbox.md explains each at length. */
export const FAULTS = [
  { name: 'locked', usage: 'locked', effect: 'every sign-in is refused as locked' },
  { name: 'http500', usage: 'http500', effect: 'first GET /sign_in on a PagerDuty host: HTTP 500' },
  { name: 'drop', usage: 'drop', effect: 'GET /sign_in on PagerDuty hosts: connection closed' },
  { name: 'slow', usage: 'slow=<ms>', effect: 'each answer waits that long (slow alone: 1000 ms)' },
  { name: 'interstitial', usage: 'interstitial', effect: 'updated terms to accept after a PagerDuty sign-in' },
  { name: 'phishing-redirect', usage: 'phishing-redirect', effect: 'the SSO entry redirects to a look-alike IdP host' },
  { name: 'reject-first-code', usage: 'reject-first-code', effect: 'the run\'s first correct 2FA code is refused as used' },
  { name: 'role-hidden', usage: 'role-hidden', effect: 'the user\'s role is shown nowhere (owner unverified)' },
  { name: 'rate-limit', usage: 'rate-limit[=<n>]', effect: 'HTTP 429 when n log-ins run on a host (alone: n = 0)' },
  { name: 'skew', usage: 'skew=<+-seconds>', effect: 'sandbox clock ahead (+)/behind (-): Date, 2FA checks' },
  // Entra screens that real accounts meet (login-pages.md); each applies to every Entra sign-in of the run.
  { name: 'entra-account-picker', usage: 'entra-account-picker', effect: 'Entra: "Pick an account" after the email' },
  { name: 'entra-credential-picker', usage: 'entra-credential-picker', effect: 'Entra: "Choose a way to sign in" after the email' },
  { name: 'entra-passwordless', usage: 'entra-passwordless', effect: 'Entra: "Approve sign in request" after the email' },
  { name: 'entra-push-denied', usage: 'entra-push-denied', effect: 'Entra: a push-default user\'s push is denied' },
  { name: 'entra-push-timeout', usage: 'entra-push-timeout', effect: 'Entra: a push-default user\'s push times out' },
  { name: 'entra-nudge', usage: 'entra-nudge', effect: 'Entra: skippable "keep your account secure" nudge' },
  { name: 'entra-proof-up', usage: 'entra-proof-up', effect: 'Entra: "More information required", no skip' },
  { name: 'entra-cmsi', usage: 'entra-cmsi', effect: 'Entra: "Continue to sign in?" after "Stay signed in?"' },
  { name: 'mcas-proxy', usage: 'mcas-proxy', effect: 'Entra sign-in via a Defender for Cloud Apps proxy' },
] as const;

export const FAULT_NAMES: readonly string[] = FAULTS.map((fault) => fault.name);

/** The faults for `sandbox --help`, one aligned line each, within 80 columns. */
export function faultsHelp(): string {
  const width = Math.max(...FAULTS.map((fault) => fault.usage.length)) + 2;
  const lines = FAULTS.map((fault) => `  ${fault.usage.padEnd(width)}${fault.effect}`);
  return ['Faults (--fault a,b or SSPM_SANDBOX_FAULT=a,b; for every account of the run):', ...lines].join('\n');
}

const MAX_SKEW_SECONDS = 86_400;

const DEFAULT_SLOW_MS = 1000;

/** "slow=800,http500" -> [{ slowMs: 800 }, 'http500']. Empty or undefined -> []. */
export function parseFaults(spec: string | undefined): SandboxFault[] {
  if (spec === undefined) return [];
  const faults: SandboxFault[] = [];
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const [name = '', value] = item.split('=', 2).map((part) => part.trim());
    const lower = name.toLowerCase();
    if (lower === 'slow') {
      const ms = value === undefined || value === '' ? DEFAULT_SLOW_MS : Number(value);
      if (!Number.isInteger(ms) || ms < 0 || ms > 600_000) {
        throw new OnboardError('INVALID_INPUT', `Invalid sandbox fault "${item}": slow takes milliseconds, e.g. slow=800.`);
      }
      faults.push({ slowMs: ms });
      continue;
    }
    if (lower === 'rate-limit') {
      const at = value === undefined || value === '' ? 0 : Number(value);
      if (!Number.isInteger(at) || at < 0 || at > 100) {
        throw new OnboardError('INVALID_INPUT', `Invalid sandbox fault "${item}": rate-limit takes the number of log-ins allowed at once per PagerDuty host, e.g. rate-limit=2.`);
      }
      faults.push({ rateLimitAt: at });
      continue;
    }
    if (lower === 'skew') {
      const seconds = value === undefined || !/^[+-]?\d+$/.test(value) ? NaN : Number(value);
      if (!Number.isSafeInteger(seconds) || Math.abs(seconds) > MAX_SKEW_SECONDS) {
        throw new OnboardError('INVALID_INPUT', `Invalid sandbox fault "${item}": skew takes whole seconds the sandbox's clock is ahead (+) or behind (-), e.g. skew=+90.`);
      }
      faults.push({ skewSeconds: seconds });
      continue;
    }
    if (value !== undefined || !FAULT_NAMES.includes(lower)) {
      throw new OnboardError(
        'INVALID_INPUT',
        `Unknown sandbox fault "${item}"; valid faults: ${FAULTS.map((fault) => fault.usage).join(', ')}.`,
      );
    }
    faults.push(lower as Exclude<SandboxFault, object>);
  }
  return faults;
}

export function sandboxFaultsFromEnv(env: NodeJS.ProcessEnv): SandboxFault[] {
  return parseFaults(env.SSPM_SANDBOX_FAULT);
}

export interface FaultSet {
  locked: boolean;
  http500: boolean;
  drop: boolean;
  slowMs: number;
  interstitial: boolean;
  phishingRedirect: boolean;
  rejectFirstCode: boolean;
  /** The signed-in user's role is not readable: app endpoints answer 404, the app page shows no role. */
  roleHidden: boolean;
  /** Log-ins allowed in progress at once per PagerDuty host before it answers 429; null: no limit. */
  rateLimitAt: number | null;
  /** How far the sandbox's clock (its Date headers and its TOTP checks) is ahead of the real one. */
  skewMs: number;
  entra: EntraScreens;
  mcasProxy: boolean;
}

/** Optional Entra screens, each on or off for every Entra sign-in of the run. */
export interface EntraScreens {
  accountPicker: boolean;
  credentialPicker: boolean;
  passwordless: boolean;
  pushDenied: boolean;
  pushTimeout: boolean;
  nudge: boolean;
  proofUp: boolean;
  cmsi: boolean;
}

const ENTRA_SCREEN_FAULTS: Record<string, keyof EntraScreens> = {
  'entra-account-picker': 'accountPicker',
  'entra-credential-picker': 'credentialPicker',
  'entra-passwordless': 'passwordless',
  'entra-push-denied': 'pushDenied',
  'entra-push-timeout': 'pushTimeout',
  'entra-nudge': 'nudge',
  'entra-proof-up': 'proofUp',
  'entra-cmsi': 'cmsi',
};

export function toFaultSet(faults: readonly SandboxFault[]): FaultSet {
  const set: FaultSet = {
    locked: false, http500: false, drop: false, slowMs: 0, interstitial: false, phishingRedirect: false, rejectFirstCode: false, roleHidden: false, rateLimitAt: null,
    skewMs: 0, mcasProxy: false,
    entra: { accountPicker: false, credentialPicker: false, passwordless: false, pushDenied: false, pushTimeout: false, nudge: false, proofUp: false, cmsi: false },
  };
  for (const fault of faults) {
    if (typeof fault === 'object') {
      if ('slowMs' in fault) set.slowMs = Math.max(set.slowMs, fault.slowMs);
      else if ('skewSeconds' in fault) set.skewMs = fault.skewSeconds * 1000;
      else set.rateLimitAt = Math.min(set.rateLimitAt ?? fault.rateLimitAt, fault.rateLimitAt);
    } else if (fault in ENTRA_SCREEN_FAULTS) set.entra[ENTRA_SCREEN_FAULTS[fault]!] = true;
    else if (fault === 'mcas-proxy') set.mcasProxy = true;
    else if (fault === 'locked') set.locked = true;
    else if (fault === 'http500') set.http500 = true;
    else if (fault === 'drop') set.drop = true;
    else if (fault === 'interstitial') set.interstitial = true;
    else if (fault === 'phishing-redirect') set.phishingRedirect = true;
    else if (fault === 'reject-first-code') set.rejectFirstCode = true;
    else if (fault === 'role-hidden') set.roleHidden = true;
  }
  return set;
}
