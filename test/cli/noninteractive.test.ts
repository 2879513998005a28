// Scripts and CI: no prompt ever, a missing or invalid value is one line naming the flag (and its environment
// twin), exit 2; --dry-run --json prints one object and touches nothing; --help/--version stay light.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CLI, cleanEnv, removeDir, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { Terminal } from '../helpers/terminal.js';
import { jsonOf } from './helpers.js';

const root = tempDir('sspm-cli-noninteractive-');
afterAll(() => removeDir(root));

let dirCount = 0;
/** A config folder path that does not exist yet (the CLI must not create it unless it stores something). */
function freshConfigDir(): string {
  dirCount += 1;
  return path.join(root, `config-${dirCount}`);
}

const PASSWORD = 'NonInteractive-pw-7731';
const MFA_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const DEAD_BUS = 'unix:path=/nonexistent/dbus-socket';

/** The CLI with stdin an open pipe that never ends and never gets data: it must not wait for input. */
function runWithOpenStdin(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    // A bound for a hung test, not a timing assertion: a CLI waiting on stdin would be killed and fail below.
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function errorLines(result: CliResult): string[] {
  return result.stderr.trim().split('\n');
}

describe('missing values without a TTY', () => {
  const base = { url: ['--url', 'https://acme.pagerduty.com'], method: ['--login-method', 'credentials'], user: ['--user', 'owner@acme.example'] };
  const cases: Array<{ missing: string; args: string[]; env: Record<string, string>; flag: string; envName: string }> = [
    { missing: 'user', args: [...base.url, ...base.method], env: { SSPM_PAGERDUTY_PASSWORD: PASSWORD }, flag: '--user', envName: 'SSPM_PAGERDUTY_USER' },
    { missing: 'password', args: [...base.url, ...base.method, ...base.user], env: {}, flag: '--password-stdin', envName: 'SSPM_PAGERDUTY_PASSWORD' },
    { missing: 'location', args: [...base.method, ...base.user], env: { SSPM_PAGERDUTY_PASSWORD: PASSWORD }, flag: '--url', envName: 'SSPM_PAGERDUTY_URL' },
    { missing: 'login method', args: [...base.url, ...base.user], env: { SSPM_PAGERDUTY_PASSWORD: PASSWORD }, flag: '--login-method', envName: 'SSPM_PAGERDUTY_LOGIN_METHOD' },
    {
      missing: 'Okta subdomain',
      args: [...base.url, '--login-method', 'okta', ...base.user],
      env: { SSPM_PAGERDUTY_PASSWORD: PASSWORD, SSPM_PAGERDUTY_MFA_SECRET: MFA_SECRET },
      flag: '--okta-subdomain',
      envName: 'SSPM_PAGERDUTY_OKTA_SUBDOMAIN',
    },
    { missing: '2FA secret', args: [...base.url, '--login-method', 'azure', ...base.user], env: { SSPM_PAGERDUTY_PASSWORD: PASSWORD }, flag: '--mfa-secret-stdin', envName: 'SSPM_PAGERDUTY_MFA_SECRET' },
  ];

  it.each(cases)('no $missing: exit 2 at once, naming $flag and $envName, nothing created', async ({ args, env, flag, envName }) => {
    const configDir = freshConfigDir();
    const result = await runWithOpenStdin(['pagerduty', 'add', ...args], cleanEnv({ ...env, SSPM_ONBOARD_CONFIG_DIR: configDir }));
    expect(result.signal).toBeNull();
    expect(result.code).toBe(2);
    expect(errorLines(result)).toHaveLength(1);
    expect(result.stderr).toMatch(/^Error: Missing /);
    expect(result.stderr).toContain(flag);
    expect(result.stderr).toContain(envName);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toContain(PASSWORD);
    expect(existsSync(configDir)).toBe(false);
  });

  it('with every value given, the same command runs (the cases above fail only for what is missing)', async () => {
    const result = await runWithOpenStdin(
      ['pagerduty', 'add', ...base.url, ...base.method, ...base.user, '--dry-run', '--json'],
      cleanEnv({ SSPM_PAGERDUTY_PASSWORD: PASSWORD, SSPM_ONBOARD_CONFIG_DIR: freshConfigDir() }),
    );
    expect(result.code).toBe(0);
    expect(jsonOf(result)).toMatchObject({ name: 'acme', user: 'owner@acme.example' });
  });
});

describe('never a prompt in a terminal when CI is set or with --no-input', () => {
  const terminals: Terminal[] = [];
  afterEach(async () => {
    for (const terminal of terminals.splice(0)) await terminal.kill();
  });

  async function inTerminal(args: string[], extraEnv: Record<string, string>): Promise<Terminal> {
    const term = await Terminal.start([process.execPath, CLI, 'pagerduty', 'add', ...args], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: freshConfigDir(), ...extraEnv }) });
    terminals.push(term);
    return term;
  }

  it.each<{ label: string; args: string[]; env: Record<string, string> }>([
    { label: 'CI=true', args: [], env: { CI: 'true' } },
    { label: 'CI=1', args: [], env: { CI: '1' } },
    { label: '--no-input', args: ['--no-input'], env: {} },
  ])('$label: exit 2 naming --user, no question asked', async ({ args, env }) => {
    const term = await inTerminal(['--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', ...args], env);
    expect(await term.waitForExit()).toBe(2);
    const screen = await term.screen();
    expect(screen).toContain('Missing the Account Owner user');
    expect(screen).toContain('--user');
    expect(screen).toContain('SSPM_PAGERDUTY_USER');
    expect(screen).not.toMatch(/^\? /m);
  });

  it('the same terminal without CI does ask (so the cases above test something)', async () => {
    const term = await inTerminal(['--url', 'https://acme.pagerduty.com', '--login-method', 'credentials'], { CI: 'false' });
    await term.waitForText(/^\? Account Owner user:/m);
    expect(await term.exitCode()).toBeNull();
  });
});

