// Pure: "2 h ago" for people. Machine output (JSON) keeps the ISO time.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How long ago `atIso` was, seen from `nowMs`, in the largest whole unit: "just now", "5 min ago", "2 h ago",
 *  "3 d ago", "4 mo ago", "2 y ago". A time in the future (another machine's clock) reads "just now". */
export function relativeTime(atIso: string, nowMs: number): string {
  const at = Date.parse(atIso);
  if (Number.isNaN(at)) return 'at an unknown time';
  const ago = nowMs - at;
  if (ago < MINUTE) return 'just now';
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`;
  if (ago < 30 * DAY) return `${Math.floor(ago / DAY)} d ago`;
  if (ago < 365 * DAY) return `${Math.floor(ago / (30 * DAY))} mo ago`;
  return `${Math.floor(ago / (365 * DAY))} y ago`;
}
