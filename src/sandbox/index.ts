// Sandbox: local emulations of PagerDuty's, Okta's and Microsoft Entra ID's sign-in pages, served over HTTPS on
// loopback under their real host names. Point Chromium at it with `browserArgs`. See docs/sandbox.md.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { generateCertificate } from './cert.js';
import { type SandboxState, fieldNames, readRequest, sandboxNow, sendHtml } from './core.js';
import { createEnrollment, MYSIGNINS_HOST } from './enroll.js';
import { createEntra } from './entra.js';
import { toFaultSet } from './faults.js';
import { createOkta } from './okta.js';
import { createIdentity } from './identity.js';
import { createPagerDuty } from './pagerduty.js';
import type { SandboxHandle, SandboxOptions } from './types.js';
import { SAMPLE_ACCOUNTS } from './world.js';

export type { SampleAccount, SandboxEvent, SandboxFault, SandboxHandle, SandboxOptions } from './types.js';
export { parseFaults, sandboxFaultsFromEnv, FAULT_NAMES } from './faults.js';
export { totp as sandboxTotp } from './totp.js';
export { enrollmentUrl } from './enroll.js';

/** The Chromium flags that send the emulated hosts to the sandbox and trust its certificate (and nothing else). */
export function sandboxBrowserArgs(port: number, spkiHash: string): string[] {
  const mapped = ['*.pagerduty.com', '*.okta.com', '*.oktapreview.com', '*.okta-emea.com', 'login.microsoftonline.com', MYSIGNINS_HOST, '*.mcas.ms'];
  return [
    `--host-resolver-rules=${mapped.map((host) => `MAP ${host} 127.0.0.1:${port}`).join(', ')}, MAP * ~NOTFOUND`,
    `--ignore-certificate-errors-spki-list=${spkiHash}`,
  ];
}

export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const faults = toFaultSet(options.faults ?? []);
  const certificate = await generateCertificate();
  const state: SandboxState = {
    faults,
    events: [],
    http500Pending: faults.http500,
    firstCodePending: faults.rejectFirstCode,
    failures: new Map(),
    lastTotpCounter: new Map(),
    samlKey: randomBytes(32),
    pendingAuthn: new Map(),
    usedAssertions: new Set(),
    enrolledSecrets: new Map(),
  };
  // identity.pagerduty.com first: the PagerDuty provider takes every other *.pagerduty.com host.
  const identity = createIdentity(state);
  const providers = [createEnrollment(state), identity, createPagerDuty(state, identity), createOkta(state), createEntra(state)];
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const server = createServer({ key: certificate.keyPem, cert: certificate.certPem }, (raw, res) => {
    void (async () => {
      try {
        const req = await readRequest(raw);
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          state.events.push({ host: req.host, path: req.path, method: req.method, fields: fieldNames(req) });
        }
        if (faults.slowMs > 0) await delay(faults.slowMs);
        // Node adds a Date header only when none is set: with the skew fault, every answer tells the shifted time.
        if (faults.skewMs !== 0) res.setHeader('Date', new Date(sandboxNow(state)).toUTCString());
        if (closing) return void raw.socket.destroy();
        for (const provider of providers) {
          if (await provider.handle(req, res)) return;
        }
        sendHtml(res, 421, '<!DOCTYPE html><title>Misdirected Request</title><h1>This host is not emulated by the sandbox.</h1>');
      } catch (error) {
        if (!res.headersSent && !res.destroyed) {
          sendHtml(res, 500, `<!DOCTYPE html><title>Sandbox error</title><pre>${String((error as Error).message).replace(/</g, '&lt;')}</pre>`);
        } else {
          res.destroy();
        }
      }
    })();
  });
  server.keepAliveTimeout = 5_000;
  // Raw TCP sockets, including ones still in the TLS handshake (closeAllConnections sees only HTTP ones).
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closed: Promise<void> | null = null;
  return {
    port,
    spkiHash: certificate.spkiHash,
    browserArgs: sandboxBrowserArgs(port, certificate.spkiHash),
    accounts: SAMPLE_ACCOUNTS.map((account) => ({ ...account })),
    events: state.events,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
