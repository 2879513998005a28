// The fixed sample data of the sandbox: PagerDuty accounts, Okta orgs, Entra tenants and their users.
// Every password and 2FA secret here is fake and exists only for the sandbox.
import type { SampleAccount } from './types.js';

export type PdRole = 'owner' | 'admin' | 'user' | 'limited_user' | 'observer';
export type OktaDomain = 'okta.com' | 'oktapreview.com' | 'okta-emea.com';

export interface PdUser {
  id: string;
  email: string;
  name: string;
  role: PdRole;
  /** null: this user has no PagerDuty password (signs in through SSO only). */
  password: string | null;
}

export type PdSso =
  | { kind: 'okta'; org: string; domain: OktaDomain; appId: string }
  | { kind: 'azure'; tenant: string };

export interface PdAccount {
  name: string;
  subdomain: string | null;
  region: 'us' | 'eu';
  /** Which sign-in page this account's host serves (per account, like a staged roll-out). 'global': /sign_in
   *  sends the browser to the global sign-in on identity.pagerduty.com (identity.ts). */
  signIn: 'legacy' | 'two-step' | 'global';
  sso: PdSso | null;
  users: PdUser[];
}

export interface IdpUser {
  username: string;
  password: string;
  displayName: string;
  /** SAML NameID: the PagerDuty user's email. */
  nameId: string;
  totpSecret: string;
}

export interface OktaUser extends IdpUser {
  /** Enrolled factors, the default first (Okta Verify sorts first when enrolled). */
  factors: Array<'okta_verify' | 'google_otp'>;
}

/** Which front end an org serves: the sandbox's own server-rendered pages, or the vendor's Sign-In Widget from npm
 *  (`gen2`/`gen3` for Identity Engine, `classic` for Classic Engine) driven by the sandbox's IDX / authn API. */
export type OktaFrontEnd = 'hand-written' | 'gen2' | 'gen3' | 'classic';

export interface OktaOrg {
  org: string;
  domain: OktaDomain;
  engine: 'classic' | 'identity-engine';
  displayName: string;
  /** Default 'hand-written'. Without the widget package installed, widget orgs fall back to the hand-written pages. */
  frontEnd?: OktaFrontEnd;
  /** Identity Engine: ask "Keep me signed in?" after the log-in (the org's post-auth setting). */
  keepMeSignedIn?: boolean;
  apps: Array<{ appId: string; appName: string; pdSubdomain: string; region: 'us' | 'eu' }>;
  users: OktaUser[];
}

export interface EntraUser extends IdpUser {
  defaultMethod: 'PhoneAppOTP' | 'PhoneAppNotification';
}

export interface EntraTenant {
  tenant: string;
  displayName: string;
  apps: Array<{ pdSubdomain: string; region: 'us' | 'eu' }>;
  users: EntraUser[];
}

// 32-character base32 secrets (A-Z, 2-7), visibly fake.
const SECRET = {
  acmeOkta: 'SANDBOXFAKEACMEOKTAOWNERTOTPAAAA',
  globexOkta: 'SANDBOXFAKEGLOBEXOKTAIETOTPBBBBB',
  hooliOkta: 'SANDBOXFAKEHOOLIOKTAVERIFYCCCCCC',
  umbrellaOkta: 'SANDBOXFAKEUMBRELLAOKTAGENTWOFFF',
  vandelayOkta: 'SANDBOXFAKEVANDELAYOKTAGENTHREEG',
  wonkaOkta: 'SANDBOXFAKEWONKAOKTAGENTWOPUSHHH',
  starkOkta: 'SANDBOXFAKESTARKOKTAGENTHREEIIII',
  soylentOkta: 'SANDBOXFAKESOYLENTOKTACLASSICJJJ',
  contosoEntra: 'SANDBOXFAKECONTOSOENTRATOTPDDDDD',
  fabrikamEntra: 'SANDBOXFAKEFABRIKAMENTRAPUSHEEEE',
  oscorpOkta: 'SANDBOXFAKEOSCORPOKTAGLOBALFFFFF',
  wayneEntra: 'SANDBOXFAKEWAYNEENTRAGLOBALGGGGG',
} as const;

export const CONTOSO_TENANT = '7c0e5b1a-5a4d-4c1b-9e2f-5a4db0c05a01';
export const FABRIKAM_TENANT = '3f9d2c7e-8b61-4e0a-a5c4-fab0f1ab0e02';
export const WAYNE_TENANT = '5b2e8f41-0c7d-4a9e-b3f6-3a7e0e1fa003';

