// Issue 9, points 1 and 2, through the built CLI against the real Secret Service (scripts/with-keyring.sh) and the
// encrypted file: runs racing for one name, and signals at spread moments of add/update/remove. After every round
// the keychain (or file) and config.json must agree: an instance has its secrets, and no secret is left without
// its instance. Also: `remove <name>` deletes secrets whose config entry is gone, and `doctor` names them.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, findLeak, removeDir, tempDir, type CliResult } from '../helpers/cli.js';
import { EncryptedFileStore, secretFilePath } from '../../src/store/file-store.js';
import { RunLog, configInstances, inKeyring, keychainLookup, keychainSearch, uniqueName } from './helpers.js';

const root = tempDir('sspm-races-');
afterAll(() => removeDir(root));
const log = new RunLog();
const SECRETS: string[] = [];
function secret(value: string): string {
  SECRETS.push(value);
  return value;
}
const PASSPHRASE = secret('races-passphrase-7f3k');
const MFA_A = secret('ONSWG4TFOQYTEMZUGU3DOOBZGAYTEMZU');
const MFA_B = secret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');

let dirCount = 0;
function configDir(): string {
  dirCount += 1;
  return path.join(root, `config-${dirCount}`);
}

type Kind = 'keychain' | 'file';
const KINDS: Kind[] = inKeyring ? ['keychain', 'file'] : ['file'];
/** Many CLI runs in a row: a wide bound for a loaded 2-core machine. */
const ROUNDS_TIMEOUT = 600_000;

function envFor(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: dir, SSPM_ONBOARD_PASSPHRASE: PASSPHRASE, ...extra });
}

interface Started {
  pid: number;
  done: Promise<CliResult>;
}

