// Pure input validators: every flag or prompt answer goes through one of these before it is used.
// Each returns the normalized value or throws OnboardError('INVALID_INPUT') with one line that names the
// field, says what is wrong and shows a valid example. No I/O here.
//
// Decisions:
// - Subdomains are DNS labels (1-63 of a-z, 0-9, '-', not starting/ending with '-'), lower-cased.
//   Blank means "no subdomain" (null). "app" also means "no subdomain" (app.pagerduty.com is PagerDuty's
//   shared sign-in host, the one accounts without a subdomain use). The names in RESERVED_SUBDOMAINS are
//   PagerDuty's own hosts, never an account: they are refused with a hint to paste the account's address.
// - Okta orgs: okta.com, oktapreview.com and okta-emea.com only (custom domains refused); "<org>-admin"
//   (the admin console host) is read as "<org>".
// - Instance names are lower-cased before the check (names are case-insensitive keys).
// - Passwords are never trimmed and never echoed; only empty values and line breaks are refused.

import { z } from 'zod';
import { OnboardError } from './errors.js';
import type { LoginMethod, OktaDomain, OktaOrg, Region } from './types.js';

// ---------------------------------------------------------------------------------------------------
// Schemas (exported for reuse, e.g. by the config file schema)

export const DNS_LABEL_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const dnsLabelSchema = z.string().regex(DNS_LABEL_RE);
export const regionSchema = z.enum(['us', 'eu']);
export const loginMethodSchema = z.enum(['credentials', 'okta', 'azure']);
export const oktaDomainSchema = z.enum(['okta.com', 'oktapreview.com', 'okta-emea.com']);
export const oktaOrgSchema = z.object({ org: dnsLabelSchema, domain: oktaDomainSchema });
export const INSTANCE_NAME_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const instanceNameSchema = z.string().regex(INSTANCE_NAME_RE);
export const emailSchema = z.email().max(254);
export const subdomainSchema = dnsLabelSchema.nullable();

/** PagerDuty's own hosts under pagerduty.com: not account subdomains. ("app" is handled apart: it means null.) */
export const RESERVED_SUBDOMAINS: readonly string[] = [
  'www',
  'identity',
  'eu',
  'api',
  'events',
  'status',
  'developer',
  'support',
];

export const LOGIN_METHOD_ALIASES: Readonly<Record<string, LoginMethod>> = {
  credentials: 'credentials',
  direct: 'credentials',
  okta: 'okta',
  azure: 'azure',
  entra: 'azure',
  'azure-ad': 'azure',
};

// ---------------------------------------------------------------------------------------------------
// Helpers

export function invalid(message: string, fix?: string): OnboardError {
  return new OnboardError('INVALID_INPUT', message, fix === undefined ? {} : { fix });
}

// Control characters, DEL, C1 controls and the Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Quote a (non-secret) user value for an error message: one line, control characters escaped,
 * long values shortened.
 */
