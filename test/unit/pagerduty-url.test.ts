import { describe, expect, it } from 'vitest';
import { OnboardError } from '../../src/core/errors.js';
import { pagerDutyHost, parsePagerDutyUrl, reconcileLocation } from '../../src/core/pagerduty-url.js';
import { errorOf } from '../helpers/errors.js';


describe('parsePagerDutyUrl accepts', () => {
  it.each([
    ['https://acme.eu.pagerduty.com/x', 'acme', 'eu'],
    ['acme.pagerduty.com', 'acme', 'us'],
    ['app.pagerduty.com', null, 'us'],
    ['app.eu.pagerduty.com', null, 'eu'],
    ['europa.pagerduty.com', 'europa', 'us'],
    ['acme-eu.pagerduty.com', 'acme-eu', 'us'],
    ['acme.pagerduty.com/eu/incidents', 'acme', 'us'],
    ['https://acme.pagerduty.com', 'acme', 'us'],
    ['https://acme.pagerduty.com/', 'acme', 'us'],
    ['HTTPS://ACME.PAGERDUTY.COM', 'acme', 'us'],
    ['https://Acme.EU.PagerDuty.com/incidents', 'acme', 'eu'],
    ['  https://acme.pagerduty.com  ', 'acme', 'us'],
    ['\tacme.pagerduty.com\n', 'acme', 'us'],
    ['https://acme.pagerduty.com/incidents?status=open#top', 'acme', 'us'],
    ['acme.pagerduty.com?eu=1', 'acme', 'us'],
    ['acme.pagerduty.com#eu', 'acme', 'us'],
    ['https://acme.pagerduty.com:443/x', 'acme', 'us'],
    ['acme.pagerduty.com:443', 'acme', 'us'],
    ['https://acme.pagerduty.com./', 'acme', 'us'],
    ['//acme.eu.pagerduty.com', 'acme', 'eu'],
    ['https://app.pagerduty.com/sign_in', null, 'us'],
    ['https://app.eu.pagerduty.com/sign_in', null, 'eu'],
    ['https://a1.pagerduty.com', 'a1', 'us'],
    ['https://1.pagerduty.com', '1', 'us'],
    ['https://eu1.pagerduty.com', 'eu1', 'us'],
    ['https://euro-acme.eu.pagerduty.com', 'euro-acme', 'eu'],
    [`https://${'a'.repeat(63)}.pagerduty.com`, 'a'.repeat(63), 'us'],
    ['https://acme.pagerduty.com/https://evil.eu.pagerduty.com', 'acme', 'us'],
  ] as const)('%j → %s/%s', (input, subdomain, region) => {
    const result = parsePagerDutyUrl(input);
    expect(result).toEqual({ subdomain, region, host: pagerDutyHost(subdomain, region) });
  });
});

describe('parsePagerDutyUrl refuses', () => {
  it.each([
    ['pagerduty.com.evil.io', /not a PagerDuty address/],
    ['https://pagerduty.com.evil.io', /not a PagerDuty address/],
    ['evilpagerduty.com', /not a PagerDuty address/],
    ['https://acme.evilpagerduty.com', /not a PagerDuty address/],
    ['acme.pagerduty.com@evil.io', /user name or password/],
    ['https://acme.pagerduty.com@evil.io', /user name or password/],
    ['https://user:pw@acme.pagerduty.com', /user name or password/],
    ['https://@acme.pagerduty.com', /user name or password/],
    ['https://acme.pagerduty.com:8443', /port 8443/],
    ['acme.pagerduty.com:80', /port 80/],
    ['http://acme.pagerduty.com:443', /only https:\/\/ addresses are accepted, not http:/],
    ['http://acme.pagerduty.com', /only https:\/\/ addresses are accepted, not http:/],
    ['HTTP://acme.pagerduty.com:80/x', /only https:\/\/ addresses are accepted, not http:/],
    ['ftp://acme.pagerduty.com', /only https/],
    ['javascript:alert(1)', /only https/],
    ['file:///etc/passwd', /only https/],
    ['mailto:jane@acme.pagerduty.com', /only https/],
    ['acme_1.pagerduty.com', /not valid/],
    ['-acme.pagerduty.com', /not valid/],
    ['acme-.pagerduty.com', /not valid/],
    [`${'a'.repeat(64)}.pagerduty.com`, /not valid|not a web address/],
    ['.pagerduty.com', /not valid|not a web address/],
    ['pagerduty.com', /pagerduty\.com alone/],
    ['https://pagerduty.com/acme', /pagerduty\.com alone/],
    ['www.pagerduty.com', /PagerDuty site/],
    ['identity.pagerduty.com', /PagerDuty site/],
    ['eu.pagerduty.com', /PagerDuty site/],
    ['www.eu.pagerduty.com', /PagerDuty site/],
    ['a.b.pagerduty.com', /not a PagerDuty account address/],
    ['acme.us.pagerduty.com', /not a PagerDuty account address/],
    ['x.acme.eu.pagerduty.com', /not a PagerDuty account address/],
    ['https://evil.io/acme.pagerduty.com', /not a PagerDuty address/],
    ['https://evil.io?acme.eu.pagerduty.com', /not a PagerDuty address/],
    ['https://evil.io#@acme.pagerduty.com', /not a PagerDuty address/],
    ['https://acme.pagerduty.co', /not a PagerDuty address/],
    ['https://eu.pagerduty.com.pagerduty.com', /not a PagerDuty account address/],
    ['acme pagerduty.com', /spaces/],
    ['https://acme.pager\nduty.com', /control characters|spaces/],
    ['https://bücher.pagerduty.com', /non-ASCII/],
    ['', /empty/],
    ['   ', /empty/],
    ['https://', /not a web address|no host/],
    ['https://127.0.0.1', /not a PagerDuty address/],
    ['https://[::1]', /not a PagerDuty address/],
  ] as const)('%j', (input, pattern) => {
    const error = errorOf(() => parsePagerDutyUrl(input));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(pattern);
    expect(error.message).toMatch(/^Invalid --url|^Missing --url/);
    expect(error.message).toContain('(e.g. ');
    expect(error.message).not.toMatch(/\n/);
  });

  it('never echoes user info (it may hold a password)', () => {
    const error = errorOf(() => parsePagerDutyUrl('https://jane:hunter2@acme.pagerduty.com'));
    expect(error.message).not.toContain('hunter2');
  });

  it('names the field it is given', () => {
    expect(errorOf(() => parsePagerDutyUrl('evil.io', 'URL')).message).toMatch(/^Invalid URL "evil\.io"/);
  });

  it('quotes long or odd input on one line', () => {
    const message = errorOf(() => parsePagerDutyUrl(`https://evil.io/${'x'.repeat(500)}`)).message;
    expect(message.length).toBeLessThan(400);
  });
});

