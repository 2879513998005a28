// `pagerduty show <name>`: one instance, where each secret lives and whether it is really there (like
// `gh auth status`). A secret is looked up only to learn that it exists; its value is dropped at once.
import { OnboardError } from '../core/errors.js';
import { configToPublic, secretKindsFor, summaryLines } from '../core/instance-view.js';
import { processIo, type Io } from '../cli/io.js';
import { openStore, requireInstance } from './stored.js';
import { healthText } from './list.js';
import type { InstanceConfig, SecretKind } from '../core/types.js';

export function secretLocation(config: InstanceConfig, kind: SecretKind, configDir: string): string {
  return config.secretStore === 'keychain'
    ? `OS keychain, service "sspm-onboard", account "${config.name}/${kind}"`
    : `encrypted file ${configDir}/secrets.enc.json, entry "${config.name}/${kind}"`;
}

export type SecretStatus = 'present' | 'missing' | 'unknown';

/** Whether each secret is in its store; 'unknown' (with the reason) when the store cannot be opened. */
async function secretStatuses(config: InstanceConfig, io: Io): Promise<{ statuses: Partial<Record<SecretKind, SecretStatus>>; reason?: string }> {
  const statuses: Partial<Record<SecretKind, SecretStatus>> = {};
  try {
    const store = await openStore(config.secretStore, io);
    for (const kind of secretKindsFor(config.loginMethod)) statuses[kind] = (await store.get(config.name, kind)) === null ? 'missing' : 'present';
    return { statuses };
  } catch (error) {
    for (const kind of secretKindsFor(config.loginMethod)) statuses[kind] = 'unknown';
    return { statuses, reason: error instanceof Error ? error.message : String(error) };
  }
}

export function restoreCommand(name: string, kind: SecretKind): string {
  return kind === 'password'
    ? `printf %s "$PASSWORD" | sspm-onboard pagerduty update ${name} --password-stdin`
    : `sspm-onboard pagerduty update ${name} --mfa-secret-file <file with the 2FA secret>`;
}

export async function showCommand(name: string, flags: { json?: boolean }): Promise<void> {
  const io = processIo();
  const config = await requireInstance(name, io);
  const { configDir } = await import('../store/config-store.js');
  const dir = configDir(io.env);
  const secrets = Object.fromEntries(secretKindsFor(config.loginMethod).map((kind) => [kind, secretLocation(config, kind, dir)]));
  const { statuses, reason } = await secretStatuses(config, io);
  const document = { ...configToPublic(config), secretStore: config.secretStore, secrets, secretStatus: statuses, createdAt: config.createdAt, updatedAt: config.updatedAt, lastTest: config.lastTest ?? null };
  if (!flags.json) {
    for (const line of summaryLines(configToPublic(config))) io.out(line);
    for (const [kind, where] of Object.entries(secrets)) {
      const status = statuses[kind as SecretKind];
      const note = status === 'missing' ? '  MISSING' : status === 'unknown' ? `  (not checked: ${reason})` : '  (present)';
      io.out(`${kind === 'password' ? 'Password:' : '2FA secret:'}`.padEnd(15) + where + note);
    }
    io.out(`Last test:     ${healthText(config, Date.now())}${config.lastTest ? ` (${config.lastTest.at.replace('T', ' ').slice(0, 16)} UTC)` : ''}`);
  }
  const missing = secretKindsFor(config.loginMethod).filter((kind) => statuses[kind] === 'missing');
  if (missing.length > 0) {
    const what = missing.map((kind) => (kind === 'password' ? 'password' : '2FA secret')).join(' and ');
    throw new OnboardError('SECRET_STORE', `The ${what} of "${name}" ${missing.length > 1 ? 'are' : 'is'} missing from its secret store.`, {
      fix: `Restore it: ${missing.map((kind) => restoreCommand(name, kind)).join('; ')}`,
      json: document,
    });
  }
  if (flags.json) io.out(JSON.stringify({ ok: true, ...document }));
}
