// Pure: the instance being put together (from flags, the environment and the wizard) and the decisions both the
// command-line path (src/cli/inputs.ts) and the wizard (src/wizard) make about it. Neither imports the other.
import type { LoginMethod, MfaSecret, OktaOrg, Region } from './types.js';
import { parseUser } from './validate.js';

export interface Draft {
  name?: string;
  subdomain?: string | null;
  region?: Region;
  loginMethod?: LoginMethod;
  user?: string;
  /** The user as typed before the login method was known; validated once it is. */
  rawUser?: string;
  password?: string;
  okta?: OktaOrg | null;
  mfa?: MfaSecret | null;
}

/** Validates the raw user once the login method is known (credentials need an email). */
export function settleUser(draft: Draft): Draft {
  if (draft.rawUser !== undefined && draft.loginMethod !== undefined) {
    return { ...draft, user: parseUser(draft.rawUser, draft.loginMethod, '--user'), rawUser: undefined };
  }
  return draft;
}

export function defaultName(subdomain: string | null, region: Region): string {
  return subdomain ?? `pagerduty-${region}`;
}

/** `base` when no instance has that name, else the first free `base-2`, `base-3`, ... */
export function freeName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
