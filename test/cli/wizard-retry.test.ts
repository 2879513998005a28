// Issue 10, point 1: the wizard fails early and keeps answers. In real terminals (tmux), against the sandbox:
// a rejected password or 2FA secret is asked again alone (3 tries in all), a network failure offers another try,
// and an unusable secret store stops the run before the first question. Secrets are typed, never shown.
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, removeDir, runCli, tempDir } from '../helpers/cli.js';
import { Terminal } from '../helpers/terminal.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { SAMPLE_ACCOUNTS } from '../../src/sandbox/world.js';
import { configInstances, inKeyring, jsonOf, keychainLookup, keychainSearch, uniqueName } from './helpers.js';

const terminals: Terminal[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const terminal of terminals.splice(0)) await terminal.kill();
  for (const dir of dirs.splice(0)) removeDir(dir);
});

const sample = (label: string) => SAMPLE_ACCOUNTS.find((a) => a.label === label)!;

async function start(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ term: Terminal; configDir: string; env: NodeJS.ProcessEnv }> {
  const configDir = tempDir('sspm-cli-wizard-retry-');
  dirs.push(configDir);
  const env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir, ...extraEnv });
  const term = await Terminal.start([process.execPath, CLI, 'pagerduty', ...args], { env });
  terminals.push(term);
  return { term, configDir, env };
}

/** Types a secret at a masked prompt; the screen shows stars, never the secret. */
async function typeSecret(term: Terminal, prompt: RegExp, secret: string): Promise<void> {
  await term.sendText(secret);
  const screen = await term.waitForText(new RegExp(`${prompt.source}.*\\*{${secret.length}}`));
  expect(screen).not.toContain(secret);
  await term.sendKeys('Enter');
}

const count = (screen: string, pattern: RegExp) => (screen.match(new RegExp(pattern.source, 'g')) ?? []).length;

const PASSWORD_PROMPT = /\? Password of that account \(the one you type at sign-in\)/;

