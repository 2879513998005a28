// Accounts and shared state of the alternative world.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { newSecret } from './totp.js';

export type LoginMethod = 'credentials' | 'okta' | 'azure';

export interface AltAccount {
  name: string;
  subdomain: string;
  region: 'us' | 'eu';
  /** The account's PagerDuty host. */
  host: string;
  /** What a user would paste for --url. */
  url: string;
  loginMethod: LoginMethod;
  /** The PagerDuty email, and for okta/azure the IdP username (the same here). */
  user: string;
  password: string;
  mfaSecret?: string;
  /** The value for --okta-subdomain. */
  oktaSubdomain?: string;
  /** Which PagerDuty sign-in page the account's host serves. */
  signInStyle: 'spa' | 'legacy' | 'global';
  /** Where SP-initiated SSO goes (okta/azure). */
  idpSsoUrl?: string;
}

export interface AltEvent {
  at: number;
  method: string;
  host: string;
  path: string;
  fields: string[];
}

export interface OktaOrg {
  org: string;
  host: string;
  engine: 'classic' | 'identity';
  appPath: string;
  account: AltAccount;
}

export interface EntraTenant {
  tenant: string;
  account: AltAccount;
}

export interface World {
  accounts: AltAccount[];
  events: AltEvent[];
  oktaOrgs: OktaOrg[];
  entra: EntraTenant[];
  /** Highest accepted TOTP counter per secret. */
  lastCounter: Map<string, number>;
  /** PagerDuty sessions: id -> host and email. */
  pdSessions: Map<string, { host: string; email: string }>;
  /** Outstanding AuthnRequests made by PagerDuty: id -> SP host. */
  authnRequests: Map<string, { host: string; relay: string }>;
  /** Assertions issued by an IdP and not yet consumed: id -> audience and subject. */
  assertions: Map<string, { audience: string; nameId: string; inResponseTo: string }>;
  /** One-time tickets from the global sign-in to an account host: ticket -> host and email. */
  globalTickets: Map<string, { host: string; email: string }>;
}

function pw(label: string): string {
  return `${label}-${randomBytes(6).toString('hex')}-Pw!`;
}

export function makeWorld(): World {
  const gammaApp = '/app/gammaorg_pagerduty_1/exk7gq3alt0gamma0x7/sso/saml';
  const deltaApp = '/app/deltaorg_pagerduty_2/exk9dlt4alt0delta0x8/sso/saml';
  const tenant = '5b0d9f3e-41c2-4a7e-9e61-2f8d7c3a1b90';
  const accounts: AltAccount[] = [
    {
      name: 'alpha', subdomain: 'alpha', region: 'us', host: 'alpha.pagerduty.com', url: 'https://alpha.pagerduty.com/incidents',
      loginMethod: 'credentials', user: 'owner@alpha-alt.example', password: pw('Alpha'), signInStyle: 'spa',
    },
    {
      name: 'beta', subdomain: 'beta', region: 'eu', host: 'beta.eu.pagerduty.com', url: 'https://beta.eu.pagerduty.com/incidents',
      loginMethod: 'credentials', user: 'owner@beta-alt.example', password: pw('Beta'), signInStyle: 'legacy',
    },
    {
      name: 'gamma', subdomain: 'gamma', region: 'us', host: 'gamma.pagerduty.com', url: 'https://gamma.pagerduty.com/incidents',
      loginMethod: 'okta', user: 'owner@gamma-alt.example', password: pw('Gamma'), mfaSecret: newSecret(),
      oktaSubdomain: 'gamma', signInStyle: 'spa', idpSsoUrl: `https://gamma.okta.com${gammaApp}`,
    },
    {
      name: 'delta', subdomain: 'delta', region: 'us', host: 'delta.pagerduty.com', url: 'https://delta.pagerduty.com/incidents',
      loginMethod: 'okta', user: 'owner@delta-alt.example', password: pw('Delta'), mfaSecret: newSecret(),
      oktaSubdomain: 'https://delta.oktapreview.com', signInStyle: 'legacy', idpSsoUrl: `https://delta.oktapreview.com${deltaApp}`,
    },
    {
      name: 'epsilon', subdomain: 'epsilon', region: 'eu', host: 'epsilon.eu.pagerduty.com', url: 'https://epsilon.eu.pagerduty.com/incidents',
      loginMethod: 'azure', user: 'owner@epsilonalt.onmicrosoft.com', password: pw('Epsilon'), mfaSecret: newSecret(),
      signInStyle: 'spa', idpSsoUrl: `https://login.microsoftonline.com/${tenant}/saml2`,
    },
    {
      name: 'eta', subdomain: 'eta', region: 'us', host: 'eta.pagerduty.com', url: 'https://eta.pagerduty.com/incidents',
      loginMethod: 'credentials', user: 'owner@eta-alt.example', password: pw('Eta'), signInStyle: 'global',
    },
  ];
  const byName = (n: string) => accounts.find((a) => a.name === n)!;
  return {
    accounts,
    events: [],
    oktaOrgs: [
      { org: 'gamma', host: 'gamma.okta.com', engine: 'classic', appPath: gammaApp, account: byName('gamma') },
      { org: 'delta', host: 'delta.oktapreview.com', engine: 'identity', appPath: deltaApp, account: byName('delta') },
    ],
    entra: [{ tenant, account: byName('epsilon') }],
    lastCounter: new Map(),
    pdSessions: new Map(),
    authnRequests: new Map(),
    assertions: new Map(),
    globalTickets: new Map(),
  };
}

