// Pure: which entries of a secret store no config entry refers to (left by a crash, a SIGKILL or an older version).
import type { InstanceConfig, SecretKind, SecretStoreKind } from '../core/types.js';
import { parseSecretAccount, probeOwnerPid } from './secret-store-types.js';

export interface Orphans {
  /** Instance name -> its secrets in this store that no config entry (of this store) refers to. */
  instances: Map<string, SecretKind[]>;
  /** Keychain probe entries (`.check/<pid>-...`) whose process is gone. */
  staleProbes: string[];
}

export function findOrphans(
  accounts: string[],
  store: SecretStoreKind,
  instances: Iterable<InstanceConfig>,
  isAlive: (pid: number) => boolean,
): Orphans {
  const owners = new Set([...instances].filter((i) => i.secretStore === store).map((i) => i.name));
  const orphans: Orphans = { instances: new Map(), staleProbes: [] };
  for (const account of [...accounts].sort()) {
    const pid = probeOwnerPid(account);
    if (pid !== null) {
      if (!isAlive(pid)) orphans.staleProbes.push(account);
      continue;
    }
    const parsed = parseSecretAccount(account);
    if (!parsed || owners.has(parsed.instance)) continue;
    const kinds = orphans.instances.get(parsed.instance) ?? [];
    kinds.push(parsed.secret);
    orphans.instances.set(parsed.instance, kinds);
  }
  return orphans;
}

/** The secrets an instance name has in a store (for `remove <name>` when its config entry is gone). */
export function secretsOf(accounts: string[], instance: string): SecretKind[] {
  return accounts.map(parseSecretAccount).flatMap((p) => (p && p.instance === instance ? [p.secret] : []));
}
