// SSPM_ONBOARD_BROWSER_ARGS through the built CLI: a switch that would open the browser to other processes, or a
// value that cannot be read, ends the run with exit 2 and one line naming the variable, before any browser starts.
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, removeDir, runCli, tempDir } from '../helpers/cli.js';

const root = tempDir('sspm-browser-args-env-');
afterAll(() => removeDir(root));
let count = 0;

const SMOKE = ['pagerduty', 'test', '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'owner@acme.com', '--no-input', '--timeout', '5'];
const PASSWORD = 'pw-browser-args-env-1';

async function run(value: string, extra: string[] = []) {
  const tmp = path.join(root, `tmp-${++count}`);
  mkdirSync(tmp);
  const result = await runCli([...SMOKE, ...extra], { env: cleanEnv({ TMPDIR: tmp, SSPM_PAGERDUTY_PASSWORD: PASSWORD, SSPM_ONBOARD_BROWSER_ARGS: value }) });
  return { ...result, tmpFiles: readdirSync(tmp) };
}

describe('SSPM_ONBOARD_BROWSER_ARGS through the CLI', () => {
  it.each([
    ['--remote-debugging-port=9222', '--lang=en\n--remote-debugging-port=9222'],
    ['--remote-debugging-address=0.0.0.0', '["--remote-debugging-address=0.0.0.0"]'],
    ['--remote-allow-origins=*', '--remote-allow-origins=*'],
    ['--user-data-dir=/tmp/profile', '["--lang=en", "--user-data-dir=/tmp/profile"]'],
  ])('%s in the variable is refused with exit 2 and why, before any browser starts', async (arg, value) => {
    const result = await run(value);
    expect(result.code).toBe(2);
    const lines = result.stderr.split('\n').filter((line) => line !== '');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toContain(`SSPM_ONBOARD_BROWSER_ARGS "${arg}" is refused`);
    expect(lines[0]).toMatch(/drive the signed-in browser|session cookies/);
    expect(result.tmpFiles).toEqual([]);
    expect(result.stderr).not.toContain(PASSWORD);
  });

  it('with --json: one JSON document with the error code and the fix', async () => {
    const result = await run('--remote-debugging-port=9222', ['--json']);
    expect(result.code).toBe(2);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('SSPM_ONBOARD_BROWSER_ARGS'), fix: expect.stringContaining('SSPM_ONBOARD_BROWSER_ARGS') } });
  });

  it('a value that cannot be read (broken JSON, two flags on a line) is exit 2 naming the variable and the form it takes', async () => {
    for (const value of ['["--lang=en",', '--lang=en --window-size=800,600']) {
      const result = await run(value);
      expect(result.code, value).toBe(2);
      expect(result.stderr).toMatch(/^Error: SSPM_ONBOARD_BROWSER_ARGS .*(not valid JSON|more than one flag)/);
      expect(result.stderr).toMatch(/line|JSON array/);
      expect(result.tmpFiles).toEqual([]);
    }
  });

  it('the --dry-run of add checks it too, as it checks --browser-arg', async () => {
    const result = await runCli(['pagerduty', 'add', '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'owner@acme.com', '--no-input', '--dry-run'], {
      env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: path.join(root, 'config'), SSPM_PAGERDUTY_PASSWORD: PASSWORD, SSPM_ONBOARD_BROWSER_ARGS: '--user-data-dir=/tmp/x' }),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('SSPM_ONBOARD_BROWSER_ARGS "--user-data-dir=/tmp/x" is refused');
  });
});
