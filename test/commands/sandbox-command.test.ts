// `sspm-onboard sandbox`: prints its accounts and the commands to onboard them; those commands work; Ctrl-C stops it.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, removeDir, tempDir } from '../helpers/cli.js';

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

function runShell(command: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
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

    // The printed command for an Okta account works as printed (a one-off: --no-store).
    const okta = onboardLines.find((l) => l.includes('--login-method okta'))!.replace(/^\s*Onboard:\s*/, '');
    const config = tempDir();
    dirs.push(config);
    const result = await runShell(`${okta.replace(' sspm-onboard ', ` ${process.execPath} ${CLI} `)} --no-store --json`, cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: config }));
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
    expect(info.browserArgs.some((a: string) => a.startsWith('--host-resolver-rules=') && a.includes('*.pagerduty.com'))).toBe(true);
    expect(info.browserArgs.some((a: string) => a.startsWith('--ignore-certificate-errors-spki-list='))).toBe(true);
    expect(info.accounts.length).toBeGreaterThan(0);
    sandbox.child.kill('SIGTERM');
    expect(await sandbox.exited).toBe(0);

    const bad = startSandboxCommand(['--fault', 'earthquake']);
    expect(await bad.exited).toBe(2);
    expect(bad.err()).toMatch(/earthquake/);
  });
});
