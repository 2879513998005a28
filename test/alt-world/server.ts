// An independent emulation of the PagerDuty, Okta and Microsoft Entra ID sign-in pages, built from the public
// facts in /work/shared/docs/login-pages.md, to cross-check the product's log-in flows against a second world.
import { createServer, type Server } from 'node:https';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { notFound, readReq, send } from './http.js';
import { makeWorld, type AltAccount, type AltEvent } from './world.js';
import { handlePagerDuty } from './pagerduty.js';
import { handleIdentity } from './identity.js';
import { handleOkta, makeOktaState } from './okta.js';
import { handleEntra, makeEntraState } from './entra.js';

export type { AltAccount, AltEvent } from './world.js';
export { totpAt } from './totp.js';

export interface AltWorld {
  port: number;
  browserArgs: string[];
  accounts: AltAccount[];
  events: AltEvent[];
  /** Marks the current TOTP window of an account as used, as if another client had just sent that code. */
  burnCurrentCode(name: string): void;
  close(): Promise<void>;
}

const run = promisify(execFile);

const SANS = ['*.pagerduty.com', '*.eu.pagerduty.com', 'app.pagerduty.com', '*.okta.com', '*.oktapreview.com', '*.okta-emea.com', 'login.microsoftonline.com'];

async function makeCertificate(): Promise<{ key: Buffer; cert: Buffer; spki: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'alt-world-cert-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    await run('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=alt-world.invalid',
      '-addext', `subjectAltName=${SANS.map((s) => `DNS:${s}`).join(',')}`,
      '-addext', 'extendedKeyUsage=serverAuth',
    ]);
    const [key, cert] = await Promise.all([readFile(keyFile), readFile(certFile)]);
    const der = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
    return { key, cert, spki: createHash('sha256').update(der).digest('base64') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function startAltWorld(): Promise<AltWorld> {
  const { key, cert, spki } = await makeCertificate();
  const world = makeWorld();
  const okta = makeOktaState();
  const entra = makeEntraState();

  const server: Server = createServer({ key, cert }, (raw, res) => {
    readReq(raw)
      .then((req) => {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          world.events.push({ at: Date.now(), method: req.method, host: req.host, path: req.path, fields: req.fields });
        }
        const h = req.host;
        if (h === 'identity.pagerduty.com') return handleIdentity(world, req);
        if (h === 'pagerduty.com' || h.endsWith('.pagerduty.com')) return handlePagerDuty(world, req);
        if (/\.(okta|oktapreview|okta-emea)\.com$/.test(h)) return handleOkta(world, okta, req);
        if (h === 'login.microsoftonline.com') return handleEntra(world, entra, req);
        return notFound();
      })
      .then((reply) => send(res, reply))
      .catch((error: unknown) => {
        res.statusCode = 500;
        res.end(`internal error: ${String(error)}`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const map = ['*.pagerduty.com', '*.okta.com', '*.oktapreview.com', '*.okta-emea.com', 'login.microsoftonline.com']
    .map((h) => `MAP ${h} 127.0.0.1:${port}`)
    .join(', ');
  return {
    port,
    browserArgs: [`--host-resolver-rules=${map}, MAP * ~NOTFOUND`, `--ignore-certificate-errors-spki-list=${spki}`],
    accounts: world.accounts,
    events: world.events,
    burnCurrentCode: (name: string) => {
      const secret = world.accounts.find((a) => a.name === name)?.mfaSecret;
      if (secret) world.lastCounter.set(secret, Math.max(world.lastCounter.get(secret) ?? -1, Math.floor(Date.now() / 30_000)));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
