// How a 2FA secret is kept in a secret store: an otpauth URI, so digits, period and algorithm survive
// and parseMfaSecret reads it back unchanged.
import type { MfaSecret } from './types.js';

export function mfaToUri(mfa: MfaSecret): string {
  const params = new URLSearchParams({ secret: mfa.secret, digits: String(mfa.digits), period: String(mfa.period), algorithm: mfa.algorithm.toUpperCase() });
  return `otpauth://totp/sspm-onboard?${params.toString()}`;
}
