// `pagerduty show <name>`: one instance and where each secret lives. Never reads a secret.
import { configToPublic, secretKindsFor, summaryLines } from '../core/instance-view.js';
import { processIo } from '../cli/io.js';
import { requireInstance } from './stored.js';
import { healthText } from './list.js';
import type { InstanceConfig, SecretKind } from '../core/types.js';

export function secretLocation(config: InstanceConfig, kind: SecretKind, configDir: string): string {
  return config.secretStore === 'keychain'
    ? `OS keychain, service "sspm-onboard", account "${config.name}/${kind}"`
    : `encrypted file ${configDir}/secrets.enc.json, entry "${config.name}/${kind}"`;
}

export async function showCommand(name: string, flags: { json?: boolean }): Promise<void> {
  const io = processIo();
  const config = await requireInstance(name, io);
  const { configDir } = await import('../store/config-store.js');
  const dir = configDir(io.env);
  const secrets = Object.fromEntries(secretKindsFor(config.loginMethod).map((kind) => [kind, secretLocation(config, kind, dir)]));
  if (flags.json) {
    io.out(JSON.stringify({ ok: true, ...configToPublic(config), secretStore: config.secretStore, secrets, createdAt: config.createdAt, updatedAt: config.updatedAt, lastTest: config.lastTest ?? null }));
    return;
  }
  for (const line of summaryLines(configToPublic(config))) io.out(line);
  for (const [kind, where] of Object.entries(secrets)) io.out(`${kind === 'password' ? 'Password:' : '2FA secret:'}`.padEnd(15) + where);
  io.out(`Last test:     ${healthText(config)}`);
}
