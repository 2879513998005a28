import { describe, expect, it } from 'vitest';
import { knownDetour, mayType, redactUrl, roleOfHost, type PolicyInstance, type TypedValue } from '../../src/connect/origin-policy.js';

const credentialsUs: PolicyInstance = { subdomain: 'acme', region: 'us', loginMethod: 'credentials', okta: null };
const credentialsAppEu: PolicyInstance = { subdomain: null, region: 'eu', loginMethod: 'credentials', okta: null };
const okta: PolicyInstance = { subdomain: 'acme', region: 'us', loginMethod: 'okta', okta: { org: 'acme', domain: 'okta.com' } };
const azure: PolicyInstance = { subdomain: 'acme', region: 'eu', loginMethod: 'azure', okta: null };

describe('roleOfHost', () => {
  it.each([
    [credentialsUs, 'acme.pagerduty.com', 'pagerduty'],
    [credentialsUs, 'ACME.pagerduty.com', 'pagerduty'],
    [credentialsUs, 'identity.pagerduty.com', 'pagerduty'],
    [credentialsUs, 'evil.pagerduty.com', null],
    [credentialsUs, 'acme.eu.pagerduty.com', null],
    [credentialsUs, 'acme.pagerduty.com.evil.io', null],
    [credentialsUs, 'acme.okta.com', null],
    [credentialsAppEu, 'app.eu.pagerduty.com', 'pagerduty'],
    [credentialsAppEu, 'initrode.eu.pagerduty.com', 'pagerduty'],
    [credentialsAppEu, 'initrode.pagerduty.com', null],
    [credentialsAppEu, 'a.b.eu.pagerduty.com', null],
    [okta, 'acme.okta.com', 'okta'],
    [okta, 'evil-acme.okta.com', null],
    [okta, 'acme.oktapreview.com', null],
    [okta, 'login.microsoftonline.com', null],
    [azure, 'login.microsoftonline.com', 'entra'],
    [azure, 'acme.eu.pagerduty.com', 'pagerduty'],
    [azure, 'login.microsoftonline.com.evil.io', null],
    [azure, 'acme.okta.com', null],
    [azure, 'login-microsoftonline-com.mcas.ms', null],
    [azure, 'login.microsoftonline.com.mcas.ms', null],
  ])('%j: %s -> %s', (instance, host, role) => {
    expect(roleOfHost(host, instance)).toBe(role);
  });
});

describe('mayType', () => {
  it.each<[PolicyInstance, TypedValue, string, boolean]>([
    [credentialsUs, 'password', 'acme.pagerduty.com', true],
    [credentialsUs, 'password', 'identity.pagerduty.com', true],
    [credentialsUs, 'password', 'evil.pagerduty.com', false],
    [credentialsUs, 'user', 'acme.pagerduty.com', true],
    [credentialsUs, 'code', 'acme.pagerduty.com', false],
    [okta, 'password', 'acme.okta.com', true],
    [okta, 'password', 'acme.pagerduty.com', false],
    [okta, 'code', 'acme.okta.com', true],
    [okta, 'code', 'evil-acme.okta.com', false],
    [okta, 'user', 'acme.pagerduty.com', true],
    [okta, 'user', 'evil-acme.okta.com', false],
    [azure, 'password', 'login.microsoftonline.com', true],
    [azure, 'code', 'login.microsoftonline.com', true],
    [azure, 'password', 'acme.eu.pagerduty.com', false],
    [azure, 'subdomain', 'acme.eu.pagerduty.com', true],
  ])('%j types %s on %s: %s', (instance, value, host, allowed) => {
    expect(mayType(value, host, instance)).toBe(allowed);
  });
});

describe('knownDetour', () => {
  it.each([
    ['login-microsoftonline-com.mcas.ms', true],
    ['acme-pagerduty-com.us2.access.mcas.ms', true],
    ['login.microsoftonline.com.mcas.ms.', true],
    ['MCAS.MS', true],
    ['mcas.ms.evil.io', false],
    ['notmcas.ms', false],
    ['evil-acme.okta.com', false],
  ])('%s: named as a Defender for Cloud Apps proxy: %s', (host, named) => {
    const detour = knownDetour(host);
    expect(detour !== null).toBe(named);
    if (detour) expect(detour.cause).toMatch(/Defender for Cloud Apps/);
  });
});

describe('redactUrl', () => {
  it.each([
    ['https://login.microsoftonline.com/t/saml2?SAMLRequest=abc&x=1', 'https://login.microsoftonline.com/t/saml2'],
    ['https://acme.pagerduty.com/incidents#token=1', 'https://acme.pagerduty.com/incidents'],
    ['not a url?q=1', 'not a url'],
  ])('%s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
