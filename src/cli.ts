// Entry point. Only commander and this file load at start-up: every command is imported lazily,
// so `--help` and `--version` never load puppeteer-core or the keychain binding.
import { Command, CommanderError } from 'commander';
import { EXIT_CODE_HELP, OnboardError, asOnboardError, exitCodeFor, formatErrorLine, toJsonDocument } from './core/errors.js';
import { addBrowserOptions, addGlobalOptions, addInstanceOptions, addStoreOptions } from './cli/options.js';
import { usageError } from './cli/usage-errors.js';
import { userBrowserArgs } from './browser/launch-args.js';
import { MFA_GUIDE_HELP } from './core/mfa-guide.js';
// The faults table is plain data (no server code): `sandbox --help` lists it without loading the sandbox.
import { faultsHelp } from './sandbox/faults.js';
import { exitGuardedRun, guardSignals } from './cli/signals.js';
import pkg from '../package.json' with { type: 'json' };
// `list` is the command scripts call most and needs no browser or keychain: loaded with the CLI, not as a chunk.
import { listCommand } from './commands/list.js';

const EXAMPLES = `
Examples:
  Interactive wizard (asks for each item, stores secrets in the OS keychain, tests the log-in):
    $ npx sspm-onboard pagerduty

  From a script (secrets from stdin or the environment, never from arguments):
    $ printf %s "$PD_PASSWORD" | sspm-onboard pagerduty add --url https://acme.pagerduty.com \\
        --login-method credentials --user owner@acme.com --password-stdin --json

  CI smoke check (nothing stored or read from the keychain; exit code says what failed):
    $ SSPM_PAGERDUTY_PASSWORD=... SSPM_PAGERDUTY_MFA_SECRET=... sspm-onboard pagerduty test \\
        --url https://acme.eu.pagerduty.com --login-method azure --user owner@acme.com --json

  Re-test every stored instance:
    $ sspm-onboard pagerduty test --all --json

${EXIT_CODE_HELP}
`;

interface GlobalState {
  debug: boolean;
  json: boolean;
}

const state: GlobalState = { debug: false, json: false };

type Action = (...args: any[]) => Promise<void>;

/** Wraps a lazily imported command so its JSON flag is known to the error handler. A command that saves or runs
 *  the browser gets its signal guard before its code loads: a Ctrl-C from the first moment exits 130 with one line. */
function lazy(load: () => Promise<Action>, interruptedLine?: (...args: unknown[]) => string): Action {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const opts = command.optsWithGlobals();
    state.json = Boolean(opts.json);
    state.debug = Boolean(opts.debug);
    // Before anything is read or started: a refused browser switch (flag or environment) is a usage error.
    if (command.options.some((option) => option.long === '--browser-arg')) userBrowserArgs(opts.browserArg, process.env);
    if (interruptedLine) guardSignals({ json: state.json, idleMessage: interruptedLine(...args) });
    const action = await load();
    await action(...args);
  };
}

