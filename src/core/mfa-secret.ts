// The 2FA (TOTP) secret the Account Owner's authenticator app was set up with: a base32 key, or the
// otpauth://totp/... URI behind the QR code. Parsed, normalized and proven (one code is generated) here.
// Error messages never echo the secret, nor any part of an otpauth URI. No I/O here.
//
// Decisions:
// - base32: spaces, tabs, dashes and lower case tolerated; trailing '=' padding optional; leftover bits
//   ignored (as authenticator apps do). Stored canonical: upper case, no padding, no separators.
// - Length: 10 to 64 bytes once decoded (16 to 103 base32 characters). 10 bytes is what Google
//   Authenticator-style and Okta secrets use; otplib's default minimum of 16 is lowered with its
//   MIN_SECRET_BYTES guardrail (see totp.ts).
// - otpauth: only totp; digits 6, 7 or 8 (default 6); period 10-300 s (default 30); algorithm SHA1, SHA256
//   or SHA512 (default SHA1), case-insensitive. Other parameters (issuer, image, ...) are ignored.

import { OnboardError } from './errors.js';
import { MAX_MFA_SECRET_BYTES, MIN_MFA_SECRET_BYTES, base32ToBytes, bytesToBase32, generateCode } from './totp.js';
import type { MfaSecret } from './types.js';

export const MIN_PERIOD_SECONDS = 10;
export const MAX_PERIOD_SECONDS = 300;
const MAX_INPUT = 4096;

const BASE32_KEY_EXAMPLE = 'a base32 key like JBSW Y3DP EHPK 3PXP';
const BASE32_EXAMPLE = `${BASE32_KEY_EXAMPLE}, or the otpauth://totp/... address behind the QR code`;

function invalid(message: string): OnboardError {
  return new OnboardError('INVALID_INPUT', message);
}

/** Parse a base32 key or an otpauth://totp URI. The secret itself never appears in an error. */
export function parseMfaSecret(input: string, field = '2FA secret'): MfaSecret {
  if (typeof input !== 'string' || input.trim() === '') {
    throw invalid(`Missing ${field}: it is empty; give ${BASE32_EXAMPLE}.`);
  }
  const raw = input.trim();
  if (raw.length > MAX_INPUT) throw invalid(`Invalid ${field}: it is longer than ${MAX_INPUT} characters (value not shown); give ${BASE32_EXAMPLE}.`);

  const mfa = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? parseOtpauth(raw, field) : { secret: normalizeBase32(raw, field), digits: 6 as const, period: 30, algorithm: 'sha1' as const };

  // Prove it: a secret that cannot make a code is refused now, not during the sign-in.
  try {
    const code = generateCode(mfa, 0);
    if (!new RegExp(`^[0-9]{${mfa.digits}}$`).test(code)) throw new Error('unexpected code shape');
  } catch {
    throw invalid(`Invalid ${field}: no code can be generated from it (value not shown); give ${BASE32_EXAMPLE}.`);
  }
  return mfa;
}

function normalizeBase32(text: string, field: string): string {
  let s = text.replace(/[\s-]+/g, '').toUpperCase();
  s = s.replace(/=+$/, '');
  if (s === '') throw invalid(`Invalid ${field}: it has no key characters (value not shown); give ${BASE32_EXAMPLE}.`);
  if (s.includes('=')) throw invalid(`Invalid ${field}: "=" may only pad the end of a base32 key (value not shown); give ${BASE32_EXAMPLE}.`);
  if (/[^A-Z2-7]/.test(s)) {
    const hint = /[018]/.test(s) ? ' (0, 1 and 8 are not base32: check for O, I/L and B)' : '';
    throw invalid(`Invalid ${field}: it contains characters that are not base32, only letters A-Z and digits 2-7 are used${hint} (value not shown); give ${BASE32_EXAMPLE}.`);
  }
  const bytes = base32ToBytes(s);
  if (bytes === null) {
    throw invalid(`Invalid ${field}: its length (${s.length} characters) is not possible for base32, a character is missing or extra (value not shown); give ${BASE32_EXAMPLE}.`);
  }
  if (bytes.length < MIN_MFA_SECRET_BYTES) {
    throw invalid(
      `Invalid ${field}: it is too short (${bytes.length} bytes, at least ${MIN_MFA_SECRET_BYTES} needed, i.e. 16 base32 characters) (value not shown); give ${BASE32_EXAMPLE}.`,
    );
  }
  if (bytes.length > MAX_MFA_SECRET_BYTES) {
    throw invalid(`Invalid ${field}: it is too long (${bytes.length} bytes, at most ${MAX_MFA_SECRET_BYTES}) (value not shown); give ${BASE32_EXAMPLE}.`);
  }
  return bytesToBase32(bytes);
}

