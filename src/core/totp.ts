// TOTP codes (RFC 6238) from a parsed 2FA secret, and the pure decision of which code to type next.
// Generation is otplib v13's generateSync with the default (sync, @noble) crypto plugin; the secret is
// handed over as bytes decoded here, so a secret accepted by parseMfaSecret always generates.
// No I/O here; time always comes in as an argument.

import { createGuardrails, generateSync } from 'otplib';
import { OnboardError } from './errors.js';
import type { MfaSecret } from './types.js';

/** Smallest secret accepted: 10 bytes (80 bits), what Google Authenticator-style and Okta secrets use. */
export const MIN_MFA_SECRET_BYTES = 10;
/** Largest secret accepted: 64 bytes (otplib's own maximum; the RFC 6238 SHA-512 seed is 64 bytes). */
export const MAX_MFA_SECRET_BYTES = 64;

// otplib refuses secrets under 16 bytes by default (SecretTooShortError); lower that guardrail to 10.
const GUARDRAILS = createGuardrails({ MIN_SECRET_BYTES: MIN_MFA_SECRET_BYTES, MAX_SECRET_BYTES: MAX_MFA_SECRET_BYTES });

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Decode canonical-alphabet base32 (upper case A-Z, 2-7, no padding, no separators). Returns null when a
 * character is outside the alphabet or the length cannot be base32 (1, 3 or 6 characters mod 8).
 * Leftover bits at the end are ignored, as authenticator apps do.
 */
export function base32ToBytes(text: string): Uint8Array | null {
  const rem = text.length % 8;
  if (rem === 1 || rem === 3 || rem === 6) return null;
  const out = new Uint8Array(Math.floor((text.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const ch of text) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) return null;
    buffer = ((buffer << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (buffer >> bits) & 0xff;
    }
  }
  return out;
}

/** Encode bytes as base32 (upper case, no padding). */
export function bytesToBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

function internal(message: string): OnboardError {
  return new OnboardError('INTERNAL', message);
}

function checkTime(epochSeconds: number): void {
  if (!Number.isFinite(epochSeconds) || epochSeconds < 0) throw internal('TOTP time must be a finite, non-negative number of seconds.');
}

function checkPeriod(mfa: MfaSecret): void {
  if (!Number.isInteger(mfa.period) || mfa.period < 1) throw internal('TOTP period must be a positive whole number of seconds.');
}

/** The code for the time step containing epochSeconds. Throws INTERNAL for a malformed MfaSecret (parseMfaSecret prevents those). */
export function generateCode(mfa: MfaSecret, epochSeconds: number): string {
  checkTime(epochSeconds);
  checkPeriod(mfa);
  const key = base32ToBytes(mfa.secret);
  if (key === null) throw internal('The stored 2FA secret is not base32.');
  return generateSync({
    secret: key,
    algorithm: mfa.algorithm,
    digits: mfa.digits,
    period: mfa.period,
    epoch: Math.floor(epochSeconds),
    guardrails: GUARDRAILS,
  });
}

/** The TOTP counter (time step number) for epochSeconds. */
export function timeStep(mfa: MfaSecret, epochSeconds: number): number {
  checkTime(epochSeconds);
  checkPeriod(mfa);
  return Math.floor(epochSeconds / mfa.period);
}

/** Seconds until the current code expires (in (0, period]; fractional when epochSeconds is). */
export function secondsLeftInStep(mfa: MfaSecret, epochSeconds: number): number {
  const counter = timeStep(mfa, epochSeconds);
  return (counter + 1) * mfa.period - epochSeconds;
}

/**
 * Which code to type next, and how long to wait before typing it.
 * Picks the earliest counter >= the current one that is not in usedCounters and, when it is the current
 * counter, still has at least minSecondsLeft seconds left (so the code does not expire in transit).
 * waitMs is the time until that counter's window starts (0 for the current counter), rounded up to the
 * millisecond so that the wait always lands inside the window. When minSecondsLeft exceeds the period
 * the current counter never qualifies and the next unused one is chosen.
 */
export function planNextCode(opts: {
  mfa: MfaSecret;
  nowSeconds: number;
  minSecondsLeft: number;
  usedCounters: Iterable<number>;
}): { counter: number; waitMs: number } {
  const { mfa, nowSeconds, minSecondsLeft } = opts;
  if (!Number.isFinite(minSecondsLeft)) throw internal('minSecondsLeft must be a finite number.');
  const used = new Set(opts.usedCounters);
  const current = timeStep(mfa, nowSeconds);
  let counter = current;
  if (used.has(counter) || secondsLeftInStep(mfa, nowSeconds) < minSecondsLeft) counter += 1;
  while (used.has(counter)) counter += 1;
  const waitMs = counter === current ? 0 : Math.max(0, Math.ceil((counter * mfa.period - nowSeconds) * 1000));
  return { counter, waitMs };
}
