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
] as const;

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
    if (value !== undefined || !(FAULT_NAMES as readonly string[]).includes(lower)) {
      throw new OnboardError(
        'INVALID_INPUT',
        `Unknown sandbox fault "${item}"; valid faults: ${FAULT_NAMES.map((n) => (n === 'slow' ? 'slow=<ms>' : n === 'rate-limit' ? 'rate-limit[=<n>]' : n)).join(', ')}.`,
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
}

export function toFaultSet(faults: readonly SandboxFault[]): FaultSet {
  const set: FaultSet = {
    locked: false, http500: false, drop: false, slowMs: 0, interstitial: false, phishingRedirect: false, rejectFirstCode: false, roleHidden: false, rateLimitAt: null,
  };
  for (const fault of faults) {
    if (typeof fault === 'object' && 'slowMs' in fault) set.slowMs = Math.max(set.slowMs, fault.slowMs);
    else if (typeof fault === 'object') set.rateLimitAt = Math.min(set.rateLimitAt ?? fault.rateLimitAt, fault.rateLimitAt);
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