// ---- SAML, reduced to what the flows need (no XML signature: the assertion id is the proof) ----

function samlId(): string {
  return `_${randomBytes(16).toString('hex')}`;
}

/** PagerDuty's AuthnRequest for the HTTP-Redirect binding: deflated, base64. */
export function authnRequest(world: World, spHost: string, relay: string): string {
  const id = samlId();
  world.authnRequests.set(id, { host: spHost, relay });
  const xml =
    `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ` +
    `ID="${id}" Version="2.0" IssueInstant="${new Date().toISOString()}" ` +
    `AssertionConsumerServiceURL="https://${spHost}/sso/saml/consume" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">` +
    `<saml:Issuer>https://${spHost}</saml:Issuer></samlp:AuthnRequest>`;
  return deflateRawSync(Buffer.from(xml)).toString('base64');
}

export function readAuthnRequest(encoded: string): { id: string; acs: string; issuer: string } | undefined {
  try {
    const xml = inflateRawSync(Buffer.from(encoded, 'base64')).toString('utf8');
    const id = /\sID="([^"]+)"/.exec(xml)?.[1];
    const acs = /AssertionConsumerServiceURL="([^"]+)"/.exec(xml)?.[1];
    const issuer = /<saml:Issuer>([^<]+)<\/saml:Issuer>/.exec(xml)?.[1];
    if (!id || !acs || !issuer) return undefined;
    return { id, acs, issuer };
  } catch {
    return undefined;
  }
}

export function samlResponse(world: World, p: { inResponseTo: string; acs: string; audience: string; nameId: string; issuer: string }): string {
  const assertionId = samlId();
  world.assertions.set(assertionId, { audience: p.audience, nameId: p.nameId, inResponseTo: p.inResponseTo });
  const now = new Date().toISOString();
  const xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="${samlId()}" Version="2.0" IssueInstant="${now}" ` +
    `Destination="${p.acs}" InResponseTo="${p.inResponseTo}"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${p.issuer}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${assertionId}" Version="2.0" IssueInstant="${now}">` +
    `<saml:Issuer>${p.issuer}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${p.nameId}</saml:NameID></saml:Subject>` +
    `<saml:Conditions><saml:AudienceRestriction><saml:Audience>${p.audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `</saml:Assertion></samlp:Response>`;
  return Buffer.from(xml).toString('base64');
}

export function autoPostHtml(action: string, fields: Record<string, string>, style: 'okta' | 'entra'): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"/>`)
    .join('');
  if (style === 'entra') {
    return `<!DOCTYPE html><html><head><title>Working...</title></head><body><form method="POST" name="hiddenform" action="${action}">${inputs}<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form><script language="javascript">window.setTimeout(function(){document.forms[0].submit();}, 0);</script></body></html>`;
  }
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Redirecting…</title></head><body><div class="redirect-message">Signing in to PagerDuty…</div><form id="appForm" action="${action}" method="POST">${inputs}</form><script>document.getElementById('appForm').submit();</script></body></html>`;
}

/** PagerDuty's ACS check: a known, unused assertion whose audience is this host. */
export function consumeAssertion(world: World, host: string, encoded: string): string | undefined {
  let xml: string;
  try {
    xml = Buffer.from(encoded, 'base64').toString('utf8');
  } catch {
    return undefined;
  }
  const assertionId = /<saml:Assertion[^>]*\sID="([^"]+)"/.exec(xml)?.[1];
  if (!assertionId) return undefined;
  const known = world.assertions.get(assertionId);
  if (!known) return undefined;
  world.assertions.delete(assertionId);
  if (known.audience !== `https://${host}`) return undefined;
  if (known.inResponseTo && !world.authnRequests.has(known.inResponseTo)) return undefined;
  return known.nameId;
}
