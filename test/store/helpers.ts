// Shared by the store tests: temp config folders and real child processes (node --import tsx).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InstanceConfig } from '../../src/core/types.js';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

export function tempConfigDir(): { dir: string; env: NodeJS.ProcessEnv; cleanup: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'sspm-store-test-'));
  const dir = path.join(root, 'config');
  return {
    dir,
    env: { ...process.env, SSPM_ONBOARD_CONFIG_DIR: dir },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

let counter = 0;
export function uniqueName(prefix = 'test'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export function sampleInstance(name: string, overrides: Partial<InstanceConfig> = {}): InstanceConfig {
  const now = '2026-01-02T03:04:05.000Z';
  return {
    name,
    subdomain: 'acme',
    region: 'us',
    loginMethod: 'credentials',
    user: 'owner@example.com',
    okta: null,
    secretStore: 'keychain',
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a TypeScript fixture in a real node process. */
export function runFixture(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<ChildResult> {
  return startFixture(script, args, env, timeoutMs).result;
}

/** Starts a fixture with a writable stdin (to release it at a chosen moment) and an output listener. */
export function startFixture(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): { child: ChildProcessWithoutNullStreams; result: Promise<ChildResult> } {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', fixture(script), ...args], { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const result = new Promise<ChildResult>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
  return { child, result };
}

/** Resolves when the child has printed `text` on stdout. */
export function waitForOutput(child: ChildProcessWithoutNullStreams, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer | string): void => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.once('close', () => reject(new Error(`child exited before printing ${text}`)));
  });
}
