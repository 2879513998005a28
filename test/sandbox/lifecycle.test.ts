// The sandbox itself: faults parsing, TOTP, certificate, and a clean start/stop (no port, process or file left).
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { OnboardError } from '../../src/core/errors.js';
import { parseFaults, sandboxFaultsFromEnv, startSandbox } from '../../src/sandbox/index.js';
import { hotp, matchTotp, totp } from '../../src/sandbox/totp.js';

async function childPids(): Promise<string[]> {
  const tasks = await readdir('/proc/self/task');
  const all: string[] = [];
  for (const task of tasks) {
    const list = await readFile(`/proc/self/task/${task}/children`, 'utf8').catch(() => '');
    all.push(...list.split(/\s+/).filter(Boolean));
  }
  return all.sort();
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('parseFaults', () => {
  it('parses names and slow=<ms>', () => {
    expect(parseFaults(undefined)).toEqual([]);
    expect(parseFaults('')).toEqual([]);
    expect(parseFaults('slow=800,http500')).toEqual([{ slowMs: 800 }, 'http500']);
    expect(parseFaults(' locked , drop,interstitial,phishing-redirect,reject-first-code ')).toEqual([
      'locked', 'drop', 'interstitial', 'phishing-redirect', 'reject-first-code',
    ]);
    expect(sandboxFaultsFromEnv({ SSPM_SANDBOX_FAULT: 'slow=5' })).toEqual([{ slowMs: 5 }]);
    expect(sandboxFaultsFromEnv({})).toEqual([]);
  });

  it('parses skew=<+-seconds> and the Entra screens', () => {
    expect(parseFaults('skew=+90')).toEqual([{ skewSeconds: 90 }]);
    expect(parseFaults('skew=-45,entra-nudge,mcas-proxy')).toEqual([{ skewSeconds: -45 }, 'entra-nudge', 'mcas-proxy']);
    expect(parseFaults('entra-account-picker,entra-credential-picker,entra-passwordless,entra-push-denied,entra-push-timeout,entra-proof-up,entra-cmsi')).toHaveLength(7);
    for (const bad of ['skew', 'skew=', 'skew=1.5', 'skew=+90s', 'skew=86401']) expect(() => parseFaults(bad), bad).toThrow(OnboardError);
  });

  it('rejects unknown names with one line listing the valid ones', () => {
    let error: unknown;
    try {
      parseFaults('http500,bogus');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OnboardError);
    expect((error as OnboardError).code).toBe('INVALID_INPUT');
    expect((error as OnboardError).message).not.toContain('\n');
    for (const name of ['locked', 'http500', 'drop', 'slow=<ms>', 'interstitial', 'phishing-redirect', 'reject-first-code', 'skew=<+-seconds>', 'entra-nudge', 'mcas-proxy']) {
      expect((error as OnboardError).message).toContain(name);
    }
    expect(() => parseFaults('slow=abc')).toThrow(OnboardError);
    expect(() => parseFaults('locked=1')).toThrow(OnboardError);
  });
});

describe('TOTP (own RFC 6238 code)', () => {
  it('matches the RFC 6238 SHA-1 test vectors (6 digits)', () => {
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890"
    expect(totp(secret, 59_000)).toBe('287082');
    expect(totp(secret, 1_111_111_109_000)).toBe('081804');
    expect(totp(secret, 1_234_567_890_000)).toBe('005924');
    expect(hotp(secret, 1)).toBe('287082');
  });

  it('agrees with otplib and accepts ±1 step of skew only', async () => {
    const secret = 'SANDBOXFAKEACMEOKTAOWNERTOTPAAAA';
    const now = Date.now();
    expect(totp(secret, now)).toBe(await generate({ secret, epoch: Math.floor(now / 1000) }));
    const step = Math.floor(now / 30_000);
    expect(matchTotp(secret, totp(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchTotp(secret, totp(secret, now + 30_000), now)).toBe(step + 1);
    expect(matchTotp(secret, totp(secret, now - 60_000), now)).toBeNull();
    expect(matchTotp(secret, 'abcdef', now)).toBeNull();
  });
});

describe('start and close', () => {
  it('serves a pinned certificate for every emulated host, and leaves no port, child process or file behind', async () => {
    const ownTmp = await mkdtemp(join(tmpdir(), 'sspm-sandbox-lifecycle-'));
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = ownTmp;
    const before = await childPids();
    try {
      const sandbox = await startSandbox({ port: 0 });
      expect(await childPids()).toEqual(before);
      expect(sandbox.port).toBeGreaterThan(0);
      expect(sandbox.browserArgs).toEqual([
        `--host-resolver-rules=MAP *.pagerduty.com 127.0.0.1:${sandbox.port}, MAP *.okta.com 127.0.0.1:${sandbox.port}, MAP *.oktapreview.com 127.0.0.1:${sandbox.port}, MAP *.okta-emea.com 127.0.0.1:${sandbox.port}, MAP login.microsoftonline.com 127.0.0.1:${sandbox.port}, MAP mysignins.microsoft.com 127.0.0.1:${sandbox.port}, MAP *.mcas.ms 127.0.0.1:${sandbox.port}, MAP * ~NOTFOUND`,
        `--ignore-certificate-errors-spki-list=${sandbox.spkiHash}`,
      ]);

      // The TLS peer certificate carries the SANs, and its SPKI hash is the advertised one.
      const { createHash } = await import('node:crypto');
      const socket = tlsConnect({ host: '127.0.0.1', port: sandbox.port, servername: 'acme.pagerduty.com', rejectUnauthorized: false });
      await new Promise<void>((resolve, reject) => (socket.once('secureConnect', resolve), socket.once('error', reject)));
      const peer = socket.getPeerX509Certificate()!;
      const hash = createHash('sha256').update(peer.publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
      expect(hash).toBe(sandbox.spkiHash);
      expect(peer.publicKey.asymmetricKeyType).toBe('ec');
      for (const host of ['*.pagerduty.com', '*.eu.pagerduty.com', 'app.pagerduty.com', '*.okta.com', '*.oktapreview.com', '*.okta-emea.com', 'login.microsoftonline.com']) {
        expect(peer.subjectAltName).toContain(`DNS:${host}`);
      }
      // A keep-alive connection is still open when close() is called: close ends it.
      socket.write('GET /sign_in HTTP/1.1\r\nHost: acme.pagerduty.com\r\nConnection: keep-alive\r\n\r\n');
      await new Promise((resolve) => socket.once('data', resolve));
      const ended = new Promise((resolve) => socket.once('close', resolve));

      await sandbox.close();
      await ended;
      expect(await canConnect(sandbox.port)).toBe(false);
      expect(await childPids()).toEqual(before);
      expect(await readdir(ownTmp)).toEqual([]);
    } finally {
      if (savedTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmp;
      await rm(ownTmp, { recursive: true, force: true });
    }
  });

  it('sample accounts cover every method and region, with 32-character base32 secrets', async () => {
    const sandbox = await startSandbox();
    try {
      const methods = new Set(sandbox.accounts.map((a) => `${a.loginMethod}/${a.region}`));
      for (const m of ['credentials/us', 'credentials/eu', 'okta/us', 'okta/eu', 'azure/us', 'azure/eu']) expect(methods).toContain(m);
      expect(sandbox.accounts.map((a) => a.role)).toEqual(expect.arrayContaining(['owner', 'admin', 'user']));
      for (const a of sandbox.accounts) {
        expect(a.url).toMatch(/^https:\/\/[a-z0-9-]+(\.eu)?\.pagerduty\.com\/incidents$/);
        if (a.mfaSecret !== null) expect(a.mfaSecret).toMatch(/^[A-Z2-7]{32}$/);
        expect(a.loginMethod === 'okta').toBe(a.oktaSubdomain !== null);
      }
      // A copy: a caller cannot change the sandbox's data.
      sandbox.accounts[0]!.password = 'changed';
      const again = await startSandbox();
      expect(again.accounts[0]!.password).not.toBe('changed');
      await again.close();
    } finally {
      await sandbox.close();
    }
  });
});