describe.skipIf(!inKeyring)('the wizard keeps answers when the log-in test fails', () => {
  it('a wrong password twice: asked for the password alone each time, then the right one passes and is saved', async () => {
    const account = sample('us-credentials-legacy');
    const name = uniqueName('wiz-retry-pw');
    const wrong = ['Wrong-Retry-pw-1881', 'Wrong-Retry-pw-2992'];
    const { term, env } = await start(['add', '--sandbox', '--yes']);

    await term.waitForText(/\? How does the Account Owner sign in\?/);
    await term.sendKeys('Up'); // from the sandbox's default, Okta
    await term.waitForText(/❯ PagerDuty email and password/);
    await term.sendKeys('Enter');
    await term.waitForText(/\? Account Owner user:/);
    await term.sendKeys('C-u');
    await term.typeLine(account.user);
    await term.waitForText(PASSWORD_PROMPT);
    await typeSecret(term, PASSWORD_PROMPT, wrong[0]!);
    await term.waitForText(/\? Paste any PagerDuty URL/);
    await term.sendKeys('C-u');
    await term.typeLine(account.url);
    await term.waitForText(/Correct\?/);
    await term.typeLine('y');
    await term.waitForText(/\? Name for this instance/);
    await term.sendKeys('C-u');
    await term.typeLine(name);

    let screen = await term.waitForText(/Type the password again \(try 2 of 3\); every other answer is kept\.[\s\S]*\? Password of that account/, 60_000);
    expect(screen).toMatch(/The log-in test failed: /);
    await typeSecret(term, PASSWORD_PROMPT, wrong[1]!);
    await term.waitForText(/Type the password again \(try 3 of 3\)[\s\S]*\? Password of that account/, 60_000);
    await typeSecret(term, PASSWORD_PROMPT, account.password);

    expect(await term.waitForExit(60_000)).toBe(0);
    screen = await term.screen();
    expect(screen).toMatch(/Log-in test:   passed/);
    // Every other answer was asked once only.
    expect(count(screen, /\? Account Owner user:|✔ Account Owner user:/)).toBe(1);
    expect(count(screen, /Paste any PagerDuty URL/)).toBe(1);
    expect(count(screen, /How does the Account Owner sign in\?/)).toBe(1);
    expect(count(screen, /Name for this instance/)).toBe(1);
    expect(count(screen, /Password of that account/)).toBe(3);
    for (const secret of [...wrong, account.password]) expect(screen).not.toContain(secret);

    const show = await runCli(['pagerduty', 'show', name, '--json'], { env });
    expect(jsonOf(show)).toMatchObject({ name, subdomain: account.subdomain, loginMethod: 'credentials', user: account.user, lastTest: { ok: true } });
    expect(await keychainLookup(name, 'password')).toBe(account.password);
  });

  it('three rejected passwords: exit 3, nothing saved, no fourth try', async () => {
    const account = sample('us-credentials-legacy');
    const name = uniqueName('wiz-retry-3x');
    const wrong = ['Wrong-Three-pw-1001', 'Wrong-Three-pw-2002', 'Wrong-Three-pw-3003'];
    const { term, configDir } = await start(['add', '--sandbox', '--yes', '--name', name, '--url', account.url, '--login-method', 'credentials', '--user', account.user]);

    await term.waitForText(PASSWORD_PROMPT);
    await typeSecret(term, PASSWORD_PROMPT, wrong[0]!);
    await term.waitForText(/try 2 of 3[\s\S]*\? Password of that account/, 60_000);
    await typeSecret(term, PASSWORD_PROMPT, wrong[1]!);
    await term.waitForText(/try 3 of 3[\s\S]*\? Password of that account/, 60_000);
    await typeSecret(term, PASSWORD_PROMPT, wrong[2]!);

    expect(await term.waitForExit(60_000)).toBe(3);
    const screen = await term.screen();
    expect(screen).toMatch(/Nothing was stored\./);
    expect(screen).not.toMatch(/try 4 of 3/);
    expect(count(screen, /Password of that account/)).toBe(3);
    for (const secret of wrong) expect(screen).not.toContain(secret);
    expect(configInstances(configDir)).toEqual({});
    expect(await keychainLookup(name, 'password')).toBeNull();
  });

  it('update: a wrong new password is asked again alone; the right one passes and replaces the stored one', async () => {
    const account = sample('us-credentials-legacy');
    const name = uniqueName('wiz-retry-update');
    const configDir = tempDir('sspm-cli-wizard-retry-');
    dirs.push(configDir);
    const env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir });
    const add = await runCli(['pagerduty', 'add', '--name', name, '--url', account.url, '--login-method', 'credentials', '--user', account.user, '--password-stdin', '--no-test'], {
      env,
      input: 'Old-stored-pw-3030',
    });
    expect(add.code, add.stderr).toBe(0);
    const term = await Terminal.start([process.execPath, CLI, 'pagerduty', 'update', name, '--sandbox', '--yes'], { env });
    terminals.push(term);

    await term.waitForText(PASSWORD_PROMPT);
    await typeSecret(term, PASSWORD_PROMPT, 'Wrong-Update-pw-4040');
    await term.waitForText(/Type the password again \(try 2 of 3\)[\s\S]*\? Password of that account/, 60_000);
    // Nothing replaced while the test fails.
    expect(await keychainLookup(name, 'password')).toBe('Old-stored-pw-3030');
    await typeSecret(term, PASSWORD_PROMPT, account.password);
    expect(await term.waitForExit(60_000)).toBe(0);
    const screen = await term.screen();
    expect(screen).toContain(`Updated "${name}"`);
    expect(screen).not.toContain('Wrong-Update-pw-4040');
    expect(screen).not.toContain(account.password);
    expect(await keychainLookup(name, 'password')).toBe(account.password);
  });

  it('a locked account is not asked for another password: exit 3 with the lock named, nothing saved', async () => {
    const account = sample('us-credentials-legacy');
    const name = uniqueName('wiz-retry-locked');
    const { term, configDir } = await start(['add', '--sandbox', '--yes', '--name', name, '--url', account.url, '--login-method', 'credentials', '--user', account.user], { SSPM_SANDBOX_FAULT: 'locked' });
    await term.waitForText(PASSWORD_PROMPT);
    await typeSecret(term, PASSWORD_PROMPT, account.password);
    expect(await term.waitForExit(60_000)).toBe(3);
    const screen = await term.screen();
    expect(screen).toMatch(/is locked/);
    expect(screen).not.toMatch(/Type the password again/);
    expect(count(screen, /Password of that account/)).toBe(1);
    expect(screen).not.toContain(account.password);
    expect(configInstances(configDir)).toEqual({});
  });

  it('a wrong 2FA secret (Okta): asked for the 2FA secret alone, then the right one passes and both secrets are saved', async () => {
    const account = sample('us-okta-classic');
    const name = uniqueName('wiz-retry-mfa');
    const wrongSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const { term, env } = await start(['add', '--sandbox', '--yes', '--name', name, '--url', account.url, '--login-method', 'okta', '--okta-subdomain', account.oktaSubdomain!, '--user', account.user]);

    await term.waitForText(PASSWORD_PROMPT);
    await typeSecret(term, PASSWORD_PROMPT, account.password);
    const mfaPrompt = /\? 2FA secret: base32 key/;
    await term.waitForText(mfaPrompt);
    await typeSecret(term, /2FA secret: base32 key.*\]/, wrongSecret);
    await term.waitForText(/Is Okta asking for a code/);
    await term.typeLine('n');

    let screen = await term.waitForText(/Type the 2FA secret again \(try 2 of 3\); every other answer is kept\.[\s\S]*\? 2FA secret: base32 key/, 60_000);
    expect(screen).toMatch(/The log-in test failed: /);
    await typeSecret(term, /2FA secret: base32 key.*\]/, account.mfaSecret!);

    expect(await term.waitForExit(60_000)).toBe(0);
    screen = await term.screen();
    expect(screen).toMatch(/Log-in test:   passed/);
    expect(count(screen, /Password of that account/)).toBe(1);
    for (const secret of [wrongSecret, account.mfaSecret!, account.password]) expect(screen).not.toContain(secret);
    expect(await keychainLookup(name, 'password')).toBe(account.password);
    expect(await keychainLookup(name, 'mfa-secret')).toContain(`secret=${account.mfaSecret}`);
    const show = await runCli(['pagerduty', 'show', name, '--json'], { env });
    expect(jsonOf(show)).toMatchObject({ name, loginMethod: 'okta', lastTest: { ok: true } });
  });
});