describe('pagerDutyHost', () => {
  it.each([
    ['acme', 'us', 'acme.pagerduty.com'],
    ['acme', 'eu', 'acme.eu.pagerduty.com'],
    [null, 'us', 'app.pagerduty.com'],
    [null, 'eu', 'app.eu.pagerduty.com'],
  ] as const)('%s/%s → %s', (subdomain, region, host) => {
    expect(pagerDutyHost(subdomain, region)).toBe(host);
  });

  it('refuses an invalid subdomain', () => {
    expect(() => pagerDutyHost('evil.io/x', 'us')).toThrow(OnboardError);
  });
});

describe('reconcileLocation', () => {
  it.each([
    [{}, undefined, undefined],
    [{ url: 'acme.eu.pagerduty.com' }, 'acme', 'eu'],
    [{ url: 'app.pagerduty.com' }, null, 'us'],
    [{ subdomain: 'Acme' }, 'acme', undefined],
    [{ subdomain: '' }, null, undefined],
    [{ region: 'EU' }, undefined, 'eu'],
    [{ subdomain: 'acme', region: 'eu' }, 'acme', 'eu'],
    [{ url: 'acme.eu.pagerduty.com', subdomain: 'acme' }, 'acme', 'eu'],
    [{ url: 'acme.eu.pagerduty.com', region: 'eu' }, 'acme', 'eu'],
    [{ url: 'acme.eu.pagerduty.com', subdomain: 'ACME', region: 'EU' }, 'acme', 'eu'],
    [{ url: 'app.eu.pagerduty.com', subdomain: '' }, null, 'eu'],
    [{ url: 'app.pagerduty.com', subdomain: 'app' }, null, 'us'],
  ])('%j → %s/%s', (opts, subdomain, region) => {
    expect(reconcileLocation(opts)).toEqual({ subdomain, region });
  });

  it.each([
    [{ url: 'acme.pagerduty.com', subdomain: 'globex' }, '--url says subdomain "acme" but --subdomain is "globex"; drop one of them.'],
    [{ url: 'app.pagerduty.com', subdomain: 'globex' }, '--url says no subdomain but --subdomain is "globex"; drop one of them.'],
    [{ url: 'acme.pagerduty.com', subdomain: '' }, '--url says subdomain "acme" but --subdomain is empty (no subdomain); drop one of them.'],
    [{ url: 'acme.pagerduty.com', region: 'eu' }, '--url says region "us" but --region is "eu"; drop one of them.'],
    [{ url: 'acme.eu.pagerduty.com', region: 'us' }, '--url says region "eu" but --region is "us"; drop one of them.'],
  ])('%j is a contradiction', (opts, message) => {
    const error = errorOf(() => reconcileLocation(opts));
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toBe(message);
  });

  it.each([
    [{ url: 'evil.io' }, /^Invalid --url/],
    [{ subdomain: 'acme_1' }, /^Invalid --subdomain "acme_1"/],
    [{ region: 'asia' }, /^Invalid --region "asia"/],
    [{ url: '' }, /^Missing --url/],
  ])('%j is invalid', (opts, pattern) => {
    expect(errorOf(() => reconcileLocation(opts)).message).toMatch(pattern);
  });
});
