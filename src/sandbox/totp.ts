// RFC 6238 TOTP (HMAC-SHA1, 6 digits, 30 s) on node:crypto, so the sandbox does not share code with the
// product's own code generator (otplib): a bug on one side cannot hide a bug on the other.
import { createHmac } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;

export function base32Decode(input: string): Buffer {
  const clean = input.replace(/[\s=-]/g, '').toUpperCase();
  const bytes: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error(`Not a base32 character: ${JSON.stringify(char)}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

/** RFC 4226 HOTP value for one counter. */
export function hotp(secretBase32: string, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', base32Decode(secretBase32)).update(message).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary =
    ((digest[offset]! & 0x7f) << 24) | (digest[offset + 1]! << 16) | (digest[offset + 2]! << 8) | digest[offset + 3]!;
  return String(binary % 10 ** TOTP_DIGITS).padStart(TOTP_DIGITS, '0');
}

export function totpCounter(timeMs: number): number {
  return Math.floor(timeMs / 1000 / TOTP_PERIOD_SECONDS);
}

export function totp(secretBase32: string, timeMs: number = Date.now()): string {
  return hotp(secretBase32, totpCounter(timeMs));
}

/** The counter the code belongs to, within ±skew steps of timeMs; null when it matches none. */
export function matchTotp(secretBase32: string, code: string, timeMs: number = Date.now(), skew = 1): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const now = totpCounter(timeMs);
  for (let counter = now - skew; counter <= now + skew; counter++) {
    if (hotp(secretBase32, counter) === code) return counter;
  }
  return null;
}
