// Output for people (issue 10, point 6): `list` fits 80 columns with relative times (JSON keeps ISO times), help
// names each choice once and no empty default, and commander's usage errors wear our one error style.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, removeDir, runCli, tempDir } from '../helpers/cli.js';

const root = tempDir('sspm-cli-output-');
afterAll(() => removeDir(root));

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function configWith(instances: Array<Record<string, unknown>>): string {
  const dir = path.join(root, `config-${Math.random().toString(36).slice(2)}`);
  mkdirSync(dir, { mode: 0o700 });
  const created = new Date(Date.now() - 40 * DAY).toISOString();
  const entries = Object.fromEntries(
    instances.map((i) => [i.name, { subdomain: null, region: 'us', loginMethod: 'credentials', okta: null, secretStore: 'keychain', createdAt: created, updatedAt: created, ...i }]),
  );
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ version: 1, instances: entries }), { mode: 0o600 });
  return dir;
}

describe('pagerduty list', () => {
  const okAt = new Date(Date.now() - 2 * HOUR - 5 * 60_000).toISOString();
  const failedAt = new Date(Date.now() - 3 * DAY - HOUR).toISOString();
  const dir = configWith([
    { name: 'acme', subdomain: 'acme', user: 'owner@acme.com', lastTest: { at: okAt, ok: true, owner: 'verified', durationMs: 1400 } },
    {
      name: 'globex-production-europe',
      subdomain: 'globex-production',
      region: 'eu',
      loginMethod: 'okta',
      okta: { org: 'globex', domain: 'okta-emea.com' },
      user: 'pagerduty-account-owner@globex-corporation.example',
      lastTest: { at: failedAt, ok: false, owner: 'unverified', errorCode: 'LOGIN_REJECTED', durationMs: 900 },
    },
    { name: 'initech', loginMethod: 'azure', user: 'megan@initech.example' },
  ]);

  it('fits 80 columns and says how long ago each instance was tested', async () => {
    const run = await runCli(['pagerduty', 'list'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir }) });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines[1]).toMatch(/^acme\s.*\sok 2 h ago$/);
    expect(lines[2]).toMatch(/^globex-.*\sFAILED 3 d ago: LOGIN_REJECTED$/);
    expect(lines[3]).toMatch(/^initech\s.*\bazure\s.*\snever tested$/);
  });

  it('--json keeps the ISO times', async () => {
    const run = await runCli(['pagerduty', 'list', '--json'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir }) });
    expect(run.code, run.stderr).toBe(0);
    const list = JSON.parse(run.stdout) as Array<{ name: string; lastTest: { at: string } | null }>;
    expect(list.map((i) => [i.name, i.lastTest?.at ?? null])).toEqual([
      ['acme', okAt],
      ['globex-production-europe', failedAt],
      ['initech', null],
    ]);
  });
});

describe('help', () => {
  const COMMANDS = [[], ['pagerduty'], ['pagerduty', 'add'], ['pagerduty', 'update'], ['pagerduty', 'test'], ['pagerduty', 'list'], ['pagerduty', 'show'], ['pagerduty', 'remove'], ['pagerduty', 'code'], ['sandbox'], ['doctor']];

  it.each(COMMANDS.map((c) => [c.join(' ') || '(top)', c]))('%s --help: each choice once, no empty default', async (_label, command) => {
    const run = await runCli([...(command as string[]), '--help'], { env: cleanEnv() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toMatch(/\(default: \[\]\)/);
    expect(run.stdout).not.toMatch(/\(choices:/);
    expect(run.stdout).not.toMatch(/"US"|"EU"/);
  });

  it('add --help names the choices in the value: --region <us|eu>, --login-method <credentials|okta|azure>, --secret-store <keychain|file>', async () => {
    const run = await runCli(['pagerduty', 'add', '--help'], { env: cleanEnv() });
    const flat = run.stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('--region <us|eu>');
    expect(flat).toContain('--login-method <credentials|okta|azure>');
    expect(flat).toContain('--secret-store <keychain|file>');
    expect(flat).toContain('--timeout <seconds> bound, in seconds, on each instance\'s log-in test; default 60');
  });
});

describe('one error style', () => {
  it.each([
    [['pagerduty', 'test', '--region', 'xx'], /^Error: Invalid --region "xx": use us or eu/],
    [['pagerduty', 'test', '--bogus'], /^Error: Unknown option '--bogus'\. See: sspm-onboard pagerduty test --help$/],
    [['pagerduty', 'show'], /^Error: Missing required argument 'name'\. See: sspm-onboard pagerduty show --help$/],
    [['pagerduty', 'add', '--timeout'], /^Error: Option '--timeout <seconds>' argument missing\. See: sspm-onboard pagerduty add --help$/],
    [['frobnicate'], /^Error: Unknown command 'frobnicate'\. See: sspm-onboard --help$/],
  ])('%j: one line with our prefix and the fix', async (args, expected) => {
    const run = await runCli(args, { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: path.join(root, 'none'), SSPM_PAGERDUTY_PASSWORD: 'x', CI: '1' }) });
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(expected);
    expect(run.stderr).not.toMatch(/^error:/m);
  });
});
