// A throw-away certificate for the emulated hosts, made by the openssl CLI at start. Key and certificate come
// back on openssl's stdout (nothing is written to disk), and nothing is added to any system trust store:
// Chromium accepts the certificate only because it is pinned with --ignore-certificate-errors-spki-list.
import { execFile } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';

export const CERT_HOSTS = [
  '*.pagerduty.com',
  '*.eu.pagerduty.com',
  'app.pagerduty.com',
  '*.okta.com',
  '*.oktapreview.com',
  '*.okta-emea.com',
  'login.microsoftonline.com',
  'mysignins.microsoft.com',
  // A Defender for Cloud Apps session proxy's host (the mcas-proxy fault).
  '*.mcas.ms',
] as const;

export interface SandboxCertificate {
  keyPem: string;
  certPem: string;
  /** base64 SHA-256 of the certificate's SubjectPublicKeyInfo (DER), as Chromium's SPKI list wants it. */
  spkiHash: string;
}

export async function generateCertificate(): Promise<SandboxCertificate> {
  const san = CERT_HOSTS.map((host) => `DNS:${host}`).join(',');
  const args = [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', '-', '-out', '-', '-days', '2', '-subj', '/CN=sspm-onboard sandbox (not a real certificate)',
    '-addext', `subjectAltName=${san}`,
    '-addext', 'extendedKeyUsage=serverAuth',
  ];
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('openssl', args, { encoding: 'utf8', timeout: 20_000 }, (error, out, err) => {
      if (error) {
        const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the openssl command is not installed' : err.trim() || error.message;
        reject(new Error(`Could not create the sandbox certificate: ${why}`));
      } else {
        resolve(out);
      }
    });
  });
  const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(stdout)?.[0];
  const certPem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(stdout)?.[0];
  if (!keyPem || !certPem) throw new Error('Could not create the sandbox certificate: unexpected openssl output');
  return { keyPem: `${keyPem}\n`, certPem: `${certPem}\n`, spkiHash: spkiHashOf(certPem) };
}

export function spkiHashOf(certPem: string): string {
  const der = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('base64');
}