export function buildProgram(): Command {
  const program = new Command('sspm-onboard')
    .description('Connect a PagerDuty account to a SaaS security posture scanner: collect, check and keep the Account Owner log-in.')
    .version(pkg.version, '-V, --version')
    .option('--debug', 'print stack traces on errors')
    .addHelpText('after', EXAMPLES)
    .hook('preAction', (thisCommand) => {
      state.debug = Boolean(thisCommand.opts().debug);
    });

  const pagerduty = program.command('pagerduty').description('onboard and manage PagerDuty instances').addHelpText('after', EXAMPLES);

  addBrowserOptions(addStoreOptions(addInstanceOptions(addGlobalOptions(
    pagerduty.command('add', { isDefault: true }).description('onboard an instance (the wizard when run in a terminal)'),
  )))).addHelpText('after', `\n${MFA_GUIDE_HELP}\n\n${EXIT_CODE_HELP}`).action(lazy(async () => (await import('./commands/add.js')).addCommand, () => 'Interrupted; nothing was saved.'));

  addGlobalOptions(pagerduty
    .command('list')
    .description('list onboarded instances with their last test result'))
    .action(lazy(async () => listCommand));

  addGlobalOptions(pagerduty
    .command('show <name>')
    .description('show one instance and where each of its secrets is stored (never the secrets)'))
    .action(lazy(async () => (await import('./commands/show.js')).showCommand));

  addBrowserOptions(addStoreOptions(addInstanceOptions(addGlobalOptions(
    pagerduty.command('update <name>').description('re-authenticate: change password, 2FA secret, user or login method'),
  ))))
    .option('--password', 'ask for a new password (in a terminal)')
    .option('--mfa-secret', 'ask for a new 2FA secret (in a terminal)')
    .action(lazy(async () => (await import('./commands/update.js')).updateCommand, (name) => `Interrupted; "${String(name)}" was left unchanged.`));

  addGlobalOptions(pagerduty
    .command('remove <name>')
    .description('remove an instance: its config entry and its stored secrets'))
    .option('--yes', 'do not ask for confirmation')
    .action(lazy(async () => (await import('./commands/remove.js')).removeCommand, () => 'Interrupted; nothing was removed.'));

  addBrowserOptions(addInstanceOptions(addGlobalOptions(
    pagerduty.command('test [names...]').description('log in with headless Chromium as the Account Owner: stored instances, --all, or flags/env only (CI smoke check)'),
  )))
    .option('--all', 'test every stored instance')
    .option('--concurrency <n>', 'instances tested at once in one browser')
    .option('--host-concurrency <n>', 'log-ins at once per PagerDuty host and per IdP org, whatever --concurrency is (default 2; env SSPM_HOST_CONCURRENCY)')
    .option('--shard <i/n>', 'test only slice i of n (stable by name), for CI matrices')
    .option('--report <format=path>', 'also write a report file: junit=<path> (JUnit XML), repeatable', (value: string, previous: string[] = []) => [...previous, value])
    .option('--require-owner', 'fail (exit 5) when the Account Owner role cannot be confirmed (env SSPM_REQUIRE_OWNER=1)')
    .addHelpText('after', `\n${EXIT_CODE_HELP}`)
    // Ctrl-C mid-test: one line (and one JSON document) before the exit hooks take the browser down.
    .action(lazy(async () => (await import('./commands/test.js')).testCommand, () => 'Interrupted; the log-in test was stopped.'));

  addGlobalOptions(pagerduty
    .command('code [name]')
    .description('print the current 2FA code and the seconds it stays valid (to finish enrolling the authenticator in Okta or Entra)'))
    .option('--mfa-secret-stdin', 'read the 2FA secret (base32 or otpauth:// URI) from stdin (or env SSPM_PAGERDUTY_MFA_SECRET)')
    .option('--mfa-secret-file <path>', 'read the 2FA secret from a file')
    .option('--mfa-secret-qr <image>', 'read the 2FA secret from a PNG or JPEG screenshot of the enrollment QR code')
    .option('--watch', 'refresh the code on the terminal until Ctrl-C')
    .addHelpText('after', `\n${MFA_GUIDE_HELP}\n\n${EXIT_CODE_HELP}`)
    .action(lazy(async () => (await import('./commands/code.js')).codeCommand));

  addGlobalOptions(program
    .command('sandbox')
    .description('run the built-in sandbox: emulated PagerDuty, Okta and Entra sign-in pages on loopback'))
    .option('--port <port>', 'port to listen on (default: any free port)')
    .option('--fault <faults>', 'fault scenarios, comma separated (also SSPM_SANDBOX_FAULT)')
    .addHelpText('after', `\n${faultsHelp()}\n\nRun the \`export SSPM_ONBOARD_BROWSER_ARGS=...\` line it prints in your shell:\nlater sspm-onboard commands then reach this sandbox with no --browser-arg.`)
    .action(lazy(async () => (await import('./commands/sandbox.js')).sandboxCommand));

  addGlobalOptions(program
    .command('doctor')
    .description('check Node, the browser, the keychain and the config folder, and print the fix for each failure'))
    .option('--browser <path>', 'browser to check')
    .action(lazy(async () => (await import('./commands/doctor.js')).doctorCommand));

  return program;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

function reportError(error: OnboardError): void {
  // The command printed nothing on stdout yet: this is its one JSON document.
  if (state.json) process.stdout.write(`${JSON.stringify(toJsonDocument(error))}\n`);
  process.stderr.write(`${formatErrorLine(error)}\n`);
  if (state.debug && error.cause instanceof Error && error.cause.stack) process.stderr.write(`${error.cause.stack}\n`);
  else if (state.debug && error.stack) process.stderr.write(`${error.stack}\n`);
}

export async function main(argv: string[]): Promise<void> {
  // A closed pipe (`| head`) is the reader's choice, not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const program = buildProgram();
  const args = argv.slice(2);
  // A usage error is found before any action runs: read the global flags from the arguments themselves.
  const beforeDashes = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  state.json = beforeDashes.includes('--json');
  state.debug = beforeDashes.includes('--debug');
  let rejectedBy: Command = program;
  const quietOnError = (command: Command) => {
    command.exitOverride();
    // Commander's own error line is replaced by ours (see usageError); help and version still print.
    command.configureOutput({ writeErr: (text) => process.stderr.write(text), outputError: () => (rejectedBy = command) });
    for (const sub of command.commands) quietOnError(sub);
  };
  quietOnError(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError && ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code)) {
      // Help and version exit 0; help shown because a command is missing is a usage error.
      process.exitCode = error.exitCode === 0 ? 0 : exitCodeFor('INVALID_INPUT');
      return;
    }
    const onboardError =
      error instanceof CommanderError
        ? usageError(error.code, error.message, { args, commandPath: commandPath(rejectedBy), pagerdutyCommands: program.commands.find((c) => c.name() === 'pagerduty')!.commands.map((c) => c.name()) })
        : asOnboardError(error);
    reportError(onboardError);
    process.exitCode = exitCodeFor(onboardError.code);
  }
  await exitGuardedRun();
}
