// `pagerduty list`: the onboarded instances and their health (last test). Loads only the config store.
import { configToPublic } from '../core/instance-view.js';
import { relativeTime } from '../core/relative-time.js';
import { processIo } from '../cli/io.js';
import type { InstanceConfig } from '../core/types.js';
import { readInstances } from '../store/config-store.js';

/** The table fits a classic terminal when it is not one (a pipe, a log) or says no width. */
export const DEFAULT_WIDTH = 80;
const GAP = '  ';

export function healthText(config: InstanceConfig, nowMs: number): string {
  const last = config.lastTest;
  if (!last) return 'never tested';
  const when = relativeTime(last.at, nowMs);
  return last.ok ? `ok ${when}` : `FAILED ${when}${last.errorCode ? `: ${last.errorCode}` : ''}`;
}

/** A column that may be cut to make the table fit, down to `min` characters; earlier ones are cut first. */
interface Shrinkable {
  column: number;
  min: number;
}

function cut(cell: string, width: number): string {
  return cell.length <= width ? cell : `${cell.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * Pure: rows (the first is the header) as lines no wider than `width`: the `shrink` columns are cut with "…",
 * in order, each down to its minimum; other columns are never cut. Lines end without padding.
 */
export function fitTable(rows: string[][], width: number, shrink: Shrinkable[] = []): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  let over = widths.reduce((a, b) => a + b, 0) + GAP.length * (widths.length - 1) - width;
  for (const { column, min } of shrink) {
    if (over <= 0) break;
    const floor = Math.max(min, rows[0]![column]!.length);
    const take = Math.min(over, Math.max(0, widths[column]! - floor));
    widths[column] = widths[column]! - take;
    over -= take;
  }
  return rows.map((row) => row.map((cell, col) => cut(cell, widths[col]!).padEnd(widths[col]!)).join(GAP).trimEnd());
}

const COLUMNS = { name: 0, pagerduty: 1, login: 2, user: 3, lastTest: 4 };

/** Pure: the lines `list` prints for these instances at this time and width. */
export function listLines(instances: InstanceConfig[], nowMs: number, width: number): string[] {
  const rows = [['NAME', 'PAGERDUTY', 'LOGIN', 'USER', 'LAST TEST']];
  for (const c of instances) rows.push([c.name, configToPublic(c).host, c.loginMethod, c.user, healthText(c, nowMs)]);
  // The user's address goes first (show has it whole), then the host, then the name; the health never. With these
  // minimums the longest health ("FAILED 29 d ago: UNRECOGNIZED_PAGE") and login ("credentials") still fit 80.
  return fitTable(rows, width, [
    { column: COLUMNS.user, min: 8 },
    { column: COLUMNS.pagerduty, min: 12 },
    { column: COLUMNS.name, min: 8 },
  ]);
}

export async function listCommand(flags: { json?: boolean }): Promise<void> {
  const io = processIo();
  const instances = await readInstances(io.env);
  if (flags.json) {
    io.out(JSON.stringify(instances.map((c) => ({ ...configToPublic(c), secretStore: c.secretStore, lastTest: c.lastTest ?? null }))));
    return;
  }
  if (instances.length === 0) {
    io.info('No instances yet. Onboard one with: sspm-onboard pagerduty add');
    return;
  }
  const width = io.stdout.isTTY && io.stdout.columns ? io.stdout.columns : DEFAULT_WIDTH;
  for (const line of listLines(instances, Date.now(), width)) io.out(line);
}