export const PD_ACCOUNTS: PdAccount[] = [
  {
    name: 'Acme', subdomain: 'acme', region: 'us', signIn: 'legacy',
    // SSO is on, and the Account Owner (like the other users here) may still use a password.
    sso: { kind: 'okta', org: 'acme', domain: 'okta.com', appId: 'exk1sbxacme0pagerduty' },
    users: [
      { id: 'PSBX0A1', email: 'owner@acme.example', name: 'Olivia Owner', role: 'owner', password: 'sandbox-Acme-Owner-pw-1' },
      { id: 'PSBX0A2', email: 'admin@acme.example', name: 'Adam Admin', role: 'admin', password: 'sandbox-Acme-Admin-pw-2' },
      { id: 'PSBX0A3', email: 'user@acme.example', name: 'Uma User', role: 'user', password: 'sandbox-Acme-User-pw-3' },
    ],
  },
  {
    name: 'Acme Europe', subdomain: 'acme-eu', region: 'eu', signIn: 'two-step', sso: null,
    users: [{ id: 'PSBX0E1', email: 'owner@acme-eu.example', name: 'Emil Owner', role: 'owner', password: 'sandbox-AcmeEU-Owner-pw-4' }],
  },
  {
    name: 'Initech', subdomain: null, region: 'us', signIn: 'two-step', sso: null,
    users: [{ id: 'PSBX0I1', email: 'owner@initech.example', name: 'Ingrid Owner', role: 'owner', password: 'sandbox-Initech-Owner-pw-5' }],
  },
  {
    name: 'Initrode', subdomain: null, region: 'eu', signIn: 'two-step', sso: null,
    users: [{ id: 'PSBX0R1', email: 'owner@initrode.example', name: 'Rita Owner', role: 'owner', password: 'sandbox-Initrode-Owner-pw-6' }],
  },
  {
    name: 'Globex', subdomain: 'globex', region: 'eu', signIn: 'two-step',
    sso: { kind: 'okta', org: 'globex', domain: 'okta-emea.com', appId: 'exk1sbxglobex0pagerduty' },
    users: [{ id: 'PSBX0G1', email: 'alice@globex.example', name: 'Alice Globex', role: 'owner', password: null }],
  },
  {
    name: 'Hooli', subdomain: 'hooli', region: 'us', signIn: 'two-step',
    sso: { kind: 'okta', org: 'hooli', domain: 'oktapreview.com', appId: 'exk1sbxhooli0pagerduty' },
    users: [{ id: 'PSBX0H1', email: 'gavin@hooli.example', name: 'Gavin Hooli', role: 'owner', password: null }],
  },
  {
    name: 'Contoso', subdomain: 'contoso', region: 'us', signIn: 'legacy',
    sso: { kind: 'azure', tenant: CONTOSO_TENANT },
    users: [{ id: 'PSBX0C1', email: 'megan@contoso.example', name: 'Megan Contoso', role: 'owner', password: null }],
  },
  {
    name: 'Fabrikam', subdomain: 'fabrikam', region: 'eu', signIn: 'two-step',
    sso: { kind: 'azure', tenant: FABRIKAM_TENANT },
    users: [{ id: 'PSBX0F1', email: 'frank@fabrikam.example', name: 'Frank Fabrikam', role: 'owner', password: null }],
  },
  {
    name: 'Umbrella', subdomain: 'umbrella', region: 'us', signIn: 'legacy',
    sso: { kind: 'okta', org: 'umbrella', domain: 'okta.com', appId: 'exk1sbxumbrella0pagerduty' },
    users: [{ id: 'PSBX0U1', email: 'alex@umbrella.example', name: 'Alex Umbrella', role: 'owner', password: null }],
  },
  {
    name: 'Vandelay', subdomain: 'vandelay', region: 'us', signIn: 'two-step',
    sso: { kind: 'okta', org: 'vandelay', domain: 'okta.com', appId: 'exk1sbxvandelay0pagerduty' },
    users: [{ id: 'PSBX0V1', email: 'art@vandelay.example', name: 'Art Vandelay', role: 'owner', password: null }],
  },
  {
    name: 'Wonka', subdomain: 'wonka', region: 'us', signIn: 'two-step',
    sso: { kind: 'okta', org: 'wonka', domain: 'oktapreview.com', appId: 'exk1sbxwonka0pagerduty' },
    users: [{ id: 'PSBX0W1', email: 'willy@wonka.example', name: 'Willy Wonka', role: 'owner', password: null }],
  },
  {
    name: 'Stark', subdomain: 'stark', region: 'eu', signIn: 'legacy',
    sso: { kind: 'okta', org: 'stark', domain: 'okta-emea.com', appId: 'exk1sbxstark0pagerduty' },
    users: [{ id: 'PSBX0S1', email: 'pepper@stark.example', name: 'Pepper Stark', role: 'owner', password: null }],
  },
  {
    name: 'Soylent', subdomain: 'soylent', region: 'us', signIn: 'legacy',
    sso: { kind: 'okta', org: 'soylent', domain: 'okta.com', appId: 'exk1sbxsoylent0pagerduty' },
    users: [{ id: 'PSBX0Y1', email: 'sol@soylent.example', name: 'Sol Soylent', role: 'owner', password: null }],
  },
  // Accounts moved to the global sign-in (identity.pagerduty.com): their /sign_in redirects there.
  {
    name: 'Cyberdyne', subdomain: 'cyberdyne', region: 'us', signIn: 'global', sso: null,
    users: [
      { id: 'PSBX0D1', email: 'owner@cyberdyne.example', name: 'Dana Owner', role: 'owner', password: 'sandbox-Cyberdyne-Owner-pw-17' },
      { id: 'PSBX0D2', email: 'responder@cyberdyne.example', name: 'Rene Responder', role: 'limited_user', password: 'sandbox-Cyberdyne-Responder-pw-18' },
    ],
  },
  {
    name: 'Oscorp', subdomain: 'oscorp', region: 'us', signIn: 'global',
    sso: { kind: 'okta', org: 'oscorp', domain: 'okta.com', appId: 'exk1sbxoscorp0pagerduty' },
    users: [{ id: 'PSBX0O1', email: 'norman@oscorp.example', name: 'Norman Oscorp', role: 'owner', password: null }],
  },
  {
    name: 'Wayne', subdomain: 'wayne', region: 'eu', signIn: 'global',
    sso: { kind: 'azure', tenant: WAYNE_TENANT },
    users: [{ id: 'PSBX0B1', email: 'bruce@wayne.example', name: 'Bruce Wayne', role: 'owner', password: null }],
  },
];

