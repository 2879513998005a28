// Pure: recognising PagerDuty's rate limiting of repeated log-ins, and how long it asks us to wait.
// login-pages.md: "Repeated log-ins are rate limited and then show an error message"; the page's wording is not
// public, so an HTTP 429 counts, and so does an error text that speaks of too many requests or attempts (but not
// a locked account, which is a different outcome with a different fix).
import { OnboardError } from '../core/errors.js';

const RATE_LIMIT_TEXT = /\btoo many (?:requests|(?:sign[- ]?in|log[- ]?in|login) (?:attempts|requests))\b|\brate[- ]?limit(?:ed|ing)?\b|\bslow down\b/i;
const LOCKED_TEXT = /\block(?:ed|out)\b/i;

export function looksRateLimited(text: string): boolean {
  return RATE_LIMIT_TEXT.test(text) && !LOCKED_TEXT.test(text);
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), else from the page's words; undefined when neither says. */
export function retryAfterSeconds(input: { header?: string | null; text?: string; nowMs: number }): number | undefined {
  const header = input.header?.trim();
  if (header) {
    if (/^\d+$/.test(header)) return Number(header);
    const at = Date.parse(header);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - input.nowMs) / 1000));
  }
  const words = /\b(\d{1,5})\s*(seconds?|secs?|s|minutes?|mins?|hours?)\b/i.exec(input.text ?? '');
  if (!words) return undefined;
  const unit = words[2]!.toLowerCase();
  const factor = unit.startsWith('h') ? 3600 : unit.startsWith('m') ? 60 : 1;
  return Number(words[1]) * factor;
}

/** `service`: who limits (PagerDuty, or the identity provider on its own host). */
export function rateLimitedError(service: string, host: string, waitSeconds: number | undefined, pageText?: string): OnboardError {
  const asked = waitSeconds === undefined ? '' : `; it asks to wait ${waitSeconds} s`;
  const shown = pageText ? ` The page said: "${pageText}"` : '';
  return new OnboardError('RATE_LIMITED', `${service} is rate limiting log-ins at ${host}${asked}.${shown}`, {
    fix: `Run again ${waitSeconds === undefined ? 'in a few minutes' : `after ${waitSeconds} s`}; with many instances on one host keep --host-concurrency at 2 or lower.`,
    retryAfterSeconds: waitSeconds,
  });
}