describe.skipIf(!inKeyring)('a network failure at the log-in test offers another try', () => {
  let sandbox: SandboxHandle;
  let proxy: net.Server;
  let up = false;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    sandbox = await startSandbox();
    // Between the browser and the sandbox: drops every connection until `up`, as a network outage does.
    proxy = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      if (!up) return void socket.destroy();
      const upstream = net.connect(sandbox.port, '127.0.0.1');
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => proxy?.close(() => resolve()));
    await sandbox?.close();
  });

  it('"yes" after the outage tests again with the same answers and saves; nothing was asked twice', async () => {
    const account = sample('us-credentials-legacy');
    const name = uniqueName('wiz-retry-net');
    const port = (proxy.address() as net.AddressInfo).port;
    const browserArgs = sandbox.browserArgs.map((arg) => `--browser-arg=${arg.replaceAll(`127.0.0.1:${sandbox.port}`, `127.0.0.1:${port}`)}`);
    const { term, env } = await start(['add', '--yes', '--timeout', '20', '--name', name, '--url', account.url, '--login-method', 'credentials', ...browserArgs]);

    await term.waitForText(/\? Account Owner user:/);
    await term.typeLine(account.user);
    await term.waitForText(PASSWORD_PROMPT);
    await typeSecret(term, PASSWORD_PROMPT, account.password);

    let screen = await term.waitForText(/\? Test the log-in again with the same answers\?/, 60_000);
    expect(screen).toMatch(/The log-in test could not finish: /);
    up = true;
    await term.typeLine('y');

    expect(await term.waitForExit(60_000)).toBe(0);
    screen = await term.screen();
    expect(screen).toMatch(/Log-in test:   passed/);
    expect(count(screen, /Password of that account/)).toBe(1);
    expect(count(screen, /Account Owner user:/)).toBe(1);
    expect(screen).not.toContain(account.password);
    expect(await keychainLookup(name, 'password')).toBe(account.password);
    const show = await runCli(['pagerduty', 'show', name, '--json'], { env });
    expect(jsonOf(show)).toMatchObject({ name, lastTest: { ok: true } });
  });

  it('"no" ends with the network error (exit 6) and nothing saved', async () => {
    up = false;
    const account = sample('us-credentials-legacy');
    const name = uniqueName('wiz-retry-net-no');
    const port = (proxy.address() as net.AddressInfo).port;
    const browserArgs = sandbox.browserArgs.map((arg) => `--browser-arg=${arg.replaceAll(`127.0.0.1:${sandbox.port}`, `127.0.0.1:${port}`)}`);
    const { term, configDir } = await start(['add', '--yes', '--timeout', '20', '--name', name, '--url', account.url, '--login-method', 'credentials', '--user', account.user]
      .concat(browserArgs));
    await term.waitForText(PASSWORD_PROMPT);
    await typeSecret(term, PASSWORD_PROMPT, account.password);
    await term.waitForText(/\? Test the log-in again with the same answers\?/, 60_000);
    await term.typeLine('n');
    expect(await term.waitForExit(30_000)).toBe(6);
    const screen = await term.screen();
    expect(screen).toMatch(/Nothing was stored\./);
    expect(screen).not.toContain(account.password);
    expect(configInstances(configDir)).toEqual({});
    expect(await keychainLookup(name, 'password')).toBeNull();
  });
});

