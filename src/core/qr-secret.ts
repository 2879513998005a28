// What a QR code read from an enrollment screenshot may be: only an otpauth://totp/ URI. Everything else is
// refused with the reason (a web address, Okta Verify's own QR, an authenticator export, HOTP...). The issuer
// and account are returned for the user to confirm; the secret never appears in a message. No I/O here.
import { OnboardError } from './errors.js';
import { parseMfaSecret } from './mfa-secret.js';
import type { MfaSecret } from './types.js';

export interface QrSecret {
  mfa: MfaSecret;
  /** The otpauth URI as read, for secret inputs that take a URI (never printed). */
  uri: string;
  issuer: string | null;
  account: string | null;
}

const refuse = (field: string, why: string, fix: string) => new OnboardError('INVALID_INPUT', `${field}: ${why}`, { fix });
const FIX = 'Use a screenshot of the QR code the IdP shows when you set up Google Authenticator (Okta) or "a different authenticator app" (Entra).';

/** Printable, short, no control characters: issuer and account come from an image anyone could have made. */
function printable(value: string | null): string | null {
  if (value === null) return null;
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  if (clean === '') return null;
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The QR codes found in one image (their text), to the one otpauth://totp secret they must hold. */
export function secretFromQrTexts(texts: string[], field = '--mfa-secret-qr'): QrSecret {
  if (texts.length === 0) throw refuse(field, 'no QR code was found in the image.', `${FIX} Crop it less tightly or save it at full size.`);
  const totp = texts.filter((text) => /^otpauth:\/\/totp\//i.test(text.trim()));
  if (totp.length > 1) throw refuse(field, `the image holds ${totp.length} 2FA QR codes; which one is meant is unclear.`, 'Crop the screenshot to one QR code.');
  if (totp.length === 0) throw refuse(field, `the QR code holds ${describeOther(texts[0]!.trim())}, not an otpauth://totp/ 2FA secret.`, FIX);
  const uri = totp[0]!.trim();
  const mfa = parseMfaSecret(uri, `2FA secret in the QR code of ${field}`);
  const { issuer, account } = otpauthLabel(uri);
  return { mfa, uri, issuer, account };
}

/** A non-secret description of what a refused QR code holds (never its content: it may hold a secret). */
export function describeOther(text: string): string {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'otpauth') return /^otpauth:\/\/hotp\//i.test(text) ? 'a counter-based (HOTP) secret, which PagerDuty sign-ins do not use' : 'an otpauth address of an unknown kind';
  if (scheme === 'otpauth-migration') return 'an authenticator app export (otpauth-migration://)';
  if (scheme === 'oktaverify') return 'an Okta Verify enrollment (choose Google Authenticator in Okta instead)';
  if (scheme === 'phonefactor') return 'a Microsoft Authenticator enrollment (choose "I want to use a different authenticator app" in Entra instead)';
  if (scheme === 'http' || scheme === 'https') return 'a web address';
  if (scheme !== undefined) return `a "${scheme}:" address`;
  return 'text';
}

/** Issuer and account from otpauth://totp/<issuer>:<account>?issuer=<issuer>; the issuer parameter wins. */
export function otpauthLabel(uri: string): { issuer: string | null; account: string | null } {
  const rest = uri.replace(/^otpauth:\/\/totp\//i, '');
  const query = rest.indexOf('?');
  const label = decode(query < 0 ? rest : rest.slice(0, query));
  const params = new URLSearchParams(query < 0 ? '' : rest.slice(query + 1));
  const colon = label.indexOf(':');
  const labelIssuer = colon >= 0 ? label.slice(0, colon) : null;
  const account = colon >= 0 ? label.slice(colon + 1) : label;
  return { issuer: printable(params.get('issuer') ?? labelIssuer), account: printable(account) };
}

/** "issuer Okta, account owner@acme.example (6 digits every 30 s, SHA1)" */
export function describeQrSecret(qr: QrSecret): string {
  const who = [`issuer ${qr.issuer ?? '(none)'}`, `account ${qr.account ?? '(none)'}`].join(', ');
  return `${who} (${qr.mfa.digits} digits every ${qr.mfa.period} s, ${qr.mfa.algorithm.toUpperCase()})`;
}
