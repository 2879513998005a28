// Runs the built CLI as a user would (a real process), with a private config folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'bin/sspm-onboard.cjs');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Kill after this long (a test bound, not a retry). */
  killAfterMs?: number;
}

/** The environment of a CLI run: CI-like (no TTY), no stray SSPM_* values from the outer shell. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('SSPM_') && key !== 'CI') env[key] = value;
  return { ...env, NO_COLOR: '1', ...extra };
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: options.env ?? cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = options.killAfterMs ? setTimeout(() => child.kill('SIGKILL'), options.killAfterMs) : null;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export function tempDir(prefix = 'sspm-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Every file's bytes under a folder, for the no-leak search. */
export function readTree(dir: string): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push({ file: full, text: readFileSync(full).toString('latin1') });
    }
  };
  walk(dir);
  return out;
}

/** Names the first secret found in any text; undefined when clean. */
export function findLeak(texts: Array<{ where: string; text: string }>, secrets: string[]): string | undefined {
  for (const { where, text } of texts) {
    for (const secret of secrets.filter((s) => s.length >= 6)) {
      if (text.includes(secret)) return `${where} contains a known secret (${secret.slice(0, 2)}…)`;
    }
  }
  return undefined;
}
