import { OnboardError } from '../core/errors.js';
import type { SandboxFault } from './types.js';

export const FAULT_NAMES = [
  'locked',
  'http500',
  'drop',
  'slow',
  'interstitial',
  'phishing-redirect',
  'reject-first-code',
  'role-hidden',
  'rate-limit',
  'skew',
  // Entra screens that real accounts meet (login-pages.md); each applies to every Entra sign-in of the run.
  'entra-account-picker',
  'entra-credential-picker',
  'entra-passwordless',
  'entra-push-denied',
  'entra-push-timeout',
  'entra-nudge',
  'entra-proof-up',
  'entra-cmsi',
  'mcas-proxy',
] as const;

/** Faults that take a value, as they are written in the list of valid faults. */
const VALUE_HINT: Record<string, string> = { slow: 'slow=<ms>', skew: 'skew=<+-seconds>', 'rate-limit': 'rate-limit[=<n>]' };
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
    if (value !== undefined || !(FAULT_NAMES as readonly string[]).includes(lower)) {
      throw new OnboardError(
        'INVALID_INPUT',
        `Unknown sandbox fault "${item}"; valid faults: ${FAULT_NAMES.map((n) => VALUE_HINT[n] ?? n).join(', ')}.`,
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
