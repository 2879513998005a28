// Pure: turns flags, environment twins and already-read secrets into a validated draft of an instance,
// and says what is still missing. The wizard fills the gaps interactively; scripts get an error naming the flag.
import { OnboardError } from '../core/errors.js';
import type { LoginMethod, MfaSecret, OktaOrg, Region, SecretStoreKind } from '../core/types.js';
import { reconcileLocation } from '../core/pagerduty-url.js';
import { parseInstanceName, parseLoginMethod, parseOktaOrg, parsePassword } from '../core/validate.js';
import { parseMfaSecret } from '../core/mfa-secret.js';
import type { QrSecret } from '../core/qr-secret.js';
import { defaultName, settleUser, type Draft } from '../core/draft.js';

// The draft and its shared decisions live in core (the wizard uses them too); re-exported for the commands.
export { defaultName, settleUser, type Draft };

export interface InstanceFlags {
  name?: string;
  url?: string;
  subdomain?: string;
  region?: string;
  loginMethod?: string;
  user?: string;
  passwordStdin?: boolean;
  oktaSubdomain?: string;
  mfaSecretStdin?: boolean;
  mfaSecretFile?: string;
  mfaSecretQr?: string;
  secretStore?: string;
}

export const ENV = {
  user: 'SSPM_PAGERDUTY_USER',
  password: 'SSPM_PAGERDUTY_PASSWORD',
  url: 'SSPM_PAGERDUTY_URL',
  subdomain: 'SSPM_PAGERDUTY_SUBDOMAIN',
  region: 'SSPM_PAGERDUTY_REGION',
  loginMethod: 'SSPM_PAGERDUTY_LOGIN_METHOD',
  oktaSubdomain: 'SSPM_PAGERDUTY_OKTA_SUBDOMAIN',
  mfaSecret: 'SSPM_PAGERDUTY_MFA_SECRET',
} as const;

export type Item = 'location' | 'loginMethod' | 'user' | 'password' | 'oktaSubdomain' | 'mfaSecret';

/** Where each item comes from when no one is there to ask. */
export const ITEM_SOURCES: Record<Item, { flag: string; env: string; what: string }> = {
  location: { flag: '--url (or --subdomain and --region)', env: `${ENV.url} (or ${ENV.subdomain} and ${ENV.region})`, what: 'the PagerDuty location' },
  loginMethod: { flag: '--login-method credentials|okta|azure', env: ENV.loginMethod, what: 'the login method' },
  user: { flag: '--user', env: ENV.user, what: 'the Account Owner user' },
  password: { flag: '--password-stdin', env: ENV.password, what: 'the password' },
  oktaSubdomain: { flag: '--okta-subdomain', env: ENV.oktaSubdomain, what: 'the Okta subdomain' },
  mfaSecret: { flag: '--mfa-secret-stdin, --mfa-secret-file or --mfa-secret-qr', env: ENV.mfaSecret, what: 'the 2FA secret' },
};

export interface ResolvedInstance {
  name: string;
  subdomain: string | null;
  region: Region;
  loginMethod: LoginMethod;
  user: string;
  password: string;
  okta: OktaOrg | null;
  mfa: MfaSecret | null;
}

