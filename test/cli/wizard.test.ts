// The wizard in a real terminal (tmux): each login method, answers typed at the prompts, bad answers re-asked,
// Ctrl-C. Secrets are typed, never put on a command line; the screen must never show them.
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, removeDir, runCli, tempDir } from '../helpers/cli.js';
import { Terminal } from '../helpers/terminal.js';
import { matchTotp } from '../../src/sandbox/totp.js';
import { configInstances, inKeyring, jsonOf, keychainLookup, keychainSearch, uniqueName } from './helpers.js';

const terminals: Terminal[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const terminal of terminals.splice(0)) await terminal.kill();
  for (const dir of dirs.splice(0)) removeDir(dir);
});

async function startWizard(args: string[]): Promise<{ term: Terminal; configDir: string; env: NodeJS.ProcessEnv }> {
  const configDir = tempDir('sspm-cli-wizard-');
  dirs.push(configDir);
  const env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir });
  const term = await Terminal.start([process.execPath, CLI, 'pagerduty', 'add', ...args], { env });
  terminals.push(term);
  return { term, configDir, env };
}

/** The number of `*` after the prompt text on the screen's last prompt line. */
function maskAfter(screen: string, prompt: RegExp): string {
  const line = screen.split('\n').filter((l) => prompt.test(l)).pop() ?? '';
  return line.replace(prompt, '').trim();
}

/** Types a secret at a masked prompt and checks the screen shows one `*` per character and not the secret. */
async function typeSecret(term: Terminal, prompt: RegExp, secret: string): Promise<void> {
  await term.sendText(secret);
  const stars = '*'.repeat(secret.length);
  const screen = await term.waitForText(new RegExp(`${prompt.source}.*\\*{${secret.length}}`));
  expect(maskAfter(screen, prompt)).toContain(stars);
  expect(screen).not.toContain(secret);
  await term.sendKeys('Enter');
}

