// Issue 10, points 7 and 8 (the wizard's part), in real terminals (tmux): a free default name that follows the URL,
// a new file passphrase asked twice with a minimum length, --dry-run without secrets, and sandbox sample values
// that follow the chosen login method. Secrets are typed, never shown.
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, removeDir, runCli, tempDir } from '../helpers/cli.js';
import { Terminal } from '../helpers/terminal.js';
import { SAMPLE_ACCOUNTS } from '../../src/sandbox/world.js';
import { configInstances, inKeyring, jsonOf, keychainLookup, uniqueName } from './helpers.js';

const terminals: Terminal[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const terminal of terminals.splice(0)) await terminal.kill();
  for (const dir of dirs.splice(0)) removeDir(dir);
});

function configFolder(): { configDir: string; env: NodeJS.ProcessEnv } {
  const configDir = tempDir('sspm-cli-wizard-answers-');
  dirs.push(configDir);
  return { configDir, env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir }) };
}

async function start(args: string[], env: NodeJS.ProcessEnv): Promise<Terminal> {
  const term = await Terminal.start([process.execPath, CLI, 'pagerduty', ...args], { env });
  terminals.push(term);
  return term;
}

/** The characters after the prompt text on the screen's last line that shows it. */
function afterPrompt(screen: string, prompt: RegExp): string {
  const line = screen.split('\n').filter((l) => prompt.test(l)).pop() ?? '';
  return line.replace(prompt, '').trim();
}

async function typeSecret(term: Terminal, prompt: RegExp, secret: string): Promise<void> {
  await term.sendText(secret);
  const screen = await term.waitForText(new RegExp(`${prompt.source}.*\\*{${secret.length}}`));
  expect(screen).not.toContain(secret);
  await term.sendKeys('Enter');
}

/** Adds an instance without prompts or a log-in test (the keychain holds a throw-away password). */
async function addExisting(env: NodeJS.ProcessEnv, name: string, url: string): Promise<void> {
  const add = await runCli(['pagerduty', 'add', '--name', name, '--url', url, '--login-method', 'credentials', '--user', 'owner@acme.example', '--no-test', '--no-input'], {
    env: { ...env, SSPM_PAGERDUTY_PASSWORD: 'Existing-instance-pw-1' },
  });
  expect(add.code, add.stderr).toBe(0);
}

const NAME_PROMPT = /\? Name for this instance in sspm-onboard \(used by list, test, update, remove\)/;

