// The 2FA secret from a QR screenshot (--mfa-secret-qr) and `pagerduty code`, through the built CLI: what is
// accepted (only otpauth://totp, digits/period/algorithm kept), what is refused (exit 2 and why), and that a
// shown code is never shown or typed twice. QR images are made here with the `qrcode` package.
import { mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import QRCode from 'qrcode';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { generate } from 'otplib';
import { CLI, cleanEnv, readTree, removeDir, runCli, tempDir } from '../helpers/cli.js';
import { Terminal } from '../helpers/terminal.js';
import { MFA_GUIDES, mfaGuideLines } from '../../src/core/mfa-guide.js';
import { matchTotp } from '../../src/sandbox/totp.js';

const root = tempDir('sspm-cli-qr-');
const SECRET = 'KRSXG5CTMVRXEZLUKN2XAZLSONSWG4TF'; // fake, this test only
const terminals: Terminal[] = [];

afterEach(async () => {
  for (const terminal of terminals.splice(0)) await terminal.kill();
});
afterAll(() => removeDir(root));

let count = 0;
function dir(): string {
  const d = path.join(root, `d${(count += 1)}`);
  mkdirSync(d);
  return d;
}

async function qrPng(text: string): Promise<string> {
  const file = path.join(dir(), 'shot.png');
  await QRCode.toFile(file, text, { type: 'png', margin: 4, scale: 6 });
  return file;
}

function env(configDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: configDir, ...extra });
}

const jsonOf = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

