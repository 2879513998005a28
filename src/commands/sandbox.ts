// `sspm-onboard sandbox`: the emulated sign-in world in the foreground, with its sample accounts and the
// exact commands to onboard them. Ctrl-C stops it.
import { OnboardError } from '../core/errors.js';
import { processIo } from '../cli/io.js';
import { BROWSER_ARGS_ENV } from '../browser/launch-args.js';
import { exportLine, shellQuote } from '../core/shell.js';

function parsePort(input: string | undefined): number {
  if (input === undefined) return 0;
  const port = Number(input);
  if (!/^\d+$/.test(input) || port < 1 || port > 65535) throw new OnboardError('INVALID_INPUT', `Invalid --port "${input}": give 1-65535 (e.g. --port 8443).`);
  return port;
}

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
  // The two routing flags as SSPM_ONBOARD_BROWSER_ARGS (a JSON array: one line, exact), so the commands that
  // follow need no --browser-arg.
  const env = { [BROWSER_ARGS_ENV]: JSON.stringify(sandbox.browserArgs) };
  if (flags.json) {
    io.out(JSON.stringify({ ok: true, port: sandbox.port, spkiHash: sandbox.spkiHash, browserArgs: sandbox.browserArgs, env, accounts: sandbox.accounts }));
  } else {
    io.out(`Sandbox running on https://127.0.0.1:${sandbox.port} (PagerDuty, Okta and Entra hosts mapped here for the browser only).`);
    io.out('Route sspm-onboard\'s browser here: run this line in the shell where you use it (then no --browser-arg is needed):');
    io.out(exportLine(BROWSER_ARGS_ENV, env[BROWSER_ARGS_ENV]));
    io.out('\nSample accounts (fake credentials, valid only here; the Onboard commands need the export line above):');
    for (const account of sandbox.accounts) {
      io.out(`\n  ${account.label}: ${account.loginMethod}, ${account.region.toUpperCase()}, role ${account.role}`);
      io.out(`    URL: ${account.url}   user: ${account.user}   password: ${account.password}`);
      if (account.oktaSubdomain) io.out(`    Okta subdomain: ${account.oktaSubdomain}`);
      if (account.mfaSecret) io.out(`    2FA secret: ${account.mfaSecret}`);
      const enroll = enrollmentUrl(account);
      if (enroll) io.out(`    Enroll a new 2FA secret (in the mapped browser): ${enroll}`);
      const secrets = [`SSPM_PAGERDUTY_PASSWORD=${shellQuote(account.password)}`, account.mfaSecret ? `SSPM_PAGERDUTY_MFA_SECRET=${account.mfaSecret}` : ''].filter(Boolean).join(' ');
      const okta = account.oktaSubdomain ? ` --okta-subdomain ${account.oktaSubdomain}` : '';
      io.out(`    Onboard: ${secrets} sspm-onboard pagerduty add --url ${account.url} --login-method ${account.loginMethod} --user ${account.user}${okta} --no-input`);
    }
    io.out('\nPress Ctrl-C to stop.');
  }
  await stopped;
  await sandbox.close();
  io.info('Sandbox stopped.');
}