export const OKTA_ORGS: OktaOrg[] = [
  {
    org: 'acme', domain: 'okta.com', engine: 'classic', displayName: 'Acme',
    apps: [{ appId: 'exk1sbxacme0pagerduty', appName: 'pagerduty', pdSubdomain: 'acme', region: 'us' }],
    users: [{
      username: 'owner@acme.example', password: 'sandbox-Okta-Acme-pw-7', displayName: 'Olivia Owner',
      nameId: 'owner@acme.example', totpSecret: SECRET.acmeOkta, factors: ['google_otp'],
    }],
  },
  {
    org: 'globex', domain: 'okta-emea.com', engine: 'identity-engine', displayName: 'Globex',
    apps: [{ appId: 'exk1sbxglobex0pagerduty', appName: 'pagerduty', pdSubdomain: 'globex', region: 'eu' }],
    users: [{
      username: 'alice@globex.example', password: 'sandbox-Okta-Globex-pw-8', displayName: 'Alice Globex',
      nameId: 'alice@globex.example', totpSecret: SECRET.globexOkta, factors: ['okta_verify', 'google_otp'],
    }],
  },
  {
    org: 'hooli', domain: 'oktapreview.com', engine: 'classic', displayName: 'Hooli',
    apps: [{ appId: 'exk1sbxhooli0pagerduty', appName: 'pagerduty', pdSubdomain: 'hooli', region: 'us' }],
    users: [{
      username: 'gavin@hooli.example', password: 'sandbox-Okta-Hooli-pw-9', displayName: 'Gavin Hooli',
      nameId: 'gavin@hooli.example', totpSecret: SECRET.hooliOkta, factors: ['okta_verify', 'google_otp'],
    }],
  },
  // The vendor's own Sign-In Widget (npm @okta/okta-signin-widget), one org per generation and MFA entry:
  // a list of authenticators first, or Okta Verify (push) first with "Verify with something else".
  {
    org: 'umbrella', domain: 'okta.com', engine: 'identity-engine', displayName: 'Umbrella', frontEnd: 'gen2', keepMeSignedIn: true,
    apps: [{ appId: 'exk1sbxumbrella0pagerduty', appName: 'pagerduty', pdSubdomain: 'umbrella', region: 'us' }],
    users: [{
      username: 'alex@umbrella.example', password: 'sandbox-Okta-Umbrella-pw-12', displayName: 'Alex Umbrella',
      nameId: 'alex@umbrella.example', totpSecret: SECRET.umbrellaOkta, factors: ['google_otp', 'okta_verify'],
    }],
  },
  {
    org: 'vandelay', domain: 'okta.com', engine: 'identity-engine', displayName: 'Vandelay', frontEnd: 'gen3', keepMeSignedIn: true,
    apps: [{ appId: 'exk1sbxvandelay0pagerduty', appName: 'pagerduty', pdSubdomain: 'vandelay', region: 'us' }],
    users: [{
      username: 'art@vandelay.example', password: 'sandbox-Okta-Vandelay-pw-13', displayName: 'Art Vandelay',
      nameId: 'art@vandelay.example', totpSecret: SECRET.vandelayOkta, factors: ['okta_verify', 'google_otp'],
    }],
  },
  {
    org: 'wonka', domain: 'oktapreview.com', engine: 'identity-engine', displayName: 'Wonka', frontEnd: 'gen2',
    apps: [{ appId: 'exk1sbxwonka0pagerduty', appName: 'pagerduty', pdSubdomain: 'wonka', region: 'us' }],
    users: [{
      username: 'willy@wonka.example', password: 'sandbox-Okta-Wonka-pw-14', displayName: 'Willy Wonka',
      nameId: 'willy@wonka.example', totpSecret: SECRET.wonkaOkta, factors: ['okta_verify', 'google_otp'],
    }],
  },
  {
    org: 'stark', domain: 'okta-emea.com', engine: 'identity-engine', displayName: 'Stark', frontEnd: 'gen3',
    apps: [{ appId: 'exk1sbxstark0pagerduty', appName: 'pagerduty', pdSubdomain: 'stark', region: 'eu' }],
    users: [{
      username: 'pepper@stark.example', password: 'sandbox-Okta-Stark-pw-15', displayName: 'Pepper Stark',
      nameId: 'pepper@stark.example', totpSecret: SECRET.starkOkta, factors: ['google_otp', 'okta_verify'],
    }],
  },
  {
    org: 'soylent', domain: 'okta.com', engine: 'classic', displayName: 'Soylent', frontEnd: 'classic',
    apps: [{ appId: 'exk1sbxsoylent0pagerduty', appName: 'pagerduty', pdSubdomain: 'soylent', region: 'us' }],
    users: [{
      username: 'sol@soylent.example', password: 'sandbox-Okta-Soylent-pw-16', displayName: 'Sol Soylent',
      nameId: 'sol@soylent.example', totpSecret: SECRET.soylentOkta, factors: ['okta_verify', 'google_otp'],
    }],
  },
  {
    org: 'oscorp', domain: 'okta.com', engine: 'classic', displayName: 'Oscorp',
    apps: [{ appId: 'exk1sbxoscorp0pagerduty', appName: 'pagerduty', pdSubdomain: 'oscorp', region: 'us' }],
    users: [{
      username: 'norman@oscorp.example', password: 'sandbox-Okta-Oscorp-pw-19', displayName: 'Norman Oscorp',
      nameId: 'norman@oscorp.example', totpSecret: SECRET.oscorpOkta, factors: ['google_otp'],
    }],
  },
];

