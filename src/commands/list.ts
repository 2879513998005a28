// `pagerduty list`: the onboarded instances and their health (last test). Loads only the config store.
import { configToPublic } from '../core/instance-view.js';
import { processIo } from '../cli/io.js';
import type { InstanceConfig } from '../core/types.js';
import { readInstances } from '../store/config-store.js';

export function healthText(config: InstanceConfig): string {
  const last = config.lastTest;
  if (!last) return 'never tested';
  const when = last.at.replace('T', ' ').slice(0, 16);
  return last.ok ? `ok (${when} UTC)` : `FAILED ${last.errorCode ?? ''} (${when} UTC)`.replace('  ', ' ');
}

export function renderTable(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) => row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd());
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
  const rows = [['NAME', 'PAGERDUTY', 'REGION', 'LOGIN', 'USER', 'SECRETS', 'LAST TEST']];
  for (const c of instances) {
    const view = configToPublic(c);
    rows.push([c.name, view.host, c.region.toUpperCase(), c.loginMethod, c.user, c.secretStore, healthText(c)]);
  }
  for (const line of renderTable(rows)) io.out(line);
}
