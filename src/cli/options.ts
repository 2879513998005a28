// The option sets shared by add, update and test, declared once. Choices are named once, in the value's
// placeholder (`<us|eu>`), and validated by our parsers (case-insensitive, with the fix) rather than by commander,
// whose help would list them again; no default is declared here, so help never shows `(default: [])`.
import type { Command } from 'commander';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function addInstanceOptions(command: Command): Command {
  return command
    .option('--name <name>', 'instance name (default: the subdomain, else pagerduty-us / pagerduty-eu)')
    .option('--url <url>', 'any PagerDuty URL of the account; subdomain and region are derived from it (env SSPM_PAGERDUTY_URL)')
    .option('--subdomain <subdomain>', 'personalized PagerDuty subdomain (acme in acme.pagerduty.com); "" for none (env SSPM_PAGERDUTY_SUBDOMAIN)')
    .option('--region <us|eu>', 'service region; us when only a subdomain is given (env SSPM_PAGERDUTY_REGION)')
    .option('--login-method <credentials|okta|azure>', 'how the Account Owner signs in; azure is Microsoft Entra ID (env SSPM_PAGERDUTY_LOGIN_METHOD)')
    .option('--user <user>', 'Account Owner email, or IdP username for okta/azure (env SSPM_PAGERDUTY_USER)')
    .option('--password-stdin', 'read the password from stdin (or env SSPM_PAGERDUTY_PASSWORD)')
    .option('--okta-subdomain <org>', 'Okta org: acme, or https://acme.okta.com (env SSPM_PAGERDUTY_OKTA_SUBDOMAIN)')
    .option('--mfa-secret-stdin', 'read the 2FA secret (base32 or otpauth:// URI) from stdin (or env SSPM_PAGERDUTY_MFA_SECRET)')
    .option('--mfa-secret-file <path>', 'read the 2FA secret from a file')
    .option('--mfa-secret-qr <image>', 'read the 2FA secret from a PNG or JPEG screenshot of the enrollment QR code')
    .option('--yes', 'assume yes to confirmations');
}

export function addStoreOptions(command: Command): Command {
  return command
    .option('--secret-store <keychain|file>', 'where secrets go: the OS keychain (default), or an encrypted file (passphrase from SSPM_ONBOARD_PASSPHRASE)')
    .option('--no-store', 'store nothing (a one-off check)')
    .option('--dry-run', 'validate and print the resolved instance; touch no keychain, config or browser')
    .option('--no-test', 'do not run the browser log-in test before storing');
}

export function addBrowserOptions(command: Command): Command {
  return command
    .option('--browser <path>', 'Chromium-based browser to use (also SSPM_ONBOARD_BROWSER, PUPPETEER_EXECUTABLE_PATH)')
    .option('--browser-arg <arg>', 'extra Chromium flag, repeatable (--browser-arg=--flag=value); also SSPM_ONBOARD_BROWSER_ARGS (one flag per line)', collect)
    .option('--timeout <seconds>', 'bound, in seconds, on each instance\'s log-in test; default 60')
    .option('--debug-dir <dir>', 'on failure, save redacted screenshots, the step log and the final URL here')
    .option('--sandbox', 'start the built-in sandbox for this run and route the browser to it');
}

/** The flags every command accepts, so scripts can pass them uniformly. */
export function addGlobalOptions(command: Command): Command {
  return command
    .option('--json', 'print exactly one JSON document on stdout, also on failure (shapes: README)')
    .option('--no-input', 'never prompt; fail naming the missing flag')
    .option('--debug', 'print stack traces on errors');
}