export const ENTRA_TENANTS: EntraTenant[] = [
  {
    tenant: CONTOSO_TENANT, displayName: 'Contoso',
    apps: [{ pdSubdomain: 'contoso', region: 'us' }],
    users: [{
      username: 'megan@contoso.example', password: 'sandbox-Entra-Contoso-pw-10', displayName: 'Megan Contoso',
      nameId: 'megan@contoso.example', totpSecret: SECRET.contosoEntra, defaultMethod: 'PhoneAppOTP',
    }],
  },
  {
    tenant: FABRIKAM_TENANT, displayName: 'Fabrikam',
    apps: [{ pdSubdomain: 'fabrikam', region: 'eu' }],
    users: [{
      username: 'frank@fabrikam.example', password: 'sandbox-Entra-Fabrikam-pw-11', displayName: 'Frank Fabrikam',
      nameId: 'frank@fabrikam.example', totpSecret: SECRET.fabrikamEntra, defaultMethod: 'PhoneAppNotification',
    }],
  },
  {
    tenant: WAYNE_TENANT, displayName: 'Wayne',
    apps: [{ pdSubdomain: 'wayne', region: 'eu' }],
    users: [{
      username: 'bruce@wayne.example', password: 'sandbox-Entra-Wayne-pw-20', displayName: 'Bruce Wayne',
      nameId: 'bruce@wayne.example', totpSecret: SECRET.wayneEntra, defaultMethod: 'PhoneAppOTP',
    }],
  },
];

