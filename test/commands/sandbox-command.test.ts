// `sspm-onboard sandbox`: prints its accounts, the export line that routes later commands' browser to it and the
// commands to onboard them; those commands work as printed; `--help` lists the faults; Ctrl-C stops it.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FAULTS, parseFaults } from '../../src/sandbox/faults.js';
import { CLI, ROOT, cleanEnv, removeDir, runCli, tempDir } from '../helpers/cli.js';

function startSandboxCommand(args: string[]) {
  const child = spawn(process.execPath, [CLI, 'sandbox', ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const ready = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (pattern.test(stdout)) {
          clearInterval(timer);
          resolve();
        }
      }, 50);
      child.on('close', () => {
        clearInterval(timer);
        reject(new Error(`sandbox exited early: ${stderr}`));
      });
    });
  return { child, out: () => stdout, err: () => stderr, exited, ready };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** bash as a user's shell, without start-up files (a piped stdin can make bash read ~/.bashrc). */
function runShell(command: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['--norc', '--noprofile', '-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The one `export SSPM_ONBOARD_BROWSER_ARGS=...` line of the sandbox's output. */
function exportLineOf(stdout: string): string {
  const lines = stdout.split('\n').filter((line) => line.startsWith('export '));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^export SSPM_ONBOARD_BROWSER_ARGS='\[.*\]'$/);
  return lines[0]!;
}

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));

describe('sspm-onboard sandbox', () => {
  it('prints each sample account with a command that onboards it, and stops on Ctrl-C', async () => {
    const sandbox = startSandboxCommand([]);
    await sandbox.ready(/Press Ctrl-C to stop/);
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(sandbox.out())![1]);
    expect(await portOpen(port)).toBe(true);
    const onboardLines = sandbox.out().split('\n').filter((line) => line.trim().startsWith('Onboard:'));
    expect(onboardLines.length).toBeGreaterThanOrEqual(5);
    for (const method of ['credentials', 'okta', 'azure']) expect(onboardLines.some((l) => l.includes(`--login-method ${method}`))).toBe(true);

    // The printed command for an Okta account works as printed, after the printed export line (a one-off: --no-store).
    expect(onboardLines.every((l) => !l.includes('--browser-arg'))).toBe(true);
    const exportLine = exportLineOf(sandbox.out());
    const okta = onboardLines.find((l) => l.includes('--login-method okta'))!.replace(/^\s*Onboard:\s*/, '');
    const config = tempDir();
    dirs.push(config);
    const result = await runShell(`${exportLine}\n${okta.replace(' sspm-onboard ', ` ${process.execPath} ${CLI} `)} --no-store --json`, cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: config }));
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, loginMethod: 'okta', stored: null });

    sandbox.child.kill('SIGINT');
    expect(await sandbox.exited).toBe(0);
    expect(await portOpen(port)).toBe(false);
  });

  it('--json gives the browser flags and accounts; a bad fault name is refused', async () => {
    const sandbox = startSandboxCommand(['--json']);
    await sandbox.ready(/\}\s*$/);
    const info = JSON.parse(sandbox.out());
    expect(JSON.parse(info.env.SSPM_ONBOARD_BROWSER_ARGS)).toEqual(info.browserArgs);
    expect(info.browserArgs.some((a: string) => a.startsWith('--host-resolver-rules=') && a.includes('*.pagerduty.com'))).toBe(true);
    expect(info.browserArgs.some((a: string) => a.startsWith('--ignore-certificate-errors-spki-list='))).toBe(true);
    expect(info.accounts.length).toBeGreaterThan(0);
    sandbox.child.kill('SIGTERM');
    expect(await sandbox.exited).toBe(0);

    const bad = startSandboxCommand(['--fault', 'earthquake']);
    expect(await bad.exited).toBe(2);
    expect(bad.err()).toMatch(/earthquake/);
  });

  it('its export line, eval-ed in bash, routes later commands to it with no --browser-arg; flags and --sandbox still combine with it', async () => {
    const sandbox = startSandboxCommand([]);
    await sandbox.ready(/Press Ctrl-C to stop/);
    const exportLine = exportLineOf(sandbox.out());
    const account = { url: 'https://acme.pagerduty.com/incidents', user: 'owner@acme.example', password: 'sandbox-Acme-Owner-pw-1' };
    expect(sandbox.out()).toContain(`user: ${account.user}   password: ${account.password}`);
    const smoke = `${process.execPath} ${CLI} pagerduty test --url ${account.url} --login-method credentials --user ${account.user} --no-input --json`;
    const env = cleanEnv({ SSPM_PAGERDUTY_PASSWORD: account.password });
    try {
      // Without the export line's routing the run fails (every host unresolvable here, so nothing reaches a real one).
      const alone = await runShell(`${smoke} --timeout 20`, { ...env, SSPM_ONBOARD_BROWSER_ARGS: '--host-resolver-rules=MAP * ~NOTFOUND' });
      expect(alone.code).not.toBe(0);
      expect(alone.code).not.toBe(2);

      const routed = await runShell(`${exportLine}\n${smoke}`, env);
      expect(routed.stderr).not.toMatch(/Error/);
      expect(routed.code).toBe(0);
      expect(JSON.parse(routed.stdout)).toMatchObject({ ok: true });

      // A --browser-arg adds to the variable's flags rather than replacing them.
      const withFlag = await runShell(`${exportLine}\n${smoke} --browser-arg=--lang=de`, env);
      expect(withFlag.code).toBe(0);
    } finally {
      sandbox.child.kill('SIGINT');
    }
    expect(await sandbox.exited).toBe(0);

    // The variable still names the stopped sandbox's port; --sandbox routes this run to its own one.
    const stale = await runShell(`${exportLine}\n${smoke} --sandbox`, env);
    expect(stale.stderr).not.toMatch(/Error/);
    expect(stale.code).toBe(0);
  });

  it('--help lists every fault of the faults table with its effect, and each one listed is accepted', async () => {
    const help = await runCli(['sandbox', '--help']);
    expect(help.code).toBe(0);
    const docs = readFileSync(path.join(ROOT, 'docs/sandbox.md'), 'utf8');
    expect(FAULTS.length).toBeGreaterThanOrEqual(19);
    for (const fault of FAULTS) {
      const row = help.stdout.split('\n').find((line) => line.startsWith(`  ${fault.usage} `));
      expect(row?.replace(/^  \S+ +/, ''), fault.usage).toBe(fault.effect);
      const written = fault.usage.replace('[=<n>]', '=2').replace('<ms>', '800').replace('<+-seconds>', '+30');
      expect(parseFaults(written), written).toHaveLength(1);
      const docRow = docs.split('\n').find((line) => line.startsWith('| ') && [...'`=['].some((end) => line.includes(`\`${fault.name}${end}`)));
      expect(docRow, `docs/sandbox.md's faults table names ${fault.name}`).toBeDefined();
    }
    expect(help.stdout).toContain('export SSPM_ONBOARD_BROWSER_ARGS=');
    expect(help.stdout.split('\n').filter((line) => line.length > 80)).toEqual([]);
  });
});