/** Starts the CLI in its own process group (as a shell runs a foreground job), so Ctrl-C can reach all of it. */
function start(args: string[], env: NodeJS.ProcessEnv, input = ''): Started {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.on('error', () => {});
  child.stdin.end(input);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const result = { code, signal, stdout, stderr };
      log.record(`\`${args.join(' ')}\``, result);
      resolve(result);
    });
  });
  return { pid: child.pid!, done };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function addArgs(name: string, kind: Kind, extra: string[] = []): string[] {
  return ['pagerduty', 'add', '--name', name, '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'owner@acme.example', '--password-stdin', '--no-test', '--secret-store', kind, '--json', ...extra];
}

function oktaAddArgs(name: string, kind: Kind): string[] {
  return ['pagerduty', 'add', '--name', name, '--url', 'https://acme.pagerduty.com', '--login-method', 'okta', '--okta-subdomain', 'acme', '--user', 'owner', '--password-stdin', '--no-test', '--secret-store', kind, '--json'];
}

/** What a user would find: the config entry, and the secrets under that name in the store. */
async function stateOf(kind: Kind, dir: string, name: string): Promise<{ entry: boolean; password: string | null; mfa: string | null }> {
  const entry = name in configInstances(dir);
  if (kind === 'keychain') {
    return { entry, password: await keychainLookup(name, 'password'), mfa: await keychainLookup(name, 'mfa-secret') };
  }
  const file = secretFilePath(dir);
  if (!existsSync(file)) return { entry, password: null, mfa: null };
  const store = new EncryptedFileStore(file, { env: { SSPM_ONBOARD_PASSPHRASE: PASSPHRASE } });
  return { entry, password: await store.get(name, 'password'), mfa: await store.get(name, 'mfa-secret') };
}

/** Keychain probe entries a given CLI process left behind. */
async function probesOf(pid: number): Promise<string[]> {
  if (!inKeyring) return [];
  return [...(await keychainSearch()).matchAll(/\.check\/(\d+)-[^\s]*/g)].filter((m) => Number(m[1]) === pid).map((m) => m[0]);
}

/** An interrupted run: exit 130 and exactly one line on stderr (plus, with --json, one JSON error on stdout). */
function expectOneInterruptLine(result: CliResult, where: string): string {
  expect(result.code, `${where}: ${result.stderr}`).toBe(130);
  const lines = result.stderr.split('\n').filter((l) => l.trim() !== '' && !l.includes('Failed to set fd limit'));
  expect(lines, where).toHaveLength(1);
  expect(lines[0], where).toMatch(/^Interrupted/);
  return lines[0]!;
}

describe.each(KINDS)('two runs racing for one name (%s store)', (kind) => {
  it('two adds of the same --name: one wins with its own secrets, the other exits 2 and changes nothing', async () => {
    const dir = configDir();
    for (let round = 0; round < 5; round += 1) {
      const name = uniqueName(`race-add-${kind}`);
      const pw = [secret(`Race-add-${round}-first-pw`), secret(`Race-add-${round}-second-pw`)];
      // Spread: the second starts 0 to ~150 ms after the first, so the runs overlap at different steps.
      const first = start(addArgs(name, kind), envFor(dir), pw[0]);
      await sleep(round * 40);
      const second = start(addArgs(name, kind), envFor(dir), pw[1]);
      const results = await Promise.all([first.done, second.done]);
      const winners = results.flatMap((r, i) => (r.code === 0 ? [i] : []));
      expect(winners, `round ${round}: ${results.map((r) => r.stderr).join(' | ')}`).toHaveLength(1);
      const loser = results[1 - winners[0]!]!;
      expect(loser.code).toBe(2);
      expect(loser.stderr).toContain(`An instance named "${name}" exists already.`);
      const state = await stateOf(kind, dir, name);
      expect(state, `round ${round}`).toEqual({ entry: true, password: pw[winners[0]!], mfa: null });
      expect((await log.run(['pagerduty', 'remove', name, '--yes'], { env: envFor(dir) })).code).toBe(0);
    }
  }, ROUNDS_TIMEOUT);

  it('update racing remove: the instance ends gone whole (config entry and secrets), whoever came first', async () => {
    const dir = configDir();
    for (let round = 0; round < 4; round += 1) {
      const name = uniqueName(`race-upd-rm-${kind}`);
      const oldPw = secret(`Race-urm-${round}-old-pw`);
      const newPw = secret(`Race-urm-${round}-new-pw`);
      expect((await log.run(addArgs(name, kind), { env: envFor(dir), input: oldPw })).code).toBe(0);
      const update = start(['pagerduty', 'update', name, '--password-stdin', '--no-test', '--json'], envFor(dir), newPw);
      await sleep(round * 50);
      const remove = start(['pagerduty', 'remove', name, '--yes'], envFor(dir));
      const [u, r] = await Promise.all([update.done, remove.done]);
      expect(r.code, r.stderr).toBe(0);
      // The update either landed before the remove (exit 0) or found the entry gone (exit 2, nothing saved).
      expect([0, 2], u.stderr).toContain(u.code);
      if (u.code === 2) expect(u.stderr).toMatch(/No instance named|was removed by another run meanwhile; nothing was saved/);
      expect(await stateOf(kind, dir, name), `round ${round}: ${u.stderr} | ${r.stderr}`).toEqual({ entry: false, password: null, mfa: null });
    }
  }, ROUNDS_TIMEOUT);

  it('two updates: no change is lost (both land, or the later one exits 2 and changes nothing)', async () => {
    const dir = configDir();
    for (let round = 0; round < 4; round += 1) {
      const name = uniqueName(`race-upd2-${kind}`);
      const oldPw = secret(`Race-u2-${round}-old-pw`);
      const newPw = secret(`Race-u2-${round}-new-pw`);
      expect((await log.run(oktaAddArgs(name, kind), { env: envFor(dir, { SSPM_PAGERDUTY_MFA_SECRET: MFA_A }), input: oldPw })).code).toBe(0);
      // One changes the password, the other the 2FA secret (each keeps what it read of the rest).
      const passwordRun = start(['pagerduty', 'update', name, '--password-stdin', '--no-test', '--json'], envFor(dir), newPw);
      await sleep(round * 50);
      const mfaRun = start(['pagerduty', 'update', name, '--no-test', '--json'], envFor(dir, { SSPM_PAGERDUTY_MFA_SECRET: MFA_B }));
      const [p, m] = await Promise.all([passwordRun.done, mfaRun.done]);
      for (const r of [p, m]) {
        expect([0, 2], r.stderr).toContain(r.code);
        if (r.code === 2) expect(r.stderr).toContain(`"${name}" was changed by another run meanwhile; "${name}" was left unchanged.`);
      }
      expect(p.code === 0 || m.code === 0, `round ${round}`).toBe(true);
      const state = await stateOf(kind, dir, name);
      expect(state.entry).toBe(true);
      expect(state.password, `round ${round}`).toBe(p.code === 0 ? newPw : oldPw);
      expect(state.mfa, `round ${round}`).toContain(`secret=${m.code === 0 ? MFA_B : MFA_A}`);
      expect((await log.run(['pagerduty', 'remove', name, '--yes'], { env: envFor(dir) })).code).toBe(0);
    }
  }, ROUNDS_TIMEOUT);
});

/** How long an unsignalled run takes here, so that signals can be spread over all of it. */
async function calibrate(args: string[], env: NodeJS.ProcessEnv, input: string, cleanup: () => Promise<unknown>): Promise<number> {
  const began = Date.now();
  const result = await start(args, env, input).done;
  const took = Date.now() - began;
  expect(result.code, result.stderr).toBe(0);
  await cleanup();
  return took;
}

/** Round i of n: a moment within [0, span], spread evenly with jitter; odd rounds Ctrl-C the group, even SIGTERM. */
function moment(i: number, n: number, span: number): number {
  return Math.round(((i + Math.random()) / n) * span);
}
function interrupt(run: Started, i: number): void {
  try {
    if (i % 2 === 1) process.kill(-run.pid, 'SIGINT');
    else process.kill(run.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** Round i of n: starts the CLI, signals it at a spread moment of its calibrated span, and waits for its end. */
async function interruptedRound(args: string[], env: NodeJS.ProcessEnv, input: string, round: { i: number; n: number; span: number }): Promise<{ pid: number; result: CliResult; where: string }> {
  const run = start(args, env, input);
  const at = moment(round.i, round.n, round.span * 1.1);
  await sleep(at);
  interrupt(run, round.i);
  return { pid: run.pid, result: await run.done, where: `round ${round.i} at ${at} ms of ~${round.span}` };
}

describe.each(KINDS)('signals at any moment (%s store)', (kind) => {
  it('add: keychain and config agree after Ctrl-C or SIGTERM at spread moments; exit 130 with one line', async () => {
    const dir = configDir();
    const ROUNDS = 10;
    const probe = uniqueName(`sig-add-cal-${kind}`);
    const span = await calibrate(oktaAddArgs(probe, kind), envFor(dir, { SSPM_PAGERDUTY_MFA_SECRET: MFA_A }), secret('Sig-add-calibrate-pw'), () =>
      log.run(['pagerduty', 'remove', probe, '--yes'], { env: envFor(dir) }),
    );
    const outcomes: string[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      const name = uniqueName(`sig-add-${kind}`);
      const pw = secret(`Sig-add-${i}-pw-${kind}`);
      const { pid, result, where } = await interruptedRound(oktaAddArgs(name, kind), envFor(dir, { SSPM_PAGERDUTY_MFA_SECRET: MFA_A }), pw, { i, n: ROUNDS, span });
      const state = await stateOf(kind, dir, name);
      if (result.code === 0) {
        outcomes.push('finished');
        // One document, the success: a signal after the save cannot add an error after it.
        expect(JSON.parse(result.stdout), where).toMatchObject({ ok: true, name });
        expect(state, where).toEqual({ entry: true, password: pw, mfa: expect.stringContaining(`secret=${MFA_A}`) });
      } else if (result.signal !== null) {
        // Only before Node has run a line of the CLI: then nothing can have been saved, or printed. (A signal in Node's
        // own teardown, after the result was printed, once killed a finished run this way: see exitGuardedRun.)
        outcomes.push('before start');
        expect(result.stdout, where).toBe('');
        expect(state, where).toEqual({ entry: false, password: null, mfa: null });
      } else {
        const line = expectOneInterruptLine(result, where);
        if (/nothing was saved/.test(line)) {
          outcomes.push('nothing saved');
          expect(state, where).toEqual({ entry: false, password: null, mfa: null });
        } else {
          outcomes.push('saved');
          expect(line, where).toContain(`Interrupted after saving "${name}"`);
          expect(state, where).toEqual({ entry: true, password: pw, mfa: expect.stringContaining(`secret=${MFA_A}`) });
        }
        if (result.stdout.trim() !== '') expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'INTERRUPTED' } });
      }
      expect(await probesOf(pid), where).toEqual([]);
      if (state.entry) expect((await log.run(['pagerduty', 'remove', name, '--yes'], { env: envFor(dir) })).code).toBe(0);
    }
    // The spread reached the run's middle, not only its two ends.
    expect(outcomes.filter((o) => o === 'nothing saved').length, outcomes.join(', ')).toBeGreaterThan(0);
  }, ROUNDS_TIMEOUT);

  it('update: after a signal the instance has either all its old or all its new secrets', async () => {
    const dir = configDir();
    const ROUNDS = 8;
    const name = uniqueName(`sig-upd-${kind}`);
    let current = { password: secret(`Sig-upd-initial-pw-${kind}`), mfa: MFA_A };
    expect((await log.run(oktaAddArgs(name, kind), { env: envFor(dir, { SSPM_PAGERDUTY_MFA_SECRET: current.mfa }), input: current.password })).code).toBe(0);
    const updateArgs = ['pagerduty', 'update', name, '--password-stdin', '--no-test', '--json'];
    const span = await calibrate(updateArgs, envFor(dir, { SSPM_PAGERDUTY_MFA_SECRET: MFA_B }), current.password, async () => {
      current = { password: current.password, mfa: MFA_B };
    });
    for (let i = 0; i < ROUNDS; i += 1) {
      const next = { password: secret(`Sig-upd-${i}-pw-${kind}`), mfa: current.mfa === MFA_A ? MFA_B : MFA_A };
      const { result, where } = await interruptedRound(updateArgs, envFor(dir, { SSPM_PAGERDUTY_MFA_SECRET: next.mfa }), next.password, { i, n: ROUNDS, span });
      const state = await stateOf(kind, dir, name);
      let landed: boolean;
      if (result.code === 0) {
        landed = true;
        expect(JSON.parse(result.stdout), where).toMatchObject({ ok: true, name });
      } else if (result.signal !== null) {
        // Killed before the CLI ran a line: nothing changed, nothing printed.
        landed = false;
        expect(result.stdout, where).toBe('');
      }
      else {
        const line = expectOneInterruptLine(result, where);
        landed = line.includes('after saving');
        if (!landed) expect(line, where).toContain(`"${name}" was left unchanged`);
      }
      if (landed) current = next;
      expect(state, where).toEqual({ entry: true, password: current.password, mfa: expect.stringContaining(`secret=${current.mfa}`) });
    }
    expect((await log.run(['pagerduty', 'remove', name, '--yes'], { env: envFor(dir) })).code).toBe(0);
  }, ROUNDS_TIMEOUT);

  it('remove: after a signal the instance is there whole or gone whole', async () => {
    const dir = configDir();
    const ROUNDS = 6;
    const cal = uniqueName(`sig-rm-cal-${kind}`);
    expect((await log.run(oktaAddArgs(cal, kind), { env: envFor(dir, { SSPM_PAGERDUTY_MFA_SECRET: MFA_A }), input: secret('Sig-rm-cal-pw') })).code).toBe(0);
    const span = await calibrate(['pagerduty', 'remove', cal, '--yes'], envFor(dir), '', async () => {});
    for (let i = 0; i < ROUNDS; i += 1) {
      const name = uniqueName(`sig-rm-${kind}`);
      const pw = secret(`Sig-rm-${i}-pw-${kind}`);
      expect((await log.run(oktaAddArgs(name, kind), { env: envFor(dir, { SSPM_PAGERDUTY_MFA_SECRET: MFA_A }), input: pw })).code).toBe(0);
      const { result, where } = await interruptedRound(['pagerduty', 'remove', name, '--yes'], envFor(dir), '', { i, n: ROUNDS, span });
      const state = await stateOf(kind, dir, name);
      if (result.code !== 0 && result.signal === null) expectOneInterruptLine(result, where);
      if (state.entry) expect(state, where).toEqual({ entry: true, password: pw, mfa: expect.stringContaining(`secret=${MFA_A}`) });
      else expect(state, where).toEqual({ entry: false, password: null, mfa: null });
      if (state.entry) expect((await log.run(['pagerduty', 'remove', name, '--yes'], { env: envFor(dir) })).code).toBe(0);
    }
  }, ROUNDS_TIMEOUT);
});

describe.each(KINDS)('secrets left without a config entry (%s store)', (kind) => {
  it('doctor names them with the command that removes them, and `remove <name>` deletes them', async () => {
    const dir = configDir();
    const name = uniqueName(`orphan-${kind}`);
    const pw = secret(`Orphan-pw-${kind}-left-behind`);
    expect((await log.run(oktaAddArgs(name, kind), { env: envFor(dir, { SSPM_PAGERDUTY_MFA_SECRET: MFA_A }), input: pw })).code).toBe(0);
    // The config entry goes (a hand edit, a crash of an older version); the secrets stay.
    const file = path.join(dir, 'config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    delete config.instances[name];
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, JSON.stringify(config));
    expect((await stateOf(kind, dir, name)).password).toBe(pw);

    const doctor = await log.run(['doctor', '--json'], { env: envFor(dir) });
    const orphans = JSON.parse(doctor.stdout).checks.find((c: { name: string }) => c.name === 'orphans');
    expect(orphans).toMatchObject({ ok: true, warning: true });
    expect(orphans.detail).toContain(`"${name}" (mfa-secret, password)`);
    expect(orphans.fix).toContain(`sspm-onboard pagerduty remove ${name} --yes`);

    const remove = await log.run(['pagerduty', 'remove', name, '--yes'], { env: envFor(dir) });
    expect(remove.stderr).toBe('');
    expect(remove.code).toBe(0);
    expect(remove.stdout).toContain(`Removed the secrets "${name}" left behind`);
    expect(await stateOf(kind, dir, name)).toEqual({ entry: false, password: null, mfa: null });
    const again = await log.run(['doctor', '--json'], { env: envFor(dir) });
    expect(JSON.parse(again.stdout).checks.find((c: { name: string }) => c.name === 'orphans').detail).not.toContain(name);
  });
});

describe.runIf(inKeyring)('keychain probe entries', () => {
  it('doctor removes the throw-away entry of a probe whose process is gone', async () => {
    const dir = configDir();
    const dead = `.check/999999-${Date.now().toString(36)}-dead`;
    const { execFileSync } = await import('node:child_process');
    execFileSync('secret-tool', ['store', '--label', 'probe', 'service', 'sspm-onboard', 'username', dead], { input: 'throw-away' });
    expect(await keychainSearch()).toContain(dead);
    const doctor = await log.run(['doctor', '--json'], { env: envFor(dir) });
    const orphans = JSON.parse(doctor.stdout).checks.find((c: { name: string }) => c.name === 'orphans');
    expect(orphans.detail).toMatch(/removed \d+ throw-away entr(y|ies) of interrupted keychain checks/);
    expect(await keychainSearch()).not.toContain(dead);
  });
});

describe('no secret in any output', () => {
  it('no run printed a password or 2FA secret', () => {
    expect(findLeak(log.outputs, SECRETS)).toBeUndefined();
  });
});
