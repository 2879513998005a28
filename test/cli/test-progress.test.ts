// `test --all` on a terminal (tmux): one live line per instance, redrawn in place, instead of a line per step of
// every instance interleaved; off without a terminal and with --json. Then one result line per instance.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { CLI, cleanEnv, removeDir, runCli, tempDir } from '../helpers/cli.js';
import { Terminal, shellQuote } from '../helpers/terminal.js';

// Four accounts on four PagerDuty hosts, so all four log in at once (at most 2 at once per host).
const LABELS = { acme: 'us-credentials-legacy', 'acme-eu': 'eu-credentials-two-step', initech: 'us-credentials-app', initrode: 'eu-credentials-app' };
const NAMES = Object.keys(LABELS);

let sandbox: SandboxHandle;
let work: string;
let env: NodeJS.ProcessEnv;
const terminals: Terminal[] = [];

beforeAll(async () => {
  // Slow pages: each step lasts long enough to be seen on the screen.
  sandbox = await startSandbox({ faults: [{ slowMs: 700 }] });
  work = tempDir('sspm-cli-progress-');
  env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: path.join(work, 'config'), SSPM_ONBOARD_PASSPHRASE: 'test-progress-passphrase', TMPDIR: work });
  for (const [name, label] of Object.entries(LABELS)) {
    const account = sandbox.accounts.find((a) => a.label === label)!;
    const added = await runCli(
      ['pagerduty', 'add', '--name', name, '--url', account.url, '--login-method', 'credentials', '--user', account.user, '--no-test', '--no-input', '--secret-store', 'file'],
      { env: { ...env, SSPM_PAGERDUTY_PASSWORD: account.password } },
    );
    expect(added.code, added.stderr).toBe(0);
  }
});

afterEach(async () => {
  for (const terminal of terminals.splice(0)) await terminal.kill();
});

afterAll(async () => {
  await sandbox?.close();
  removeDir(work);
});

const testAll = (extra: string[] = []) => ['pagerduty', 'test', '--all', '--concurrency', '4', ...sandbox.browserArgs.map((a) => `--browser-arg=${a}`), ...extra];

/** Lines of the screen (scroll-back included) that name the instance at their start, after a status symbol. */
const linesOf = (screen: string, name: string) => screen.split('\n').filter((line) => new RegExp(`^\\S ${name}\\s`).test(line));

describe('test --all progress', () => {
  it('on a terminal: one line per instance, updated in place, then one result line each', async () => {
    const term = await Terminal.start([process.execPath, CLI, ...testAll()], { env, width: 100, height: 40 });
    terminals.push(term);
    const seen = new Set<string>();
    // Looks every half second while it runs: never more than one line per instance, the scroll-back included.
    const until = Date.now() + 90_000;
    for (let look = 0; Date.now() < until && (await term.exitCode()) === null; look += 1) {
      const screen = await term.waitForText(/of 4 done|passed\.$/m, 60_000);
      if (process.env.PROGRESS_DEBUG) console.log(`--- look ${look}\n${screen}`);
      if (!/of 4 done/.test(screen)) break;
      for (const name of NAMES) {
        const lines = linesOf(screen, name);
        expect(lines.length, `${name} on:\n${screen}`).toBeLessThanOrEqual(1);
        for (const line of lines) seen.add(line.replace(/\(\d+ s\)/, '').replace(/^\S/, ''));
      }
      expect(screen.match(/of 4 done/g), screen).toHaveLength(1);
      // A step line of the plain display ("ok   Open the PagerDuty sign-in page (812 ms)") never shows.
      expect(screen).not.toMatch(/^(ok|FAIL) +\S/m);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect([...seen].some((line) => /Open the PagerDuty sign-in page|Sign in with email and password|Check the Account Owner role/.test(line)), [...seen].join('\n')).toBe(true);

    expect(await term.waitForExit(90_000)).toBe(0);
    const screen = await term.screen();
    expect(screen, 'the board is cleared at the end').not.toMatch(/of 4 done/);
    for (const name of NAMES) expect(screen.match(new RegExp(`^${name}: passed in [\\d.]+ s; Account Owner verified\\b`, 'gm')), screen).toHaveLength(1);
    expect(screen).toMatch(/^4 of 4 instances passed\.$/m);
  });

  it('with --json, stderr on a terminal: no board, and stdout one JSON document', async () => {
    const out = path.join(work, 'test-all.json');
    // stdout to a file (a script capturing it), stderr on the terminal, where the board would go.
    const command = [process.execPath, CLI, ...testAll(['--json'])].map(shellQuote).join(' ');
    const term = await Terminal.start(['sh', '-c', `exec ${command} > ${shellQuote(out)}`], { env, width: 100, height: 40 });
    terminals.push(term);
    expect(await term.waitForExit(90_000)).toBe(0);
    // tmux's own "Pane is dead" note aside, the terminal stayed empty.
    expect((await term.screen()).replace(/^Pane is dead.*$/m, '').trim(), 'nothing on the terminal').toBe('');
    const results = JSON.parse(readFileSync(out, 'utf8')) as Array<{ name: string; ok: boolean }>;
    expect(results.map((r) => [r.name, r.ok])).toEqual(NAMES.map((n) => [n, true]));
  });

  it('without a terminal: plain lines, named, no redraw codes', async () => {
    const run = await runCli(testAll(), { env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).not.toMatch(/of 4 done|\u001b\[/);
    for (const name of NAMES) expect(run.stderr).toMatch(new RegExp(`^${name}: ok +Check the Account Owner role \\(\\d+ ms\\)$`, 'm'));
  });
});
