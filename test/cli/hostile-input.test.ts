// Issue 9: hostile or careless input through the built CLI (points 4, 6, 7, 8). Each test is what a user would
// see: the exit code, one line on stderr that names the problem, and what was (not) written.
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, removeDir, runCli, tempDir } from '../helpers/cli.js';

const root = tempDir('sspm-hostile-');
afterAll(() => removeDir(root));

let count = 0;
function freshDir(label: string): string {
  count += 1;
  return path.join(root, `${label}-${count}`);
}

/** Exactly one line on stderr (the error and its fix), nothing else. */
function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines, stderr).toHaveLength(1);
  return lines[0]!;
}

const SMOKE = ['pagerduty', 'test', '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'owner@acme.com', '--no-input', '--timeout', '5'];

describe('--browser-arg that opens the browser to other processes (point 8)', () => {
  it.each([
    '--remote-debugging-port=9222',
    '--remote-debugging-address=0.0.0.0',
    '--remote-allow-origins=*',
    '--user-data-dir=/tmp/profile',
    '-remote-debugging-port=9222',
  ])('%s is refused with exit 2 and why, before any browser starts', async (arg) => {
    const tmp = freshDir('tmp');
    mkdirSync(tmp);
    const run = await runCli([...SMOKE, `--browser-arg=${arg}`], { env: cleanEnv({ TMPDIR: tmp, SSPM_PAGERDUTY_PASSWORD: 'pw-browser-arg-1' }) });
    expect(run.code).toBe(2);
    const line = oneLine(run.stderr);
    expect(line).toContain(`--browser-arg "${arg}" is refused`);
    expect(line).toMatch(/drive the signed-in browser|session cookies/);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