export function quote(value: string, max = 80): string {
  let shown = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  shown = shown.replace(UNPRINTABLE_RE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (shown.length > max) shown = `${shown.slice(0, max - 1)}…`;
  return `"${shown}"`;
}

function hasUnprintable(value: string): boolean {
  UNPRINTABLE_RE.lastIndex = 0;
  const found = UNPRINTABLE_RE.test(value);
  UNPRINTABLE_RE.lastIndex = 0;
  return found;
}

function requireString(input: unknown, field: string, example: string): string {
  if (typeof input !== 'string') throw invalid(`Missing ${field}: give a value (e.g. ${example}).`);
  return input;
}

export function isDnsLabel(value: string): boolean {
  return DNS_LABEL_RE.test(value);
}

const LABEL_RULE = 'use 1-63 letters, digits or hyphens, not starting or ending with a hyphen';

export interface HttpHost {
  /** Lower-cased host name, without a trailing dot and without port. */
  hostname: string;
}

const MAX_URL_LENGTH = 2048;

/**
 * Read the host of an https address typed by a user: adds https:// when there is no scheme, refuses
 * other schemes (http:// included), user info (user:password@), non-default ports, spaces, control and non-ASCII characters.
 * The caller decides whether the host is acceptable. The input is quoted in errors except when it
 * carries user info (which may hold a password).
 */
export function parseHttpHost(input: string, field: string, example: string): HttpHost {
  const raw = requireString(input, field, example).trim();
  if (raw === '') throw invalid(`Missing ${field}: it is empty; paste the address (e.g. ${example}).`);
  if (raw.length > MAX_URL_LENGTH) {
    throw invalid(`Invalid ${field}: the address is longer than ${MAX_URL_LENGTH} characters; paste only the address (e.g. ${example}).`);
  }
  if (/\s/.test(raw) || hasUnprintable(raw)) {
    throw invalid(`Invalid ${field} ${quote(raw)}: it contains spaces or control characters; paste only the address (e.g. ${example}).`);
  }
  if (/[^\x21-\x7e]/.test(raw)) {
    throw invalid(`Invalid ${field} ${quote(raw)}: it contains non-ASCII characters; paste the address as shown in the browser (e.g. ${example}).`);
  }

  let withScheme: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) withScheme = raw;
  else if (raw.startsWith('//')) withScheme = `https:${raw}`;
  else if (/^[a-z][a-z0-9+.-]*:(?![0-9])/i.test(raw)) withScheme = raw; // javascript:, mailto:, http:host ...
  else withScheme = `https://${raw}`;

  const schemeMatch = /^([a-z][a-z0-9+.-]*):/i.exec(withScheme);
  const scheme = schemeMatch?.[1]?.toLowerCase() ?? '';
  // http:// too: silently upgrading it would hide that the user pasted something other than the sign-in page.
  if (scheme !== 'https') {
    throw invalid(`Invalid ${field} ${quote(raw)}: only https:// addresses are accepted, not ${scheme}: (e.g. ${example}).`);
  }

  // User info is refused from the raw text too: WHATWG URL hides an empty user name ("https://@host").
  const afterScheme = withScheme.slice(scheme.length + 1).replace(/^[/\\]*/, '');
  const authority = afterScheme.split(/[/?#\\]/, 1)[0] ?? '';
  if (authority.includes('@')) {
    throw invalid(`Invalid ${field}: the address has a user name or password before "@" (the part after "@" would be the host); paste only the address (e.g. ${example}).`);
  }

  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid(`Invalid ${field} ${quote(raw)}: it is not a web address (e.g. ${example}).`);
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid(`Invalid ${field}: the address has a user name or password before "@"; paste only the address (e.g. ${example}).`);
  }
  if (url.port !== '') {
    throw invalid(`Invalid ${field} ${quote(raw)}: port ${url.port} is not accepted, only the default https port 443 (e.g. ${example}).`);
  }
  let hostname = url.hostname.toLowerCase();
  if (hostname.endsWith('.')) hostname = hostname.slice(0, -1);
  if (hostname === '') throw invalid(`Invalid ${field} ${quote(raw)}: it has no host name (e.g. ${example}).`);
  return { hostname };
}

// ---------------------------------------------------------------------------------------------------
// Validators

/**
 * A PagerDuty account subdomain: "acme" for acme.pagerduty.com. Blank (or "app") means no subdomain → null.
 * Lower-cased. PagerDuty's own host names (www, identity, eu, api, ...) are refused.
 */
export function parseSubdomain(input: string, field = '--subdomain'): string | null {
  const value = requireString(input, field, 'acme').trim().toLowerCase();
  if (value === '' || value === 'app') return null;
  if (value.includes('.') || value.includes('/') || value.includes(':')) {
    throw invalid(
      `Invalid ${field} ${quote(value)}: give only the subdomain, the first part of the address (e.g. acme for acme.pagerduty.com), or pass the whole address with --url.`,
    );
  }
  if (!dnsLabelSchema.safeParse(value).success) {
    throw invalid(`Invalid ${field} ${quote(value)}: ${LABEL_RULE} (e.g. acme).`);
  }
  if (RESERVED_SUBDOMAINS.includes(value)) {
    throw invalid(
      `Invalid ${field} ${quote(value)}: ${value}.pagerduty.com is a PagerDuty site, not an account; give your account's subdomain as in its address (e.g. acme for acme.pagerduty.com), or "" for app.pagerduty.com.`,
    );
  }
  return value;
}

/** us or eu, case-insensitive. */
export function parseRegion(input: string, field = '--region'): Region {
  const value = requireString(input, field, 'us').trim().toLowerCase();
  const parsed = regionSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  if (value === '') throw invalid(`Missing ${field}: use us or eu (e.g. eu for acme.eu.pagerduty.com).`);
  throw invalid(`Invalid ${field} ${quote(value)}: use us or eu (e.g. eu for acme.eu.pagerduty.com).`);
}

/** credentials | okta | azure (aliases: direct → credentials; entra, azure-ad → azure). */
export function parseLoginMethod(input: string, field = '--login-method'): LoginMethod {
  const value = requireString(input, field, 'credentials').trim().toLowerCase();
  const method = Object.prototype.hasOwnProperty.call(LOGIN_METHOD_ALIASES, value) ? LOGIN_METHOD_ALIASES[value] : undefined;
  if (method !== undefined) return loginMethodSchema.parse(method);
  const what = value === '' ? `Missing ${field}` : `Invalid ${field} ${quote(value)}`;
  throw invalid(`${what}: use credentials, okta or azure (e.g. credentials for a PagerDuty e-mail and password).`);
}

const MAX_IDP_USER = 256;

/**
 * The sign-in user, trimmed. credentials: an e-mail address. okta / azure: the identity provider's user
 * name (often an e-mail too): non-empty, no spaces or control characters, at most 256 characters.
 */
export function parseUser(input: string, loginMethod: LoginMethod, field = '--user'): string {
  const value = requireString(input, field, 'jane@acme.com').trim();
  if (loginMethod === 'credentials') {
    if (value === '') throw invalid(`Missing ${field}: give the e-mail address you sign in to PagerDuty with (e.g. jane@acme.com).`);
    if (!emailSchema.safeParse(value).success) {
      throw invalid(`Invalid ${field} ${quote(value)}: it is not an e-mail address; give the one you sign in to PagerDuty with (e.g. jane@acme.com).`);
    }
    return value;
  }
  const idp = loginMethod === 'okta' ? 'Okta' : 'Microsoft Entra ID';
  if (value === '') throw invalid(`Missing ${field}: give your ${idp} user name (e.g. jane@acme.com).`);
  if (/\s/.test(value) || hasUnprintable(value)) {
    throw invalid(`Invalid ${field} ${quote(value)}: the ${idp} user name cannot contain spaces or control characters (e.g. jane@acme.com).`);
  }
  if (value.length > MAX_IDP_USER) {
    throw invalid(`Invalid ${field} ${quote(value)}: the ${idp} user name is longer than ${MAX_IDP_USER} characters (e.g. jane@acme.com).`);
  }
  return value;
}

const OKTA_EXAMPLE = 'acme or https://acme.okta.com';

/**
 * The Okta org: "acme", "acme.okta.com", "https://acme.okta.com/app/x", "acme.oktapreview.com",
 * "acme.okta-emea.com". A bare name means okta.com. "acme-admin.okta.com" (admin console) → acme.
 */
export function parseOktaOrg(input: string, field = '--okta-subdomain'): OktaOrg {
  const raw = requireString(input, field, OKTA_EXAMPLE).trim();
  if (raw === '') throw invalid(`Missing ${field}: give the Okta org name or address (e.g. ${OKTA_EXAMPLE}).`);
  const lower = raw.toLowerCase();
  if (!/[./:@\\]/.test(lower)) {
    if (!isDnsLabel(lower)) throw invalid(`Invalid ${field} ${quote(raw)}: ${LABEL_RULE} (e.g. ${OKTA_EXAMPLE}).`);
    if (!isOrgHost(lower)) throw invalid(`Invalid ${field} ${quote(raw)}: it is no valid host name (an "xn--" label must be valid punycode) (e.g. ${OKTA_EXAMPLE}).`);
    return { org: stripAdmin(lower), domain: 'okta.com' };
  }
  const { hostname } = parseHttpHost(raw, field, OKTA_EXAMPLE);
  const labels = hostname.split('.');
  const domain = labels.slice(1).join('.');
  const parsedDomain = oktaDomainSchema.safeParse(domain);
  if (labels.length !== 3 || !parsedDomain.success) {
    throw invalid(
      `Invalid ${field} ${quote(raw)}: ${quote(hostname)} is not an Okta org address (<org>.okta.com, .oktapreview.com or .okta-emea.com; custom domains are not supported) (e.g. ${OKTA_EXAMPLE}).`,
    );
  }
  const org = labels[0] ?? '';
  if (!isDnsLabel(org)) throw invalid(`Invalid ${field} ${quote(raw)}: the org name ${quote(org)} is not valid: ${LABEL_RULE} (e.g. ${OKTA_EXAMPLE}).`);
  return { org: stripAdmin(org), domain: parsedDomain.data as OktaDomain };
}

/** `acme-admin` is the admin console of org `acme`; a label that would not survive the cut (`xn---admin`
 *  would leave `xn--`, ending in a hyphen) is an org name of its own. */
function stripAdmin(org: string): string {
  const base = org.endsWith('-admin') ? org.slice(0, -'-admin'.length) : org;
  return base !== org && isDnsLabel(base) && isOrgHost(base) ? base : org;
}

/** The browser must be able to go there: WHATWG URL parsing refuses, say, an "xn--" label that is not punycode. */
function isOrgHost(org: string): boolean {
  return URL.canParse(`https://${org}.okta.com/`);
}

/** Instance name: lower-cased; letters, digits, '-', '_', '.'; 1-64 characters; starts with a letter or digit. */
export function parseInstanceName(input: string, field = '--name'): string {
  const value = requireString(input, field, 'acme').trim().toLowerCase();
  if (value === '') throw invalid(`Missing ${field}: give a name for this connection (e.g. acme-prod).`);
  if (!instanceNameSchema.safeParse(value).success) {
    throw invalid(
      `Invalid ${field} ${quote(value)}: use 1-64 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit (e.g. acme-prod).`,
    );
  }
  return value;
}

/** The name an instance gets when none is given: its subdomain, else pagerduty-us / pagerduty-eu. */
export function defaultInstanceName(subdomain: string | null, region: Region): string {
  return subdomain ?? `pagerduty-${region}`;
}

const MAX_PASSWORD = 1024;

/**
 * A password as typed: non-empty, no line break or NUL, at most 1024 characters. Never trimmed, never
 * echoed. (Strip the newline that ends a line read from stdin with trimTrailingNewline first.)
 */
export function parsePassword(input: string, field = 'password'): string {
  if (typeof input !== 'string' || input.length === 0) {
    throw invalid(`Missing ${field}: it is empty; give the password the Account Owner signs in with.`);
  }
  if (/[\r\n\u2028\u2029]/.test(input)) {
    throw invalid(`Invalid ${field}: it contains a line break (value not shown); give the password on one line (e.g. printf %s "$PW" instead of echo).`);
  }
  if (input.includes('\u0000')) {
    throw invalid(`Invalid ${field}: it contains a NUL character (value not shown); give the password as typed in the sign-in form.`);
  }
  if (input.includes('\ufffd')) {
    // What a decoder makes of bytes that are not UTF-8 (say a Latin-1 terminal or variable): typing it would
    // send a password that cannot be right, and a failed log-in counts toward a lock-out.
    throw invalid(`Invalid ${field}: it is not valid UTF-8 text (it holds U+FFFD, the replacement for bytes that are not UTF-8; value not shown); give the password as UTF-8, exactly as typed in the sign-in form.`);
  }
  if (input.length > MAX_PASSWORD) {
    throw invalid(`Invalid ${field}: it is longer than ${MAX_PASSWORD} characters (value not shown); give the password as typed in the sign-in form.`);
  }
  return input;
}

/** Remove ONE trailing line ending ("\r\n" or "\n" or "\r"), as left by a line read from stdin. */
export function trimTrailingNewline(s: string): string {
  if (s.endsWith('\r\n')) return s.slice(0, -2);
  if (s.endsWith('\n') || s.endsWith('\r')) return s.slice(0, -1);
  return s;
}