describe('--dry-run --json', () => {
  /** A trace of every module each process loads (see fixtures/trace-loads.mjs). */
  function traced(extra: Record<string, string>): { env: NodeJS.ProcessEnv; loads: () => string } {
    const file = path.join(root, `trace-${(dirCount += 1)}.txt`);
    writeFileSync(file, '');
    const preload = path.join(import.meta.dirname, 'fixtures/trace-loads.mjs');
    return { env: cleanEnv({ NODE_OPTIONS: `--import=${preload}`, TRACE_LOADS_FILE: file, ...extra }), loads: () => readFileSync(file, 'utf8') };
  }

  it('prints one JSON object with the resolved instance and no secret; no config folder, keychain or browser', async () => {
    const configDir = freshConfigDir();
    // A dead D-Bus address: any keychain call would fail the run.
    const { env, loads } = traced({ SSPM_ONBOARD_CONFIG_DIR: configDir, DBUS_SESSION_BUS_ADDRESS: DEAD_BUS, SSPM_PAGERDUTY_MFA_SECRET: `otpauth://totp/Okta:jane?secret=${MFA_SECRET}&issuer=Okta&digits=8&period=60&algorithm=SHA256` });
    const result = await runCli(
      ['pagerduty', 'add', '--url', 'https://globex.eu.pagerduty.com/incidents', '--login-method', 'okta', '--user', 'jane', '--okta-subdomain', 'https://globex.oktapreview.com', '--password-stdin', '--dry-run', '--json'],
      { env, input: `${PASSWORD}\n` },
    );
    expect(result.code).toBe(0);
    const json = jsonOf(result);
    expect(json).toMatchObject({ name: 'globex', subdomain: 'globex', region: 'eu', loginMethod: 'okta', user: 'jane', oktaSubdomain: 'globex', oktaDomain: 'oktapreview.com', mfa: { digits: 8, period: 60, algorithm: 'sha256' } });
    const everything = result.stdout + result.stderr;
    for (const secret of [PASSWORD, MFA_SECRET, MFA_SECRET.toLowerCase(), 'otpauth', Buffer.from(PASSWORD).toString('base64')]) expect(everything).not.toContain(secret);
    expect(existsSync(configDir)).toBe(false);
    const loaded = loads();
    expect(loaded).toContain('dist/cli.cjs');
    expect(loaded).not.toContain('@napi-rs/keyring');
    expect(loaded).not.toContain('puppeteer-core');
  });

  it('subdomain is null without a personalized subdomain, and credentials carry no Okta subdomain', async () => {
    const result = await runCli(['pagerduty', 'add', '--url', 'app.eu.pagerduty.com', '--login-method', 'credentials', '--user', 'owner@initrode.example', '--dry-run', '--json'], {
      env: cleanEnv({ SSPM_PAGERDUTY_PASSWORD: PASSWORD, SSPM_ONBOARD_CONFIG_DIR: freshConfigDir() }),
    });
    expect(result.code).toBe(0);
    const json = jsonOf(result);
    expect(json).toMatchObject({ name: 'pagerduty-eu', subdomain: null, region: 'eu', loginMethod: 'credentials', user: 'owner@initrode.example', oktaSubdomain: null });
    expect(result.stdout).not.toContain(PASSWORD);
  });

  it.each([
    { url: 'https://acme.pagerduty.com/incidents', name: 'acme', subdomain: 'acme', region: 'us' },
    { url: 'https://acme.eu.pagerduty.com', name: 'acme', subdomain: 'acme', region: 'eu' },
    { url: 'https://app.pagerduty.com', name: 'pagerduty-us', subdomain: null, region: 'us' },
    { url: 'app.eu.pagerduty.com/x', name: 'pagerduty-eu', subdomain: null, region: 'eu' },
  ])('default name for $url is $name', async ({ url, name, subdomain, region }) => {
    const result = await runCli(['pagerduty', 'add', '--url', url, '--login-method', 'credentials', '--user', 'o@x.example', '--dry-run', '--json'], {
      env: cleanEnv({ SSPM_PAGERDUTY_PASSWORD: PASSWORD }),
    });
    expect(result.code).toBe(0);
    expect(jsonOf(result)).toMatchObject({ name, subdomain, region });
  });

  it('takes every value from the environment twins', async () => {
    const result = await runCli(['pagerduty', 'add', '--dry-run', '--json'], {
      env: cleanEnv({
        SSPM_PAGERDUTY_SUBDOMAIN: 'Contoso',
        SSPM_PAGERDUTY_REGION: 'eu',
        SSPM_PAGERDUTY_LOGIN_METHOD: 'azure',
        SSPM_PAGERDUTY_USER: 'megan@contoso.example',
        SSPM_PAGERDUTY_PASSWORD: PASSWORD,
        SSPM_PAGERDUTY_MFA_SECRET: MFA_SECRET,
        SSPM_ONBOARD_CONFIG_DIR: freshConfigDir(),
      }),
    });
    expect(result.code).toBe(0);
    expect(jsonOf(result)).toMatchObject({ name: 'contoso', subdomain: 'contoso', region: 'eu', loginMethod: 'azure', user: 'megan@contoso.example', mfa: { digits: 6, period: 30 } });
    expect(result.stdout + result.stderr).not.toContain(MFA_SECRET);

    const okta = await runCli(['pagerduty', 'add', '--dry-run', '--json'], {
      env: cleanEnv({
        SSPM_PAGERDUTY_URL: 'https://hooli.pagerduty.com',
        SSPM_PAGERDUTY_LOGIN_METHOD: 'okta',
        SSPM_PAGERDUTY_OKTA_SUBDOMAIN: 'hooli',
        SSPM_PAGERDUTY_USER: 'gavin',
        SSPM_PAGERDUTY_PASSWORD: PASSWORD,
        SSPM_PAGERDUTY_MFA_SECRET: MFA_SECRET,
      }),
    });
    expect(okta.code).toBe(0);
    expect(jsonOf(okta)).toMatchObject({ name: 'hooli', subdomain: 'hooli', region: 'us', loginMethod: 'okta', user: 'gavin', oktaSubdomain: 'hooli', oktaDomain: 'okta.com' });
  });

  it('a flag wins over its environment twin', async () => {
    const env = cleanEnv({
      SSPM_PAGERDUTY_URL: 'https://other.eu.pagerduty.com',
      SSPM_PAGERDUTY_LOGIN_METHOD: 'azure',
      SSPM_PAGERDUTY_USER: 'env-user@other.example',
      SSPM_PAGERDUTY_OKTA_SUBDOMAIN: 'envorg',
      // Invalid if used (a line break): the run passes only if the flags' values are taken.
      SSPM_PAGERDUTY_PASSWORD: 'env\npassword',
      SSPM_PAGERDUTY_MFA_SECRET: 'not base32 !!',
    });
    const secretFile = path.join(root, 'mfa-secret.txt');
    writeFileSync(secretFile, `${MFA_SECRET}\n`, { mode: 0o600 });
    const result = await runCli(
      ['pagerduty', 'add', '--url', 'https://acme.pagerduty.com', '--login-method', 'okta', '--user', 'flag-user', '--okta-subdomain', 'flagorg', '--password-stdin', '--mfa-secret-file', secretFile, '--dry-run', '--json'],
      { env, input: PASSWORD },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(jsonOf(result)).toMatchObject({ name: 'acme', subdomain: 'acme', region: 'us', loginMethod: 'okta', user: 'flag-user', oktaSubdomain: 'flagorg' });

    // Control: without the secret flags the (invalid) twins are used and refused.
    const twins = await runCli(['pagerduty', 'add', '--dry-run', '--json'], { env });
    expect(twins.code).toBe(2);
    expect(twins.stderr).toMatch(/password: it contains a line break/);
  });

  it('--password-stdin reads the password from stdin: empty stdin is refused', async () => {
    const result = await runCli(['pagerduty', 'add', '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'o@acme.example', '--password-stdin', '--dry-run'], {
      env: cleanEnv({ SSPM_PAGERDUTY_PASSWORD: PASSWORD }),
      input: '',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--password-stdin read an empty password from stdin');
  });
});

describe('usage and validation errors: one line naming the field, exit 2', () => {
  const ok = ['--login-method', 'credentials', '--user', 'o@acme.example', '--dry-run'];
  const cases: Array<{ label: string; args: string[]; env?: Record<string, string>; expected: RegExp[] }> = [
    { label: '--mfa-secret-stdin with --password-stdin', args: ['--url', 'acme.pagerduty.com', '--login-method', 'azure', '--user', 'u', '--password-stdin', '--mfa-secret-stdin', '--dry-run'], expected: [/--password-stdin/, /--mfa-secret-stdin/] },
    { label: '--url contradicting --subdomain', args: ['--url', 'https://acme.pagerduty.com', '--subdomain', 'other', ...ok], expected: [/--url/, /--subdomain/, /"acme"/, /"other"/] },
    { label: '--url contradicting --region', args: ['--url', 'https://acme.pagerduty.com', '--region', 'eu', ...ok], expected: [/--url/, /--region/] },
    { label: 'a look-alike URL', args: ['--url', 'https://evilpagerduty.com', ...ok], expected: [/--url/, /evilpagerduty\.com/, /e\.g\. https:\/\/acme\.pagerduty\.com/] },
    { label: 'a URL with the PagerDuty host as user info', args: ['--url', 'https://acme.pagerduty.com@evil.io', ...ok], expected: [/--url/] },
    { label: 'a non-https scheme', args: ['--url', 'ftp://acme.pagerduty.com', ...ok], expected: [/--url/] },
    { label: 'an invalid subdomain', args: ['--subdomain', 'bad_sub!', '--region', 'us', ...ok], expected: [/--subdomain/, /e\.g\. acme/] },
    { label: 'an unknown login method', args: ['--url', 'acme.pagerduty.com', '--login-method', 'ldap', '--user', 'o@acme.example', '--dry-run'], expected: [/--login-method/, /ldap/] },
    { label: 'a non-email user with credentials', args: ['--url', 'acme.pagerduty.com', '--login-method', 'credentials', '--user', 'jane', '--dry-run'], expected: [/--user/, /e-mail/, /e\.g\. jane@acme\.com/] },
    { label: 'an invalid Okta subdomain', args: ['--url', 'acme.pagerduty.com', '--login-method', 'okta', '--user', 'jane', '--okta-subdomain', 'https://acme.evil.com', '--dry-run'], env: { SSPM_PAGERDUTY_MFA_SECRET: MFA_SECRET }, expected: [/--okta-subdomain/] },
    { label: 'an invalid 2FA secret', args: ['--url', 'acme.pagerduty.com', '--login-method', 'azure', '--user', 'jane', '--dry-run'], env: { SSPM_PAGERDUTY_MFA_SECRET: '123456' }, expected: [/2FA secret/] },
    { label: 'an invalid instance name', args: ['--url', 'acme.pagerduty.com', '--name', 'Bad Name!', ...ok], expected: [/--name/, /e\.g\. acme-prod/] },
    { label: 'an invalid --secret-store', args: ['--url', 'acme.pagerduty.com', '--secret-store', 'vault', ...ok], expected: [/--secret-store/, /keychain or file/] },
  ];

  it.each(cases)('$label', async ({ args, env, expected }) => {
    const result = await runWithOpenStdin(['pagerduty', 'add', ...args], cleanEnv({ SSPM_PAGERDUTY_PASSWORD: PASSWORD, SSPM_ONBOARD_CONFIG_DIR: freshConfigDir(), ...env }));
    expect(result.signal).toBeNull();
    expect(result.code).toBe(2);
    expect(errorLines(result)).toHaveLength(1);
    expect(result.stderr).toMatch(/^Error: /);
    for (const pattern of expected) expect(result.stderr).toMatch(pattern);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toContain(PASSWORD);
    expect(result.stderr).not.toContain(MFA_SECRET);
  });

  it('an invalid --region choice and an unknown option exit 2 naming them', async () => {
    const region = await runCli(['pagerduty', 'add', '--region', 'mars', '--dry-run'], { env: cleanEnv() });
    expect(region.code).toBe(2);
    expect(region.stderr).toMatch(/--region/);
    expect(region.stderr).toMatch(/mars/);
    const unknown = await runCli(['pagerduty', 'add', '--bogus'], { env: cleanEnv() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("Error: Unknown option '--bogus'. See: sspm-onboard pagerduty add --help\n");
    const unknownCommand = await runCli(['pagerduty', 'frobnicate'], { env: cleanEnv() });
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toMatch(/^Error: Unknown command "frobnicate" for sspm-onboard pagerduty\. Commands: add, list/);
  });

  it('a password given as a flag value points to --password-stdin and the variable, never repeating it (like docker login)', async () => {
    for (const args of [
      ['pagerduty', 'add', '--password', 'hunter2hunter2'],
      ['pagerduty', 'add', '--password=hunter2hunter2'],
      ['pagerduty', 'update', 'acme', '--password', 'hunter2hunter2'],
    ]) {
      const result = await runCli(args, { env: cleanEnv() });
      expect(result.code).toBe(2);
      expect(errorLines(result)).toHaveLength(1);
      expect(result.stderr).toMatch(/^Error: No flag takes the password as its value/);
      expect(result.stderr).toContain('--password-stdin');
      expect(result.stderr).toContain('SSPM_PAGERDUTY_PASSWORD');
      expect(result.stderr).not.toContain('hunter2');
    }
  });

  it('`pagerduty lst` suggests `list` instead of "too many arguments for \'add\'"', async () => {
    const result = await runCli(['pagerduty', 'lst'], { env: cleanEnv() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error: Unknown command "lst" for sspm-onboard pagerduty\. Did you mean: sspm-onboard pagerduty list\?/);
    expect(result.stderr).not.toContain('too many arguments');
  });

  it('every command accepts the global flags --json, --no-input and --debug', async () => {
    for (const args of [['pagerduty', 'list'], ['doctor', '--help'], ['pagerduty', 'show', '--help'], ['pagerduty', 'remove', '--help'], ['sandbox', '--help'], ['pagerduty', 'test', '--help'], ['pagerduty', 'update', '--help'], ['pagerduty', 'add', '--help']]) {
      const result = await runCli([...args, '--json', '--no-input', '--debug'], { env: cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: freshConfigDir() }) });
      expect(result.stderr, args.join(' ')).not.toMatch(/unknown option/i);
      expect(result.code, args.join(' ')).toBe(0);
      if (args.includes('--help')) for (const flag of ['--json', '--no-input', '--debug']) expect(result.stdout).toContain(flag);
    }
  });

  it('--okta-subdomain xn---admin is refused (it printed "oktaSubdomain":"xn--" and exited 0)', async () => {
    const result = await runCli(['pagerduty', 'add', '--url', 'acme.pagerduty.com', '--login-method', 'okta', '--okta-subdomain', 'xn---admin', '--user', 'jane', '--dry-run', '--json'], {
      env: cleanEnv({ SSPM_PAGERDUTY_PASSWORD: PASSWORD, SSPM_PAGERDUTY_MFA_SECRET: MFA_SECRET }),
    });
    expect(result.code).toBe(2);
    expect(jsonOf(result).error.message).toMatch(/^Invalid --okta-subdomain "xn---admin"/);
    expect(result.stdout).not.toContain('"xn--"');
  });

  it('a 2FA secret that cannot make a code is refused when given, not at log-in', async () => {
    const result = await runCli(['pagerduty', 'add', '--url', 'acme.pagerduty.com', '--login-method', 'azure', '--user', 'jane', '--dry-run'], {
      env: cleanEnv({ SSPM_PAGERDUTY_PASSWORD: PASSWORD, SSPM_PAGERDUTY_MFA_SECRET: 'otpauth://totp/x?issuer=y' }),
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/2FA secret/);
  });
});

describe('adding an existing name', () => {
  it('fails pointing to `update`, and leaves the stored instance as it was', async () => {
    const configDir = freshConfigDir();
    const env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir, SSPM_ONBOARD_PASSPHRASE: 'noninteractive passphrase', SSPM_PAGERDUTY_PASSWORD: PASSWORD });
    const args = ['pagerduty', 'add', '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'owner@acme.example', '--secret-store', 'file', '--no-test'];
    const first = await runCli(args, { env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const before = readFileSync(path.join(configDir, 'config.json'), 'utf8');

    const again = await runCli([...args.slice(0, 6), '--user', 'someone-else@acme.example', ...args.slice(8)], { env });
    expect(again.code).toBe(2);
    expect(errorLines(again)).toHaveLength(1);
    expect(again.stderr).toContain('An instance named "acme" exists already');
    expect(again.stderr).toContain('sspm-onboard pagerduty update acme');
    expect(readFileSync(path.join(configDir, 'config.json'), 'utf8')).toBe(before);
  });
});

describe('--help and --version', () => {
  const preload = path.join(import.meta.dirname, 'fixtures/trace-loads.mjs');
  function traceEnv(file: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    writeFileSync(file, '');
    return cleanEnv({ NODE_OPTIONS: `--import=${preload}`, TRACE_LOADS_FILE: file, ...extra });
  }

  it.each(['--help', '--version', '-V', 'pagerduty --help', 'pagerduty add --help', 'pagerduty test --help', 'help pagerduty'].map((command) => ({ command })))(
    '`$command` exits 0 and loads neither puppeteer-core nor @napi-rs/keyring',
    async ({ command }) => {
      const args = command.split(' ');
      const file = path.join(root, `trace-help-${(dirCount += 1)}.txt`);
      const result = await runCli(args, { env: traceEnv(file) });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout.length).toBeGreaterThan(0);
      const loaded = readFileSync(file, 'utf8');
      expect(loaded).toContain('dist/cli.cjs'); // the trace works
      expect(loaded).not.toContain('puppeteer');
      expect(loaded).not.toContain('@napi-rs/keyring');
    },
  );

  it('the trace does see both modules when a command needs them', async () => {
    const browserFile = path.join(root, 'trace-browser.txt');
    // A flags-only log-in test with a browser path that does not exist: puppeteer-core loads, no browser starts.
    const test = await runCli(['pagerduty', 'test', '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'o@acme.example', '--browser', '/nonexistent/chrome'], {
      env: traceEnv(browserFile, { SSPM_PAGERDUTY_PASSWORD: PASSWORD }),
    });
    expect(test.code).not.toBe(0);
    expect(readFileSync(browserFile, 'utf8')).toContain('puppeteer-core');

    const keychainFile = path.join(root, 'trace-keychain.txt');
    // Storing in a keychain that is not there: the keychain helper loads @napi-rs/keyring, then fails (exit 8).
    const add = await runCli(['pagerduty', 'add', '--url', 'https://acme.pagerduty.com', '--login-method', 'credentials', '--user', 'o@acme.example', '--no-test'], {
      env: traceEnv(keychainFile, { SSPM_PAGERDUTY_PASSWORD: PASSWORD, DBUS_SESSION_BUS_ADDRESS: DEAD_BUS, SSPM_ONBOARD_CONFIG_DIR: freshConfigDir() }),
    });
    expect(add.code).toBe(8);
    expect(readFileSync(keychainFile, 'utf8')).toContain('@napi-rs/keyring');
  });

  it('--help documents the exit codes and shows the wizard, script and CI examples', async () => {
    const result = await runCli(['pagerduty', '--help'], { env: cleanEnv() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Exit codes:');
    for (const code of ['0 ', '1 ', '2 ', '3 ', '4 ', '5 ', '6 ', '7 ', '8 ', '130 ']) expect(result.stdout).toMatch(new RegExp(`^  ${code}`, 'm'));
    expect(result.stdout).toContain('npx sspm-onboard pagerduty');
    expect(result.stdout).toContain('--password-stdin');
    expect(result.stdout).toMatch(/CI smoke check/);
  });
});
