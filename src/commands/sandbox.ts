// `sspm-onboard sandbox`: the emulated sign-in world in the foreground, with its sample accounts and the
// exact commands to onboard them. Ctrl-C stops it.
import { OnboardError } from '../core/errors.js';
import { processIo } from '../cli/io.js';

function parsePort(input: string | undefined): number {
  if (input === undefined) return 0;
  const port = Number(input);
  if (!/^\d+$/.test(input) || port < 1 || port > 65535) throw new OnboardError('INVALID_INPUT', `Invalid --port "${input}": give 1-65535 (e.g. --port 8443).`);
  return port;
}

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export async function sandboxCommand(flags: { port?: string; fault?: string; json?: boolean }): Promise<void> {
  const io = processIo();
  const { startSandbox, parseFaults, sandboxFaultsFromEnv, enrollmentUrl } = await import('../sandbox/index.js');
  const faults = flags.fault !== undefined ? parseFaults(flags.fault) : sandboxFaultsFromEnv(io.env);
  const sandbox = await startSandbox({ port: parsePort(flags.port), faults });
  // Listen for Ctrl-C before printing: a person (or a script) may stop it as soon as the details appear.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const browserArgFlags = sandbox.browserArgs.map((arg: string) => `--browser-arg=${shellQuote(arg)}`).join(' ');
  if (flags.json) {
    io.out(JSON.stringify({ ok: true, port: sandbox.port, spkiHash: sandbox.spkiHash, browserArgs: sandbox.browserArgs, accounts: sandbox.accounts }));
  } else {
    io.out(`Sandbox running on https://127.0.0.1:${sandbox.port} (PagerDuty, Okta and Entra hosts mapped here for the browser only).`);
    io.out('Sample accounts (fake credentials, valid only here):');
    for (const account of sandbox.accounts) {
      io.out(`\n  ${account.label}: ${account.loginMethod}, ${account.region.toUpperCase()}, role ${account.role}`);
      io.out(`    URL: ${account.url}   user: ${account.user}   password: ${account.password}`);
      if (account.oktaSubdomain) io.out(`    Okta subdomain: ${account.oktaSubdomain}`);
      if (account.mfaSecret) io.out(`    2FA secret: ${account.mfaSecret}`);
      const enroll = enrollmentUrl(account);
      if (enroll) io.out(`    Enroll a new 2FA secret (in the mapped browser): ${enroll}`);
      const env = [`SSPM_PAGERDUTY_PASSWORD=${shellQuote(account.password)}`, account.mfaSecret ? `SSPM_PAGERDUTY_MFA_SECRET=${account.mfaSecret}` : ''].filter(Boolean).join(' ');
      const okta = account.oktaSubdomain ? ` --okta-subdomain ${account.oktaSubdomain}` : '';
      io.out(`    Onboard: ${env} sspm-onboard pagerduty add --url ${account.url} --login-method ${account.loginMethod} --user ${account.user}${okta} --no-input ${browserArgFlags}`);
    }
    io.out('\nPress Ctrl-C to stop.');
  }
  await stopped;
  await sandbox.close();
  io.info('Sandbox stopped.');
}
