// Pure: the environment a child process (Chromium, the keychain helper) gets. Every process can read its own
// environment and any same-user process can read /proc/<pid>/environ, so a secret handed down there outlives
// its use and is exposed to whatever the browser starts. Children get the parent's environment minus the
// variables that carry secrets.

type Env = Record<string, string | undefined>;

/** The variables through which this tool accepts secrets (see the README's flag table). */
export const SECRET_ENV_NAMES: readonly string[] = ['SSPM_PAGERDUTY_PASSWORD', 'SSPM_PAGERDUTY_MFA_SECRET', 'SSPM_ONBOARD_PASSPHRASE'];

// Proxy variables may carry the proxy's password (https://user:pass@proxy:3128). The browser is given the
// proxy by --proxy-server and answers the challenge through the DevTools pipe, so it never needs them.
const PROXY_ENV_NAMES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];

/** True when a proxy URL has user info before its host ("user:pass@host"), with or without a scheme. */
export function proxyHasCredentials(value: string): boolean {
  const afterScheme = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authority = afterScheme.split(/[/?#]/, 1)[0] ?? '';
  return authority.includes('@');
}

/** A copy of `env` without secret-carrying variables (and without proxy URLs that hold credentials). */
export function childEnv(env: Env): Env {
  const out: Env = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || SECRET_ENV_NAMES.includes(name)) continue;
    if (PROXY_ENV_NAMES.includes(name) && proxyHasCredentials(value)) continue;
    out[name] = value;
  }
  return out;
}
