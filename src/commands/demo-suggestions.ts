// Sample values the wizard offers when it runs against the built-in sandbox (`--sandbox`, `npm run demo`).
import type { LoginMethod } from '../core/types.js';
import { SAMPLE_ACCOUNTS } from '../sandbox/world.js';
import type { Suggestions } from '../wizard/wizard.js';

/** The sandbox's Okta Classic account: it shows every step, the one-time code included. */
export const DEMO_ACCOUNT_LABEL = 'us-okta-classic';

/** The sample account whose values the wizard offers for each login method (before one is chosen: the demo's). */
export const SAMPLE_FOR_METHOD: Record<LoginMethod, string> = {
  credentials: 'us-credentials-legacy',
  okta: DEMO_ACCOUNT_LABEL,
  azure: 'us-azure-code',
};

/** What the sandbox's instances are named after: `sandbox-` and the subdomain, apart from real instances. */
export const SANDBOX_NAME_PREFIX = 'sandbox-';

export function sampleSuggestions(label = DEMO_ACCOUNT_LABEL): Suggestions {
  const account = SAMPLE_ACCOUNTS.find((a) => a.label === label)!;
  return {
    url: account.url,
    user: account.user,
    password: account.password,
    loginMethod: account.loginMethod,
    oktaSubdomain: account.oktaSubdomain ?? undefined,
    mfaSecret: account.mfaSecret ?? undefined,
    namePrefix: SANDBOX_NAME_PREFIX,
  };
}

/** The sample values for the chosen login method (an Entra answer gets the Entra sample's user, password, URL
 *  and secret); before one is chosen, the demo account's, so the method question defaults to Okta. */
export function sampleSuggestionsFor(loginMethod: LoginMethod | undefined): Suggestions {
  return sampleSuggestions(loginMethod ? SAMPLE_FOR_METHOD[loginMethod] : DEMO_ACCOUNT_LABEL);
}

/** The name the demo gives its instance when it runs without prompts. */
export function demoInstanceName(): string {
  const account = SAMPLE_ACCOUNTS.find((a) => a.label === DEMO_ACCOUNT_LABEL)!;
  return `${SANDBOX_NAME_PREFIX}${account.subdomain ?? account.region}`;
}
