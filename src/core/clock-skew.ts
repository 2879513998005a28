// How far this machine's clock is from an identity provider's, read from the HTTP Date headers of its pages.
// A clock off by more than a TOTP window is a common cause of rejected codes on VMs and containers; the IdP's
// Date header tells its time to the second. Pure: readings come in as arguments.

/** Below this, the clock counts as right: a Date header has whole seconds, and IdPs accept a window either side. */
export const SKEW_THRESHOLD_MS = 5_000;
/** Readings kept; the median of the latest ones is the estimate, so one odd answer (a proxy's) cannot swing it. */
const MAX_READINGS = 15;

/**
 * One reading: IdP time minus local time, in ms (positive: this machine's clock is behind), from a Date header
 * and the local time its response arrived. The header has whole seconds, so the IdP's clock was somewhere in
 * [date, date + 1 s): the middle of that second is the estimate. null when the header is missing or unreadable.
 */
export function skewReading(dateHeader: string | undefined, receivedAtMs: number): number | null {
  if (!dateHeader || !Number.isFinite(receivedAtMs)) return null;
  const date = Date.parse(dateHeader);
  if (!Number.isFinite(date)) return null;
  return date + 500 - receivedAtMs;
}

/** The clock skew to act on, from readings in arrival order: the median of the latest ones when it is over the
 *  threshold, else 0 (the local clock is right; codes use it unchanged). */
export function clockSkewFrom(readings: readonly number[]): number {
  const latest = readings.slice(-MAX_READINGS).filter(Number.isFinite);
  if (latest.length === 0) return 0;
  const sorted = [...latest].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.abs(median) > SKEW_THRESHOLD_MS ? Math.round(median) : 0;
}

/** "90 s behind" / "2 min 5 s ahead": how a person reads a skew (IdP minus local, in ms). */
export function describeSkew(skewMs: number): string {
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  const amount = seconds >= 120 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`;
  return `${amount} ${skewMs > 0 ? 'behind' : 'ahead of'}`;
}
