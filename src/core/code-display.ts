// A one-time code as a person reads it ("123 456"), and how long it stays valid. No I/O here.
import { generateCode } from './totp.js';
import type { MfaSecret } from './types.js';

/** Groups the digits for reading aloud or typing: 6 -> 3+3, 7 -> 3+4, 8 -> 4+4. */
export function formatCode(code: string): string {
  const split = code.length === 8 ? 4 : 3;
  return code.length >= 6 ? `${code.slice(0, split)} ${code.slice(split)}` : code;
}

/** The code of one time step, and the whole seconds it stays valid at nowSeconds (0 once expired). */
export function codeOfStep(mfa: MfaSecret, counter: number, nowSeconds: number): { code: string; expiresInSeconds: number } {
  const code = generateCode(mfa, counter * mfa.period);
  const expiresInSeconds = Math.max(0, Math.floor((counter + 1) * mfa.period - nowSeconds));
  return { code, expiresInSeconds };
}
