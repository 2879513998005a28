// Pure: which hosts a sign-in may pass through, and on which of them each value may be typed.
// A secret is typed only on the host that owns it; any other host stops the run before typing.
import type { LoginMethod, OktaOrg, Region } from '../core/types.js';
import { pagerDutyHost } from '../core/pagerduty-url.js';

export type HostRole = 'pagerduty' | 'okta' | 'entra';
export type TypedValue = 'user' | 'password' | 'code' | 'subdomain';

export interface PolicyInstance {
  subdomain: string | null;
  region: Region;
  loginMethod: LoginMethod;
  okta: OktaOrg | null;
}

export const ENTRA_HOST = 'login.microsoftonline.com';
/** Newer PagerDuty log-ins may start here (support.pagerduty.com "Log in to PagerDuty"). */
export const PAGERDUTY_IDENTITY_HOST = 'identity.pagerduty.com';

function pagerDutySuffix(region: Region): string {
  return region === 'eu' ? '.eu.pagerduty.com' : '.pagerduty.com';
}

/** PagerDuty hosts the instance's sign-in may use. An account without a personalized subdomain signs in at
 *  app.pagerduty.com and may land on its own <x>.pagerduty.com, which we cannot know beforehand. */
function isPagerDutyHost(host: string, instance: PolicyInstance): boolean {
  if (host === pagerDutyHost(instance.subdomain, instance.region) || host === PAGERDUTY_IDENTITY_HOST) return true;
  if (instance.subdomain !== null) return false;
  const suffix = pagerDutySuffix(instance.region);
  if (!host.endsWith(suffix)) return false;
  const label = host.slice(0, -suffix.length);
  return /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label) && label !== 'eu';
}

export function roleOfHost(host: string, instance: PolicyInstance): HostRole | null {
  const h = host.toLowerCase();
  if (isPagerDutyHost(h, instance)) return 'pagerduty';
  if (instance.loginMethod === 'okta' && instance.okta && h === `${instance.okta.org}.${instance.okta.domain}`) return 'okta';
  if (instance.loginMethod === 'azure' && h === ENTRA_HOST) return 'entra';
  return null;
}

/** May `value` be typed into a page on `host`? */
export function mayType(value: TypedValue, host: string, instance: PolicyInstance): boolean {
  const role = roleOfHost(host, instance);
  if (role === null) return false;
  switch (value) {
    case 'user':
    case 'subdomain':
      return true;
    case 'password':
      return instance.loginMethod === 'credentials' ? role === 'pagerduty' : role === (instance.loginMethod === 'okta' ? 'okta' : 'entra');
    case 'code':
      return instance.loginMethod !== 'credentials' && role === (instance.loginMethod === 'okta' ? 'okta' : 'entra');
  }
}

/** A host outside the allow-list that has a known, nameable cause. Microsoft Defender for Cloud Apps session
 *  proxies rewrite the sign-in and app hosts to *.mcas.ms (aws-azure-login #323): the pages look right, but
 *  everything typed there passes through the proxy. */
export function knownDetour(host: string): { cause: string; fix: string } | null {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (h === 'mcas.ms' || h.endsWith('.mcas.ms')) {
    return {
      cause: 'the sign-in goes through a Microsoft Defender for Cloud Apps session proxy (*.mcas.ms)',
      fix: 'Ask the Entra admin to exclude this user or the PagerDuty app from the Conditional Access App Control (session) policy, then run the test again.',
    };
  }
  return null;
}

const OKTA_DOMAINS = ['okta.com', 'oktapreview.com', 'okta-emea.com'] as const;

/**
 * A host outside the allow-list that is the instance's Okta org name on another Okta domain (`globex` given, so
 * globex.okta.com expected, and PagerDuty's SSO goes to globex.okta-emea.com): the likely meant value, named in the
 * error. Nothing is typed there either way: the user confirms by giving it.
 */
export function otherOktaDomain(host: string, instance: PolicyInstance): { org: string; given: string } | null {
  if (instance.loginMethod !== 'okta' || !instance.okta) return null;
  const h = host.toLowerCase().replace(/\.$/, '');
  const domain = OKTA_DOMAINS.find((d) => h === `${instance.okta!.org}.${d}`);
  if (!domain || domain === instance.okta.domain) return null;
  return { org: h, given: `${instance.okta.org}.${instance.okta.domain}` };
}

/** The same subdomain in the other service region (acme.pagerduty.com <-> acme.eu.pagerduty.com); null for an
 *  account without a subdomain (app.pagerduty.com exists in both). */
export function otherRegionHost(instance: Pick<PolicyInstance, 'subdomain' | 'region'>): { host: string; region: Region } | null {
  if (instance.subdomain === null) return null;
  const region: Region = instance.region === 'eu' ? 'us' : 'eu';
  return { host: pagerDutyHost(instance.subdomain, region), region };
}

/** Where the sign-in is expected to go, for error messages ("expected acme.okta.com"). */
export function expectedHosts(instance: PolicyInstance): string[] {
  const hosts = [pagerDutyHost(instance.subdomain, instance.region)];
  if (instance.loginMethod === 'okta' && instance.okta) hosts.push(`${instance.okta.org}.${instance.okta.domain}`);
  if (instance.loginMethod === 'azure') hosts.push(ENTRA_HOST);
  return hosts;
}

/** A URL fit for output: no query (SAMLRequest, tokens) and no fragment. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url.split(/[?#]/)[0] ?? '';
  }
}