export function pdHost(subdomain: string | null, region: 'us' | 'eu'): string {
  return `${subdomain ?? 'app'}.${region === 'eu' ? 'eu.' : ''}pagerduty.com`;
}

function pdUser(subdomain: string | null, region: 'us' | 'eu', email: string): PdUser {
  const account = PD_ACCOUNTS.find((a) => a.subdomain === subdomain && a.region === region);
  const user = account?.users.find((u) => u.email === email);
  if (!user) throw new Error(`sandbox data: no PagerDuty user ${email}`);
  return user;
}

function credentials(label: string, subdomain: string | null, region: 'us' | 'eu', email: string): SampleAccount {
  const user = pdUser(subdomain, region, email);
  return {
    label, loginMethod: 'credentials', region, subdomain, url: `https://${pdHost(subdomain, region)}/incidents`,
    user: user.email, password: user.password ?? '', mfaSecret: null, oktaSubdomain: null, role: user.role,
  };
}

function okta(label: string, org: string, subdomain: string, region: 'us' | 'eu'): SampleAccount {
  const o = OKTA_ORGS.find((x) => x.org === org)!;
  const user = o.users[0]!;
  return {
    label, loginMethod: 'okta', region, subdomain, url: `https://${pdHost(subdomain, region)}/incidents`,
    user: user.username, password: user.password, mfaSecret: user.totpSecret,
    // The CLI takes "acme" (meaning acme.okta.com) or the org URL for the other Okta domains.
    oktaSubdomain: o.domain === 'okta.com' ? o.org : `https://${o.org}.${o.domain}`,
    role: pdUser(subdomain, region, user.nameId).role,
  };
}

function azure(label: string, tenant: string, subdomain: string, region: 'us' | 'eu'): SampleAccount {
  const t = ENTRA_TENANTS.find((x) => x.tenant === tenant)!;
  const user = t.users[0]!;
  return {
    label, loginMethod: 'azure', region, subdomain, url: `https://${pdHost(subdomain, region)}/incidents`,
    user: user.username, password: user.password, mfaSecret: user.totpSecret, oktaSubdomain: null,
    role: pdUser(subdomain, region, user.nameId).role,
  };
}

export const SAMPLE_ACCOUNTS: SampleAccount[] = [
  credentials('us-credentials-legacy', 'acme', 'us', 'owner@acme.example'),
  credentials('us-credentials-admin', 'acme', 'us', 'admin@acme.example'),
  credentials('us-credentials-user', 'acme', 'us', 'user@acme.example'),
  credentials('eu-credentials-two-step', 'acme-eu', 'eu', 'owner@acme-eu.example'),
  credentials('us-credentials-app', null, 'us', 'owner@initech.example'),
  credentials('eu-credentials-app', null, 'eu', 'owner@initrode.example'),
  okta('us-okta-classic', 'acme', 'acme', 'us'),
  okta('eu-okta-identity-engine', 'globex', 'globex', 'eu'),
  okta('us-okta-verify-default', 'hooli', 'hooli', 'us'),
  okta('us-okta-widget-gen2-kmsi', 'umbrella', 'umbrella', 'us'),
  okta('us-okta-widget-gen3-push-first-kmsi', 'vandelay', 'vandelay', 'us'),
  okta('us-okta-widget-gen2-push-first', 'wonka', 'wonka', 'us'),
  okta('eu-okta-widget-gen3', 'stark', 'stark', 'eu'),
  okta('us-okta-widget-classic-verify-default', 'soylent', 'soylent', 'us'),
  azure('us-azure-code', CONTOSO_TENANT, 'contoso', 'us'),
  azure('eu-azure-push-default', FABRIKAM_TENANT, 'fabrikam', 'eu'),
  credentials('us-credentials-global', 'cyberdyne', 'us', 'owner@cyberdyne.example'),
  credentials('us-credentials-global-responder', 'cyberdyne', 'us', 'responder@cyberdyne.example'),
  okta('us-okta-global', 'oscorp', 'oscorp', 'us'),
  azure('eu-azure-global', WAYNE_TENANT, 'wayne', 'eu'),
];