describe.skipIf(!inKeyring)('an unusable secret store stops the wizard before the first question', () => {
  it('keychain: no Secret Service reachable -> exit 8 with the reason, no question asked', async () => {
    const { term, configDir } = await start(['add'], { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' });
    expect(await term.waitForExit(30_000)).toBe(8);
    const screen = await term.screen();
    expect(screen).not.toMatch(/\?/);
    expect(screen).toMatch(/keychain/i);
    expect(configInstances(configDir)).toEqual({});
  });

  it('encrypted file: a wrong SSPM_ONBOARD_PASSPHRASE for an existing file -> exit 8 before the first question', async () => {
    const configDir = tempDir('sspm-cli-wizard-retry-');
    dirs.push(configDir);
    const first = await runCli(
      ['pagerduty', 'add', '--name', 'existing', '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'owner@acme.example', '--secret-store', 'file', '--no-test', '--no-input'],
      { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir, SSPM_ONBOARD_PASSPHRASE: 'the-right-passphrase-1', SSPM_PAGERDUTY_PASSWORD: 'Existing-pw-4410' }) },
    );
    expect(first.code, first.stderr).toBe(0);
    const env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir, SSPM_ONBOARD_PASSPHRASE: 'not-the-passphrase-2' });
    const term = await Terminal.start([process.execPath, CLI, 'pagerduty', 'add', '--secret-store', 'file'], { env });
    terminals.push(term);
    expect(await term.waitForExit(30_000)).toBe(8);
    const screen = await term.screen();
    expect(screen).toMatch(/The passphrase does not open/);
    expect(screen).not.toMatch(/\? /);
    expect(Object.keys(configInstances(configDir))).toEqual(['existing']);
  });
});

it('keeps the keychain clean of test values', async () => {
  if (!inKeyring) return;
  expect(await keychainSearch()).not.toContain('Wrong-');
});
