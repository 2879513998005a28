import { describe, expect, it } from 'vitest';
import { SECRET_ENV_NAMES, childEnv, proxyHasCredentials } from '../../src/core/child-env.js';
import { ENV } from '../../src/cli/inputs.js';
import { PASSPHRASE_ENV } from '../../src/store/file-store.js';

describe('childEnv', () => {
  it('covers every variable the tool reads a secret from', () => {
    expect(SECRET_ENV_NAMES).toEqual(expect.arrayContaining([ENV.password, ENV.mfaSecret, PASSPHRASE_ENV]));
  });

  it.each([
    ['SSPM_PAGERDUTY_PASSWORD', 'pw', false],
    ['SSPM_PAGERDUTY_MFA_SECRET', 'JBSWY3DP', false],
    ['SSPM_ONBOARD_PASSPHRASE', 'pass', false],
    ['SSPM_PAGERDUTY_USER', 'jane@acme.com', true],
    ['PATH', '/usr/bin', true],
    ['HTTPS_PROXY', 'http://proxy:3128', true],
    ['HTTPS_PROXY', 'http://u:p@proxy:3128', false],
    ['https_proxy', 'u:p@proxy:3128', false],
    ['ALL_PROXY', 'socks5://u@proxy:1080', false],
    ['NO_PROXY', 'a@b', true],
  ])('%s=%s is passed on: %s', (name, value, kept) => {
    expect(name in childEnv({ [name]: value })).toBe(kept);
  });

  it.each([
    ['http://proxy:3128/a@b', false],
    ['proxy:3128', false],
    ['http://user:pw@proxy', true],
    ['user@proxy', true],
  ])('proxyHasCredentials(%s) = %s', (value, expected) => {
    expect(proxyHasCredentials(value)).toBe(expected);
  });
});
