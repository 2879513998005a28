// Shared by the CLI tests: the keychain as `secret-tool` sees it, unique instance names, a record of every CLI run.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runCli, type CliOptions, type CliResult } from '../helpers/cli.js';

/** True inside scripts/with-keyring.sh: a throw-away gnome-keyring on a private D-Bus session. */
export const inKeyring = process.env.SSPM_ONBOARD_TEST_KEYRING === '1' && !!process.env.DBUS_SESSION_BUS_ADDRESS;

let counter = 0;
/** Instance names are keychain accounts, and the keyring is shared by every test file of a run: keep them unique. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 7)}`;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, encoding: 'utf8', timeout: 15_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The value stored for `<instance>/<kind>` under service sspm-onboard, or null when there is none. */
export async function keychainLookup(instance: string, kind: 'password' | 'mfa-secret'): Promise<string | null> {
  const result = await run('secret-tool', ['lookup', 'service', 'sspm-onboard', 'username', `${instance}/${kind}`]);
  return result.code === 0 ? result.stdout : null;
}

/** Everything `secret-tool search --all service sspm-onboard` prints: attributes (stderr) and values (stdout). */
export async function keychainSearch(): Promise<string> {
  const result = await run('secret-tool', ['search', '--all', 'service', 'sspm-onboard']);
  return `${result.stdout}\n${result.stderr}`;
}

/** The instances in a config folder's config.json ({} when the file does not exist). */
export function configInstances(configDir: string): Record<string, unknown> {
  const file = path.join(configDir, 'config.json');
  if (!existsSync(file)) return {};
  return (JSON.parse(readFileSync(file, 'utf8')) as { instances: Record<string, unknown> }).instances;
}

/** Runs the CLI and keeps what it printed, for the no-leak search at the end of a file. */
export class RunLog {
  readonly outputs: Array<{ where: string; text: string }> = [];

  async run(args: string[], options: CliOptions = {}): Promise<CliResult> {
    const result = await runCli(args, options);
    this.record(`\`${args.join(' ')}\``, result);
    return result;
  }

  record(where: string, result: { stdout: string; stderr: string }): void {
    this.outputs.push({ where: `stdout of ${where}`, text: result.stdout }, { where: `stderr of ${where}`, text: result.stderr });
  }
}

/** Parses the one JSON object a `--json` command prints on stdout. */
export function jsonOf(result: CliResult): any {
  const lines = result.stdout.trim().split('\n');
  if (lines.length !== 1) throw new Error(`expected one line of JSON on stdout, got:\n${result.stdout}\nstderr:\n${result.stderr}`);
  return JSON.parse(lines[0]!);
}