describe.skipIf(!inKeyring)('the wizard in a real terminal: answers and defaults', () => {
  it('the name offered is free: "acme" exists, so Enter takes "acme-2"', async () => {
    const { configDir, env } = configFolder();
    const taken = uniqueName('acme');
    // A subdomain is at most 63 characters: the unique name fits, and the URL's subdomain is the taken name.
    await addExisting(env, taken, `https://${taken}.pagerduty.com`);
    const term = await start(['add', '--no-test', '--yes', '--url', `https://${taken}.pagerduty.com`, '--login-method', 'credentials', '--user', 'owner@acme.example'], {
      ...env,
      SSPM_PAGERDUTY_PASSWORD: 'Free-name-pw-5150',
    });
    const screen = await term.waitForText(NAME_PROMPT);
    expect(afterPrompt(screen, NAME_PROMPT)).toBe(`(${taken}-2)`);
    await term.typeLine('');
    expect(await term.waitForExit()).toBe(0);
    expect(Object.keys(configInstances(configDir)).sort()).toEqual([taken, `${taken}-2`].sort());
    expect(await keychainLookup(`${taken}-2`, 'password')).toBe('Free-name-pw-5150');
  });

  it('a new encrypted file: the passphrase needs 12 characters and the same answer twice; the file then opens with it', async () => {
    const { configDir, env } = configFolder();
    const name = uniqueName('wiz-pass');
    const passphrase = 'Wizard-file-passphrase-77';
    const password = 'Wizard-file-pw-6262';
    const term = await start(
      ['add', '--no-test', '--yes', '--secret-store', 'file', '--name', name, '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'owner@acme.example'],
      { ...env, SSPM_PAGERDUTY_PASSWORD: password },
    );
    const choose = /\? New passphrase for the encrypted secret file \(at least 12 characters; SSPM_ONBOARD_PASSPHRASE skips this\)/;
    const again = /\? The same passphrase again/;
    await term.waitForText(choose);
    await typeSecret(term, choose, 'too-short');
    let screen = await term.waitForText(/The passphrase must be at least 12 characters \(this one has 9\); type a longer one\./);
    expect(afterPrompt(screen, choose)).toBe(''); // cleared for the next try
    await typeSecret(term, choose, passphrase);
    await term.waitForText(again);
    await typeSecret(term, again, `${passphrase}x`);
    screen = await term.waitForText(/The two passphrases differ; choose it again\.[\s\S]*\? New passphrase/);
    await typeSecret(term, choose, passphrase);
    await term.waitForText(/\? The same passphrase again[^\n]*\n?$/m);
    await typeSecret(term, again, passphrase);

    expect(await term.waitForExit()).toBe(0);
    screen = await term.screen();
    for (const secret of [passphrase, password, 'too-short']) expect(screen).not.toContain(secret);
    expect(Object.keys(configInstances(configDir))).toEqual([name]);

    // The passphrase chosen opens the file (show checks that each secret is there); another does not.
    const show = await runCli(['pagerduty', 'show', name, '--json'], { env: { ...env, SSPM_ONBOARD_PASSPHRASE: passphrase } });
    expect(show.code, show.stderr).toBe(0);
    expect(jsonOf(show)).toMatchObject({ name, secretStore: 'file' });
    const wrong = await runCli(['pagerduty', 'test', name, '--json', '--no-input'], { env: { ...env, SSPM_ONBOARD_PASSPHRASE: `${passphrase}x` } });
    expect(wrong.code).toBe(8);
  });

  it('--dry-run asks for no secret: the questions skip the password and 2FA secret, and nothing is stored', async () => {
    const { configDir, env } = configFolder();
    const term = await start(['add', '--dry-run', '--url', 'https://acme.pagerduty.com', '--login-method', 'okta', '--okta-subdomain', 'acme'], env);
    let screen = await term.waitForText(/\? Account Owner user:/);
    expect(screen).toContain('Dry run: the password and 2FA secret are not asked; nothing is tested or stored.');
    await term.typeLine('owner@acme.example');
    expect(await term.waitForExit()).toBe(0);
    screen = await term.screen();
    expect(screen).toContain('Dry run: everything is valid; nothing was stored or tested.');
    expect(screen).not.toMatch(/Password of that account|2FA secret:|Name for this instance/);
    expect(configInstances(configDir)).toEqual({});
  });

  it('sandbox: an Entra answer gets the Entra sample (Enter at every question logs in), and the name follows the URL', async () => {
    const { configDir, env } = configFolder();
    const azure = SAMPLE_ACCOUNTS.find((a) => a.label === 'us-azure-code')!;
    const term = await start(['add', '--sandbox', '--timeout', '60'], env);
    await term.waitForText(/\? How does the Account Owner sign in\?/);
    await term.sendKeys('Down');
    await term.waitForText(/❯ Microsoft Entra ID/);
    await term.sendKeys('Enter');

    let screen = await term.waitForText(/\? Account Owner user:/);
    expect(afterPrompt(screen, /\? Account Owner user: the email you sign in to PagerDuty with \(for Okta\/Azure sign-in, your IdP username\)/)).toBe(`(${azure.user})`);
    await term.typeLine('');
    await term.waitForText(/\? Password of that account .*\[Enter: the sandbox sample\]/);
    await term.typeLine('');
    screen = await term.waitForText(/\? Paste any PagerDuty URL/);
    expect(screen).toContain(`(${azure.url})`);
    await term.typeLine('');
    await term.waitForText(/Correct\?/);
    await term.typeLine('');
    await term.waitForText(/\? 2FA secret: .*\[Enter: the sandbox sample\]/);
    await term.typeLine('');
    await term.waitForText(/\? Is Entra asking for a code/);
    await term.typeLine('n');
    screen = await term.waitForText(NAME_PROMPT);
    expect(afterPrompt(screen, NAME_PROMPT)).toBe(`(sandbox-${azure.subdomain})`);
    await term.typeLine('');
    await term.waitForText(/\? Sign in to .* through Microsoft Entra ID to test, then save it as/);
    await term.typeLine('');

    expect(await term.waitForExit(90_000)).toBe(0);
    screen = await term.screen();
    expect(screen).toMatch(/Log-in test:   passed/);
    expect(screen).not.toContain(azure.password);
    expect(screen).not.toContain(azure.mfaSecret!);
    expect(Object.keys(configInstances(configDir))).toEqual([`sandbox-${azure.subdomain}`]);
    expect(await keychainLookup(`sandbox-${azure.subdomain}`, 'password')).toBe(azure.password);
    await runCli(['pagerduty', 'remove', `sandbox-${azure.subdomain}`, '--yes'], { env });
  });

  it('sandbox: the name follows the URL typed (EU, no sample), and skips one in use', async () => {
    const { env } = configFolder();
    const sub = uniqueName('globex').replace(/-/g, '').slice(0, 30);
    await addExisting(env, `sandbox-${sub}`, 'https://acme.pagerduty.com');
    const term = await start(['add', '--sandbox', '--no-test', '--yes'], env);
    await term.waitForText(/\? How does the Account Owner sign in\?/);
    await term.sendKeys('Up');
    await term.waitForText(/❯ PagerDuty email and password/);
    await term.sendKeys('Enter');
    await term.waitForText(/\? Account Owner user:/);
    await term.typeLine('');
    await term.waitForText(/\? Password of that account/);
    await term.typeLine('');
    await term.waitForText(/\? Paste any PagerDuty URL/);
    await term.typeLine(`https://${sub}.eu.pagerduty.com/incidents`);
    await term.waitForText(/Correct\?/);
    await term.typeLine('');
    const screen = await term.waitForText(NAME_PROMPT);
    expect(afterPrompt(screen, NAME_PROMPT)).toBe(`(sandbox-${sub}-2)`);
    await term.sendKeys('C-c');
    expect(await term.waitForExit()).toBe(130);
  });
});