/** Secrets read from stdin, a file or the environment by the caller (never from argv). */
export interface SecretInputs {
  password?: string;
  mfaSecret?: string;
  /** Set when the 2FA secret came from a QR code image: its issuer and account, for the user to confirm. */
  mfaQr?: QrSecret;
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** A flag wins over its environment twin. Returns undefined when neither is set. */
function pick(flag: string | undefined, env: NodeJS.ProcessEnv, name: string): string | undefined {
  if (flag !== undefined) return flag;
  const fromEnv = env[name];
  return present(fromEnv) ? fromEnv : undefined;
}

export function draftFromSources(flags: InstanceFlags, env: NodeJS.ProcessEnv, secrets: SecretInputs): Draft {
  const draft: Draft = {};
  const url = pick(flags.url, env, ENV.url);
  const subdomain = pick(flags.subdomain, env, ENV.subdomain);
  const region = pick(flags.region, env, ENV.region);
  if (url !== undefined || subdomain !== undefined || region !== undefined) {
    const location = reconcileLocation(
      { url, subdomain, region },
      {
        url: flags.url !== undefined ? '--url' : ENV.url,
        subdomain: flags.subdomain !== undefined ? '--subdomain' : ENV.subdomain,
        region: flags.region !== undefined ? '--region' : ENV.region,
      },
    );
    if (location.subdomain !== undefined) draft.subdomain = location.subdomain;
    // A subdomain alone means a US account: EU accounts live on <x>.eu.pagerduty.com.
    draft.region = location.region ?? (location.subdomain !== undefined ? 'us' : undefined);
    if (draft.region !== undefined && draft.subdomain === undefined) draft.subdomain = null;
  }
  const method = pick(flags.loginMethod, env, ENV.loginMethod);
  if (method !== undefined) draft.loginMethod = parseLoginMethod(method, flags.loginMethod !== undefined ? '--login-method' : ENV.loginMethod);
  const user = pick(flags.user, env, ENV.user);
  if (user !== undefined) draft.rawUser = user;
  if (secrets.password !== undefined) draft.password = parsePassword(secrets.password, 'password');
  const okta = pick(flags.oktaSubdomain, env, ENV.oktaSubdomain);
  if (okta !== undefined) draft.okta = parseOktaOrg(okta, flags.oktaSubdomain !== undefined ? '--okta-subdomain' : ENV.oktaSubdomain);
  if (secrets.mfaSecret !== undefined) draft.mfa = parseMfaSecret(secrets.mfaSecret, '2FA secret');
  if (flags.name !== undefined) draft.name = parseInstanceName(flags.name, '--name');
  return settleUser(draft);
}

export function itemsNeeded(loginMethod: LoginMethod | undefined): Item[] {
  const base: Item[] = ['user', 'password', 'location', 'loginMethod'];
  if (loginMethod === 'okta') return [...base, 'oktaSubdomain', 'mfaSecret'];
  if (loginMethod === 'azure') return [...base, 'mfaSecret'];
  return base;
}

function has(draft: Draft, item: Item): boolean {
  switch (item) {
    case 'location':
      return draft.region !== undefined && draft.subdomain !== undefined;
    case 'loginMethod':
      return draft.loginMethod !== undefined;
    case 'user':
      return draft.user !== undefined || draft.rawUser !== undefined;
    case 'password':
      return draft.password !== undefined;
    case 'oktaSubdomain':
      return draft.okta !== undefined && draft.okta !== null;
    case 'mfaSecret':
      return draft.mfa !== undefined && draft.mfa !== null;
  }
}

export function missingItems(draft: Draft): Item[] {
  return itemsNeeded(draft.loginMethod).filter((item) => !has(draft, item));
}

export function missingError(item: Item, command = 'add'): OnboardError {
  const source = ITEM_SOURCES[item];
  return new OnboardError('INVALID_INPUT', `Missing ${source.what}: no one can be asked here (no TTY, CI, or --no-input).`, {
    fix: `Pass ${source.flag} or set ${source.env}, or run \`sspm-onboard pagerduty ${command}\` in a terminal.`,
  });
}

const SECRET_ITEMS: Item[] = ['password', 'mfaSecret'];

/**
 * Completes the draft; throws for the first missing item. Values a method does not use are dropped.
 * `secrets: false` (a dry run, which never uses them) lets the secrets be absent: password "" and no 2FA secret.
 */
export function finalize(draft: Draft, command = 'add', opts: { secrets?: boolean } = {}): ResolvedInstance {
  const settled = settleUser(draft);
  const missing = missingItems(settled).filter((item) => opts.secrets !== false || !SECRET_ITEMS.includes(item));
  if (missing.length > 0) throw missingError(missing[0]!, command);
  const loginMethod = settled.loginMethod!;
  const region = settled.region!;
  const subdomain = settled.subdomain ?? null;
  return {
    name: settled.name ?? defaultName(subdomain, region),
    subdomain,
    region,
    loginMethod,
    user: settled.user!,
    password: settled.password ?? '',
    okta: loginMethod === 'okta' ? settled.okta! : null,
    mfa: loginMethod === 'credentials' ? null : (settled.mfa ?? null),
  };
}

export function parseSecretStoreKind(input: string | undefined): SecretStoreKind {
  if (input === undefined) return 'keychain';
  const value = input.trim().toLowerCase();
  if (value === 'keychain' || value === 'file') return value;
  throw new OnboardError('INVALID_INPUT', `Invalid --secret-store "${input}": use keychain or file (e.g. --secret-store keychain).`);
}

/** Options a chosen method does not use, so the caller can say they were ignored. */
export function unusedOptions(draft: Draft): string[] {
  const unused: string[] = [];
  if (draft.loginMethod === 'credentials' || draft.loginMethod === 'azure') {
    if (draft.okta) unused.push('Okta subdomain');
  }
  if (draft.loginMethod === 'credentials' && draft.mfa) unused.push('2FA secret');
  return unused;
}