function parseOtpauth(raw: string, field: string): MfaSecret {
  const scheme = raw.slice(0, raw.indexOf(':')).toLowerCase();
  if (scheme !== 'otpauth') {
    throw invalid(`Invalid ${field}: it looks like an address but not an otpauth://totp/ one (value not shown); give ${BASE32_EXAMPLE}.`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(`Invalid ${field}: the otpauth address is malformed (value not shown); give ${BASE32_EXAMPLE}.`);
  }
  const type = url.host.toLowerCase();
  if (type === 'hotp') {
    throw invalid(`Invalid ${field}: it is a counter-based (otpauth://hotp) secret; PagerDuty uses time-based codes: give the otpauth://totp/... address or ${BASE32_KEY_EXAMPLE}.`);
  }
  if (type !== 'totp') {
    throw invalid(`Invalid ${field}: an otpauth address must start with otpauth://totp/ (value not shown); give ${BASE32_EXAMPLE}.`);
  }
  const params = url.searchParams;
  const one = (name: string): string | undefined => {
    const values = params.getAll(name);
    if (values.length > 1) throw invalid(`Invalid ${field}: the otpauth address has "${name}" more than once (value not shown); give ${BASE32_EXAMPLE}.`);
    return values[0];
  };

  const secretParam = one('secret');
  if (secretParam === undefined || secretParam.trim() === '') {
    throw invalid(`Invalid ${field}: the otpauth address has no secret= parameter (value not shown); give ${BASE32_EXAMPLE}.`);
  }
  const secret = normalizeBase32(secretParam, field);

  const digitsParam = one('digits');
  let digits: 6 | 7 | 8 = 6;
  if (digitsParam !== undefined) {
    const d = digitsParam.trim();
    if (d !== '6' && d !== '7' && d !== '8') throw invalid(`Invalid ${field}: digits= in the otpauth address must be 6, 7 or 8 (e.g. digits=6).`);
    digits = Number(d) as 6 | 7 | 8;
  }

  const periodParam = one('period');
  let period = 30;
  if (periodParam !== undefined) {
    const p = periodParam.trim();
    const n = /^[0-9]{1,4}$/.test(p) ? Number(p) : NaN;
    if (!(n >= MIN_PERIOD_SECONDS && n <= MAX_PERIOD_SECONDS)) {
      throw invalid(`Invalid ${field}: period= in the otpauth address must be ${MIN_PERIOD_SECONDS}-${MAX_PERIOD_SECONDS} seconds (e.g. period=30).`);
    }
    period = n;
  }

  const algorithmParam = one('algorithm');
  let algorithm: MfaSecret['algorithm'] = 'sha1';
  if (algorithmParam !== undefined) {
    const a = algorithmParam.trim().toLowerCase().replace('-', '');
    if (a !== 'sha1' && a !== 'sha256' && a !== 'sha512') {
      throw invalid(`Invalid ${field}: algorithm= in the otpauth address must be SHA1, SHA256 or SHA512 (e.g. algorithm=SHA1).`);
    }
    algorithm = a;
  }
  return { secret, digits, period, algorithm };
}

/** Non-secret description, e.g. "6 digits every 30 s (SHA1)". */
export function describeMfaSecret(m: MfaSecret): string {
  return `${m.digits} digits every ${m.period} s (${m.algorithm.toUpperCase()})`;
}
