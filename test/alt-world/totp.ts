// RFC 6238 time-based one-time passwords, written for the alternative world (HMAC-SHA1, 6 digits, 30 s).
import { createHmac, randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const index = ALPHABET.indexOf(ch);
    if (index < 0) throw new Error('not base32');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A fresh 32-character base32 secret (20 random bytes). */
export function newSecret(): string {
  return base32Encode(randomBytes(20));
}

export function hotp(secret: string, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const digest = createHmac('sha1', base32Decode(secret)).update(message).digest();
  const offset = digest[digest.length - 1]! & 0x0f;
  const binary = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return binary.toString().padStart(6, '0');
}

export function totpAt(secret: string, ms = Date.now()): string {
  return hotp(secret, Math.floor(ms / 1000 / 30));
}

/**
 * Checks a code within one step either side. Returns the matched counter, or a reason.
 * `lastUsed` is the highest counter already accepted for this secret: that one and older are refused.
 */
export function checkTotp(
  secret: string,
  code: string,
  lastUsed: number,
  ms = Date.now(),
): { ok: true; counter: number } | { ok: false; reason: 'wrong' | 'reused' } {
  const now = Math.floor(ms / 1000 / 30);
  const trimmed = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(trimmed)) return { ok: false, reason: 'wrong' };
  for (const counter of [now - 1, now, now + 1]) {
    if (hotp(secret, counter) === trimmed) {
      if (counter <= lastUsed) return { ok: false, reason: 'reused' };
      return { ok: true, counter };
    }
  }
  return { ok: false, reason: 'wrong' };
}