describe.skipIf(!inKeyring)('the wizard in a real terminal', () => {
  it('credentials: typed answers, a bad URL and a non-email user re-asked with the reason, URL-derived EU subdomain confirmed', async () => {
    const name = uniqueName('wiz-cred');
    const password = 'Wizard-Cred-pw-4417';
    const { term, env } = await startWizard(['--no-test']);

    await term.waitForText(/\? Account Owner user:/);
    await term.typeLine('jane.doe'); // not an email: credentials sign-in will need one

    await term.waitForText(/\? Password of that account/);
    await typeSecret(term, /Password of that account \(the one you type at sign-in\)/, password);

    await term.waitForText(/\? Paste any PagerDuty URL/);
    await term.typeLine('https://evilpagerduty.com');
    let screen = await term.waitForText(/evilpagerduty\.com" is not a PagerDuty address/);
    expect(screen).not.toMatch(/✔ Paste any PagerDuty URL/);
    await term.sendKeys('C-u');
    await term.typeLine('https://ACME.eu.pagerduty.com/incidents?x=1');

    screen = await term.waitForText(/\? That is subdomain "acme", EU service region\. Correct\?/);
    await term.sendKeys('Enter'); // the default: yes

    await term.waitForText(/\? How does the Account Owner sign in\?/);
    await term.sendKeys('Down');
    await term.waitForText(/❯ Okta single sign-on/);
    await term.sendKeys('Down');
    await term.waitForText(/❯ Microsoft Entra ID/);
    await term.sendKeys('Up');
    await term.sendKeys('Up');
    await term.waitForText(/❯ PagerDuty email and password/);
    await term.sendKeys('Enter');

    // The user typed first is re-asked, with the reason, now that the method needs an email.
    screen = await term.waitForText(/\? Account Owner email/);
    expect(screen).toMatch(/Invalid user "jane\.doe": it is not an e-mail address/);
    await term.typeLine('jane.doe@acme.example');

    await term.waitForText(/\? Name for this instance/);
    await term.typeLine(name);

    // The last question says what is about to happen (--no-test: saved without a log-in test).
    await term.waitForText(new RegExp(`\\? Save it as "${name}" \\(jane\\.doe@acme\\.example at https://acme\\.eu\\.pagerduty\\.com\\) without a log-in test\\?`));
    await term.sendKeys('Enter'); // the default: yes

    expect(await term.waitForExit()).toBe(0);
    screen = await term.screen();
    expect(screen).toContain(`Name:          ${name}`);
    expect(screen).toContain('Log-in test:   skipped (--no-test)');
    expect(screen).toContain(`sspm-onboard pagerduty test ${name}`);
    expect(screen).not.toContain(password);

    const show = await runCli(['pagerduty', 'show', name, '--json'], { env });
    expect(show.code).toBe(0);
    expect(jsonOf(show)).toMatchObject({ name, subdomain: 'acme', region: 'eu', host: 'acme.eu.pagerduty.com', loginMethod: 'credentials', user: 'jane.doe@acme.example', oktaSubdomain: null, secretStore: 'keychain' });
    expect(show.stdout).not.toContain(password);
    expect(await keychainLookup(name, 'password')).toBe(password);
    expect(await keychainLookup(name, 'mfa-secret')).toBeNull();
  });

  it('azure: URL rejected at confirmation, manual subdomain and region, a bad 2FA secret re-asked, secrets in the keychain', async () => {
    const name = uniqueName('wiz-azure');
    const password = 'Wizard-Azure-pw-9031';
    const mfaSecret = 'KRUGS4ZANFZSAYJAONSWG4TFOQ2C2MZV';
    const { term, env } = await startWizard(['--no-test', '--yes']);

    await term.waitForText(/\? Account Owner user:/);
    await term.typeLine('megan@contoso.example');
    await term.waitForText(/\? Password of that account/);
    await typeSecret(term, /Password of that account \(the one you type at sign-in\)/, password);

    await term.waitForText(/\? Paste any PagerDuty URL/);
    await term.typeLine('contoso.pagerduty.com');
    await term.waitForText(/\? That is subdomain "contoso", US service region\. Correct\?/);
    await term.typeLine('n');

    await term.waitForText(/\? PagerDuty subdomain:/);
    await term.typeLine('Contoso');
    await term.waitForText(/\? Service region:/);
    await term.sendKeys('Down');
    await term.waitForText(/❯ EU/);
    await term.sendKeys('Enter');

    await term.waitForText(/\? How does the Account Owner sign in\?/);
    await term.sendKeys('Down', 'Down');
    await term.waitForText(/❯ Microsoft Entra ID \/ Azure AD single sign-on/);
    await term.sendKeys('Enter');

    const secretPrompt = /2FA secret: base32 key, otpauth:\/\/ URI, or the path of a screenshot of the QR code/;
    // Where the secret comes from, for Entra, in one line; "more" gives the steps and asks again.
    let screen = await term.waitForText(/\? 2FA secret: base32 key/);
    expect(screen).toContain('Entra: an admin allows software OATH tokens in the Authentication methods policy; then in the user\'s Security info add an Authenticator app, choose a different authenticator app, and open "Can\'t scan image?". Type "more" for the steps.');
    await term.typeLine('more');
    screen = await term.waitForText(/4\. Give the key \(or the screenshot's path\) here\..*Entra/);
    expect(screen).toContain('"I want to use a different authenticator app"');
    expect(screen).not.toMatch(/Okta \(Google Authenticator\):/);
    await term.waitForText(/4\. Give the key[\s\S]*\? 2FA secret: base32 key/);
    await term.typeLine('not-a-secret!'); // not base32
    screen = await term.waitForText(/> Invalid 2FA secret: it contains characters that are not base32/);
    expect(screen.match(/✔ 2FA secret/g)).toHaveLength(1); // the "more" answer only: the bad secret is re-asked
    expect(screen).not.toContain('not-a-secret!'); // masked even when wrong
    // Cleared for the next try, not pre-filled: no stars after the prompt (a masked value cannot be edited).
    expect(maskAfter(screen, new RegExp(`\\? ${secretPrompt.source}`))).toBe('');
    await typeSecret(term, secretPrompt, mfaSecret);
    await term.waitForText(/\? Is Entra asking for a code to finish setting up the authenticator\?/);
    await term.typeLine('n');

    await term.waitForText(/\? Name for this instance .*\(contoso\)/);
    await term.typeLine(name);
    expect(await term.waitForExit()).toBe(0); // --yes: no last question
    screen = await term.screen();
    expect(screen).not.toMatch(/without a log-in test\?/);
    expect(screen).toContain('Login method:  Microsoft Entra ID (Azure AD) SSO');
    expect(screen).not.toContain(password);
    expect(screen).not.toContain(mfaSecret);

    const show = await runCli(['pagerduty', 'show', name, '--json'], { env });
    expect(jsonOf(show)).toMatchObject({ name, subdomain: 'contoso', region: 'eu', loginMethod: 'azure', user: 'megan@contoso.example', oktaSubdomain: null });
    expect(show.stdout + show.stderr).not.toContain(password);
    expect(show.stdout + show.stderr).not.toContain(mfaSecret);
    expect(await keychainLookup(name, 'password')).toBe(password);
    expect(await keychainLookup(name, 'mfa-secret')).toContain(`secret=${mfaSecret}`);
  });

  it('okta against the sandbox: typed answers, then the real browser log-in, then stored', async () => {
    const name = uniqueName('wiz-okta');
    // The sandbox's us-okta-classic sample account (fake values that only the sandbox accepts).
    const password = 'sandbox-Okta-Acme-pw-7';
    const mfaSecret = 'SANDBOXFAKEACMEOKTAOWNERTOTPAAAA';
    const { term, env } = await startWizard(['--sandbox', '--timeout', '60']);

    // Against the sandbox the login method comes first: every sample value offered follows it.
    await term.waitForText(/\? How does the Account Owner sign in\?/);
    await term.sendKeys('Up');
    await term.waitForText(/❯ PagerDuty email and password/);
    await term.sendKeys('Down');
    await term.waitForText(/❯ Okta single sign-on/);
    await term.sendKeys('Enter');

    await term.waitForText(/\? Account Owner user:/);
    await term.typeLine('owner@acme.example');
    await term.waitForText(/\? Password of that account/);
    await typeSecret(term, /Password of that account \(the one you type at sign-in\) \[Enter: the sandbox sample\]/, password);

    await term.waitForText(/\? Paste any PagerDuty URL/);
    await term.typeLine('https://acme.pagerduty.com/incidents');
    await term.waitForText(/\? That is subdomain "acme", US service region\. Correct\?/);
    await term.typeLine('y');

    await term.waitForText(/\? Okta subdomain:/);
    await term.typeLine('https://acme.okta.com');

    await term.waitForText(/\? 2FA secret: base32 key/);
    await typeSecret(term, /2FA secret: base32 key, otpauth:\/\/ URI, or the path of a screenshot of the QR code \[Enter: the sandbox sample\]/, mfaSecret);

    // The code to finish enrolling in Okta: a current one for this secret, then Enter.
    await term.waitForText(/\? Is Okta asking for a code to finish setting up the authenticator\?/);
    await term.typeLine('y');
    const codeScreen = await term.waitForText(/Type \d{3} \d{3} in Okta to finish enrolling; valid \d+ s more\./);
    const shownCode = /Type (\d{3}) (\d{3}) in Okta/.exec(codeScreen)!.slice(1).join('');
    expect(matchTotp(mfaSecret, shownCode)).not.toBeNull();
    await term.waitForText(/\? Press Enter once Okta accepted it/);
    await term.typeLine('');

    await term.waitForText(/\? Name for this instance/);
    await term.typeLine(name);

    await term.waitForText(new RegExp(`\\? Sign in to https://acme\\.pagerduty\\.com as owner@acme\\.example through Okta \\(https://acme\\.okta\\.com\\) to test, then save it as "${name}"\\?`));
    await term.typeLine('y');

    expect(await term.waitForExit(60_000)).toBe(0);
    const screen = await term.screen();
    expect(screen).toMatch(/Log-in test:   passed in [\d.]+ s; Account Owner verified/);
    expect(screen).toContain('Okta org:      https://acme.okta.com');
    expect(screen).not.toContain(password);
    expect(screen).not.toContain(mfaSecret);

    const show = await runCli(['pagerduty', 'show', name, '--json'], { env });
    const shown = jsonOf(show);
    expect(shown).toMatchObject({ name, subdomain: 'acme', region: 'us', loginMethod: 'okta', user: 'owner@acme.example', oktaSubdomain: 'acme', oktaDomain: 'okta.com' });
    expect(shown.lastTest).toMatchObject({ ok: true, owner: 'verified' });
    expect(show.stdout + show.stderr).not.toContain(password);
    expect(show.stdout + show.stderr).not.toContain(mfaSecret);
    expect(await keychainLookup(name, 'password')).toBe(password);
    expect(await keychainLookup(name, 'mfa-secret')).toContain(`secret=${mfaSecret}`);
  });

  it('update asks for the new password in a terminal; Ctrl-C there and a "no" to remove change nothing', async () => {
    const name = uniqueName('wiz-update');
    const oldPassword = 'Wizard-Update-old-pw-1';
    const newPassword = 'Wizard-Update-new-pw-2';
    const configDir = tempDir('sspm-cli-wizard-');
    dirs.push(configDir);
    const env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir });
    const add = await runCli(['pagerduty', 'add', '--name', name, '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'owner@acme.example', '--password-stdin', '--no-test'], { env, input: oldPassword });
    expect(add.code).toBe(0);

    const start = async (args: string[]) => {
      const term = await Terminal.start([process.execPath, CLI, 'pagerduty', ...args], { env });
      terminals.push(term);
      return term;
    };

    // Ctrl-C at the password prompt: the stored password stays.
    let term = await start(['update', name, '--no-test']);
    await term.waitForText(/\? Password of that account/);
    await term.sendText('half-typed');
    await term.sendKeys('C-c');
    expect(await term.waitForExit()).toBe(130);
    expect(await keychainLookup(name, 'password')).toBe(oldPassword);

    term = await start(['update', name, '--no-test']);
    await term.waitForText(/\? Password of that account/);
    // It says which instance it updates, and what it asks for.
    expect(await term.screen()).toContain(`Updating "${name}" (owner@acme.example at https://acme.pagerduty.com): type the new password; everything else stays as stored.`);
    await typeSecret(term, /Password of that account \(the one you type at sign-in\)/, newPassword);
    await term.waitForText(new RegExp(`\\? Replace what "${name}" has stored \\(owner@acme\\.example at https://acme\\.pagerduty\\.com\\) without a log-in test\\?`));
    await term.sendKeys('Enter');
    expect(await term.waitForExit()).toBe(0);
    let screen = await term.screen();
    expect(screen).toContain(`Updated "${name}"`);
    expect(screen).not.toContain(newPassword);
    expect(await keychainLookup(name, 'password')).toBe(newPassword);

    // remove asks first; the default answer is no.
    term = await start(['remove', name]);
    await term.waitForText(new RegExp(`\\? Remove "${name}" and its stored secrets\\?`));
    await term.sendKeys('Enter');
    expect(await term.waitForExit()).toBe(0);
    screen = await term.screen();
    expect(screen).toContain('Nothing removed.');
    expect(Object.keys(configInstances(configDir))).toEqual([name]);
    expect(await keychainLookup(name, 'password')).toBe(newPassword);

    term = await start(['remove', name]);
    await term.waitForText(/\? Remove "/);
    await term.typeLine('y');
    expect(await term.waitForExit()).toBe(0);
    expect(configInstances(configDir)).toEqual({});
    expect(await keychainLookup(name, 'password')).toBeNull();
  });

  it('"no" to the last question: nothing tested, nothing stored, exit 0', async () => {
    const name = uniqueName('wiz-decline');
    const password = 'Wizard-Decline-pw-3108';
    const { term, configDir } = await startWizard(['--name', name, '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'owner@acme.example']);
    await term.waitForText(/\? Password of that account/);
    await typeSecret(term, /Password of that account \(the one you type at sign-in\)/, password);
    await term.waitForText(new RegExp(`\\? Sign in to https://acme\\.pagerduty\\.com as owner@acme\\.example to test, then save it as "${name}"\\? \\(Y/n\\)`));
    await term.typeLine('n');
    expect(await term.waitForExit()).toBe(0);
    const screen = await term.screen();
    expect(screen).toContain('Nothing was tested or stored.');
    expect(screen).not.toMatch(/Log-in test:|Chromium/);
    expect(screen).not.toContain(password);
    expect(configInstances(configDir)).toEqual({});
    expect(await keychainLookup(name, 'password')).toBeNull();
  });

  it('Ctrl-C at a prompt exits 130 with nothing written', async () => {
    const name = uniqueName('wiz-ctrlc');
    const password = 'Wizard-CtrlC-pw-5520';
    const { term, configDir } = await startWizard(['--no-test', '--name', name, '--url', 'https://acme.pagerduty.com', '--login-method', 'azure']);

    await term.waitForText(/\? Account Owner user:/);
    await term.typeLine('megan@contoso.example');
    await term.waitForText(/\? Password of that account/);
    await typeSecret(term, /Password of that account \(the one you type at sign-in\)/, password);
    // The last prompt: everything else is known.
    await term.waitForText(/\? 2FA secret/);
    await term.sendText('JBSWY3DP');
    await term.sendKeys('C-c');

    expect(await term.waitForExit()).toBe(130);
    const screen = await term.screen();
    expect(screen).toMatch(/Interrupted; nothing was saved/);
    // A cancel is the user's choice: one line, not worded as an error.
    expect(screen).not.toMatch(/Error: Interrupted/);
    expect(screen).not.toContain(password);
    expect(configInstances(configDir)).toEqual({});
    expect(await keychainLookup(name, 'password')).toBeNull();
    const everything = await keychainSearch();
    expect(everything).not.toContain(name);
    expect(everything).not.toContain(password);
  });
});
