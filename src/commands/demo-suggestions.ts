// Sample values the wizard offers when it runs against the built-in sandbox (`--sandbox`, `npm run demo`).
import { SAMPLE_ACCOUNTS } from '../sandbox/world.js';
import type { Suggestions } from '../wizard/wizard.js';

/** The sandbox's Okta Classic account: it shows every step, the one-time code included. */
export const DEMO_ACCOUNT_LABEL = 'us-okta-classic';

export function sampleSuggestions(label = DEMO_ACCOUNT_LABEL): Suggestions {
  const account = SAMPLE_ACCOUNTS.find((a) => a.label === label)!;
  return {
    url: account.url,
    user: account.user,
    password: account.password,
    loginMethod: account.loginMethod,
    oktaSubdomain: account.oktaSubdomain ?? undefined,
    mfaSecret: account.mfaSecret ?? undefined,
    name: `sandbox-${account.subdomain ?? account.region}`,
  };
}