describe('--mfa-secret-qr', () => {
  it('an otpauth://totp QR code: issuer and account shown, digits, period and algorithm kept, the secret never printed', async () => {
    const uri = `otpauth://totp/Globex:alice%40globex.example?secret=${SECRET}&issuer=Globex&digits=8&period=60&algorithm=SHA256`;
    const image = await qrPng(uri);
    const configDir = dir();
    const result = await runCli(['pagerduty', 'code', '--mfa-secret-qr', image, '--json'], { env: env(configDir) });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('2FA secret from the QR code: issuer Globex, account alice@globex.example (8 digits every 60 s, SHA256).');
    const json = jsonOf(result.stdout);
    expect(Object.keys(json).sort()).toEqual(['code', 'digits', 'expiresInSeconds', 'period']);
    expect(json).toMatchObject({ digits: 8, period: 60 });
    // The code of this secret with these parameters (otplib, an independent generator), in this window or the next.
    const now = Date.now() / 1000;
    const near = await Promise.all([0, 60].map((ahead) => generate({ secret: SECRET, digits: 8, period: 60, algorithm: 'sha256', epoch: Math.floor(now + ahead) })));
    expect(near).toContain(json.code);
    expect(json.expiresInSeconds as number).toBeGreaterThan(0);
    expect(json.expiresInSeconds as number).toBeLessThanOrEqual(60);
    for (const text of [result.stdout, result.stderr]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('otpauth');
    }
    // The ledger holds a counter, not the code or the secret; the image was not copied anywhere.
    for (const { file, text } of readTree(configDir)) {
      expect(text, file).not.toContain(SECRET);
      expect(text, file).not.toContain(String(json.code));
      expect(text, file).not.toContain('PNG');
    }
  });

  it.each([
    ['a web address', 'https://acme.okta.com/enduser/settings', /the QR code holds a web address, not an otpauth:\/\/totp\/ 2FA secret/],
    ['an HOTP secret', `otpauth://hotp/Acme:bob?secret=${SECRET}&counter=1`, /counter-based \(HOTP\) secret/],
    ['an Okta Verify enrollment', 'oktaverify://bob@acme.example/?t=abc&f=def&s=https://acme.okta.com', /an Okta Verify enrollment \(choose Google Authenticator in Okta instead\)/],
    ['an authenticator export', 'otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8', /an authenticator app export/],
    ['plain text', SECRET, /holds text, not an otpauth/],
  ])('refuses %s with exit 2 and the reason, never echoing the content', async (_what, payload, reason) => {
    const image = await qrPng(payload);
    const result = await runCli(['pagerduty', 'code', '--mfa-secret-qr', image, '--json'], { env: env(dir()) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(reason);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('refuses what is not a PNG or JPEG, an oversized file, a huge declared canvas, a folder and a FIFO (without hanging)', async () => {
    const d = dir();
    const gif = path.join(d, 'shot.gif');
    writeFileSync(gif, Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(64)]));
    const big = path.join(d, 'big.png');
    writeFileSync(big, '');
    truncateSync(big, 17 * 1024 * 1024);
    // A valid PNG signature and IHDR declaring 100000 x 100000 pixels: refused before any decoder allocates it.
    const ihdr = Buffer.alloc(25);
    ihdr.writeUInt32BE(13, 0);
    ihdr.write('IHDR', 4, 'latin1');
    ihdr.writeUInt32BE(100_000, 8);
    ihdr.writeUInt32BE(100_000, 12);
    const bomb = path.join(d, 'bomb.png');
    writeFileSync(bomb, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]));
    const fifo = path.join(d, 'fifo.png');
    execFileSync('mkfifo', [fifo]);
    const cases: Array<[string, RegExp]> = [
      [gif, /it is a GIF image, not a PNG or JPEG screenshot/],
      [big, /is 17 MiB; a screenshot of a QR code is far smaller/],
      [bomb, /declares 100000 x 100000 pixels/],
      [d, /is a folder|is not a regular file/],
      [fifo, /is not a regular file/],
      [path.join(d, 'missing.png'), /no such file/],
    ];
    for (const [file, reason] of cases) {
      const result = await runCli(['pagerduty', 'code', '--mfa-secret-qr', file], { env: env(dir()), killAfterMs: 30_000 });
      expect(result.signal, file).toBeNull();
      expect(result.code, `${file}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(reason);
    }
  });

  it('one source of the 2FA secret at a time', async () => {
    const image = await qrPng(`otpauth://totp/X:y?secret=${SECRET}`);
    const result = await runCli(['pagerduty', 'code', '--mfa-secret-qr', image, '--mfa-secret-stdin'], { env: env(dir()), input: SECRET });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--mfa-secret-stdin and --mfa-secret-qr both give the 2FA secret; use one of them/);
  });

  it('add takes it like any secret source: --dry-run keeps the QR code\'s parameters', async () => {
    const image = await qrPng(`otpauth://totp/Acme:owner%40acme.example?secret=${SECRET}&issuer=Acme&digits=7&period=45&algorithm=SHA512`);
    const result = await runCli(
      ['pagerduty', 'add', '--url', 'https://acme.pagerduty.com', '--login-method', 'azure', '--user', 'owner@acme.example', '--mfa-secret-qr', image, '--dry-run', '--json'],
      { env: env(dir(), { SSPM_PAGERDUTY_PASSWORD: 'Qr-Test-pw-1' }) },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(jsonOf(result.stdout)).toMatchObject({ loginMethod: 'azure', mfa: { digits: 7, period: 45, algorithm: 'sha512' } });
    expect(result.stderr).toContain('issuer Acme, account owner@acme.example');
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });
});

describe('pagerduty code', () => {
  it('never shows the same code twice: a second call right after waits for the next window', async () => {
    const configDir = dir();
    const first = await runCli(['pagerduty', 'code', '--json'], { env: env(configDir, { SSPM_PAGERDUTY_MFA_SECRET: SECRET }) });
    const second = await runCli(['pagerduty', 'code', '--json'], { env: env(configDir, { SSPM_PAGERDUTY_MFA_SECRET: SECRET }) });
    expect(first.code, first.stderr).toBe(0);
    expect(second.code, second.stderr).toBe(0);
    const a = jsonOf(first.stdout);
    const b = jsonOf(second.stdout);
    expect(matchTotp(SECRET, String(a.code), Date.now() - 40_000, 3)).not.toBeNull();
    expect(b.code).not.toBe(a.code);
    // The plain form: the code in two groups and its remaining seconds.
    const plain = await runCli(['pagerduty', 'code'], { env: env(dir(), { SSPM_PAGERDUTY_MFA_SECRET: SECRET }) });
    expect(plain.stdout).toMatch(/^\d{3} \d{3} {2}\(valid \d+ s more\)\n$/);
  }, 90_000);

  it('asks for a name or a secret, and refuses --watch off a terminal', async () => {
    const none = await runCli(['pagerduty', 'code'], { env: env(dir()) });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/Missing the 2FA secret: give an instance name or a secret/);
    const unknown = await runCli(['pagerduty', 'code', 'nope'], { env: env(dir()) });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No instance named "nope"/);
    const watch = await runCli(['pagerduty', 'code', '--watch'], { env: env(dir(), { SSPM_PAGERDUTY_MFA_SECRET: SECRET }) });
    expect(watch.code).toBe(2);
    expect(watch.stderr).toMatch(/--watch refreshes the code on a terminal/);
  });

  it('--watch on a terminal shows the current code until Ctrl-C', async () => {
    const term = await Terminal.start([process.execPath, CLI, 'pagerduty', 'code', '--watch'], { env: env(dir(), { SSPM_PAGERDUTY_MFA_SECRET: SECRET }) });
    terminals.push(term);
    const screen = await term.waitForText(/\d{3} \d{3} {2}\(valid \d+ s more\)/, 30_000);
    expect(screen).toContain('6 digits every 30 s (SHA1). Ctrl-C to stop.');
    const code = /(\d{3}) (\d{3}) {2}\(valid/.exec(screen)!.slice(1).join('');
    expect(matchTotp(SECRET, code)).not.toBeNull();
    await term.sendKeys('C-c');
    expect(await term.waitForExit(15_000)).toBe(0);
    expect(await term.screen()).not.toContain(SECRET);
  }, 60_000);

  it('--help shows the per-IdP guide and loads neither the QR decoder nor puppeteer', async () => {
    const trace = path.join(dir(), 'trace.txt');
    writeFileSync(trace, '');
    const preload = path.join(import.meta.dirname, 'fixtures/trace-loads.mjs');
    const help = await runCli(['pagerduty', 'add', '--help'], { env: cleanEnv({ NODE_OPTIONS: `--import=${preload}`, TRACE_LOADS_FILE: trace }) });
    expect(help.code).toBe(0);
    for (const line of [...mfaGuideLines('okta'), ...mfaGuideLines('azure')]) expect(help.stdout).toContain(line.trim());
    const loaded = readFileSync(trace, 'utf8');
    expect(loaded).toContain('dist/cli.cjs');
    expect(loaded).not.toContain('zxing');
    expect(loaded).not.toContain('qrcode');
    expect(loaded).not.toContain('puppeteer-core');
  });

  it('the README carries the same guide as --help and the wizard', () => {
    const readme = readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
    for (const idp of ['okta', 'azure'] as const) {
      expect(readme).toContain(MFA_GUIDES[idp].short);
      for (const step of MFA_GUIDES[idp].steps) expect(readme).toContain(step);
    }
  });
});
