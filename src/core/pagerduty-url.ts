// Where a PagerDuty account lives: subdomain + region, read from the HOST of an address the user pastes.
// The host is parsed with WHATWG URL and matched label by label; the text is never searched for "eu".
// Accepted hosts:  <sub>.pagerduty.com (us)  <sub>.eu.pagerduty.com (eu)
//                  app.pagerduty.com (null/us)  app.eu.pagerduty.com (null/eu)
// Everything else is refused: other domains, bare pagerduty.com, eu.pagerduty.com, PagerDuty's own hosts
// (www, identity, api, ...), deeper hosts, user info, non-default ports and non-http(s) schemes.
// The returned host is rebuilt from subdomain + region, never copied from the input. No I/O here.

import type { Region } from './types.js';
import { hostOf } from './hosts.js';
import { RESERVED_SUBDOMAINS, invalid, isDnsLabel, parseHttpHost, parseRegion, parseSubdomain, quote } from './validate.js';

const URL_EXAMPLE = 'https://acme.pagerduty.com';

export function parsePagerDutyUrl(input: string, field = '--url'): { subdomain: string | null; region: Region; host: string } {
  const { hostname } = parseHttpHost(input, field, URL_EXAMPLE);
  const shown = quote(typeof input === 'string' ? input.trim() : '');
  const labels = hostname.split('.');
  const n = labels.length;
  if (n < 2 || labels[n - 1] !== 'com' || labels[n - 2] !== 'pagerduty') {
    throw invalid(`Invalid ${field} ${shown}: the host ${quote(hostname)} is not a PagerDuty address; paste your account's address (e.g. ${URL_EXAMPLE}).`);
  }
  const rest = labels.slice(0, -2);
  if (rest.length === 0) {
    throw invalid(
      `Invalid ${field} ${shown}: pagerduty.com alone does not say which account; paste the address you sign in at (e.g. ${URL_EXAMPLE} or https://app.pagerduty.com).`,
    );
  }
  let sub: string;
  let region: Region;
  if (rest.length === 1) {
    sub = rest[0] ?? '';
    region = 'us';
  } else if (rest.length === 2 && rest[1] === 'eu') {
    sub = rest[0] ?? '';
    region = 'eu';
  } else {
    throw invalid(
      `Invalid ${field} ${shown}: ${quote(hostname)} is not a PagerDuty account address (<account>.pagerduty.com or <account>.eu.pagerduty.com) (e.g. ${URL_EXAMPLE}).`,
    );
  }
  if (sub === 'app') return { subdomain: null, region, host: pagerDutyHost(null, region) };
  if (!isDnsLabel(sub)) {
    throw invalid(
      `Invalid ${field} ${shown}: the subdomain ${quote(sub)} is not valid: use 1-63 letters, digits or hyphens, not starting or ending with a hyphen (e.g. ${URL_EXAMPLE}).`,
    );
  }
  if (RESERVED_SUBDOMAINS.includes(sub)) {
    throw invalid(
      `Invalid ${field} ${shown}: ${quote(hostname)} is a PagerDuty site, not an account; paste the address you sign in at (e.g. ${URL_EXAMPLE} or https://app.pagerduty.com).`,
    );
  }
  return { subdomain: sub, region, host: pagerDutyHost(sub, region) };
}

/** acme/us → acme.pagerduty.com; acme/eu → acme.eu.pagerduty.com; null/us → app.pagerduty.com; null/eu → app.eu.pagerduty.com. */
export function pagerDutyHost(subdomain: string | null, region: Region): string {
  const sub = subdomain === null ? null : parseSubdomain(subdomain, 'subdomain');
  return hostOf(sub, parseRegion(region, 'region'));
}

function describeSubdomain(subdomain: string | null): string {
  return subdomain === null ? 'no subdomain' : `subdomain ${quote(subdomain)}`;
}

/**
 * Merge --url with explicit --subdomain / --region. undefined = not given. An explicit empty subdomain
 * ('') means "no subdomain" (null). A disagreement between --url and a flag is an error naming both.
 */
export function reconcileLocation(
  opts: { url?: string; subdomain?: string; region?: string },
  /** Where each value came from (a flag, or its environment twin), for error messages. */
  labels: { url: string; subdomain: string; region: string } = { url: '--url', subdomain: '--subdomain', region: '--region' },
): {
  subdomain: string | null | undefined;
  region: Region | undefined;
} {
  const fromUrl = opts.url === undefined ? undefined : parsePagerDutyUrl(opts.url, labels.url);
  const subdomain = opts.subdomain === undefined ? undefined : parseSubdomain(opts.subdomain, labels.subdomain);
  const region = opts.region === undefined ? undefined : parseRegion(opts.region, labels.region);

  if (fromUrl === undefined) return { subdomain, region };

  if (subdomain !== undefined && subdomain !== fromUrl.subdomain) {
    const given = subdomain === null ? 'empty (no subdomain)' : quote(subdomain);
    throw invalid(`${labels.url} says ${describeSubdomain(fromUrl.subdomain)} but ${labels.subdomain} is ${given}; drop one of them.`);
  }
  if (region !== undefined && region !== fromUrl.region) {
    throw invalid(`${labels.url} says region "${fromUrl.region}" but ${labels.region} is "${region}"; drop one of them.`);
  }
  return { subdomain: fromUrl.subdomain, region: fromUrl.region };
}
