// Which one-time-code windows were already used, so no code is ever typed twice: within this process
// (several instances sharing one secret) and across processes (`add`, then `test` a few seconds later, would
// otherwise send the same code, which the IdP refuses as reused and counts as a failed attempt).
//
// Across processes the last used counter is kept in the config folder (totp-ledger/), one file per secret named
// by an HMAC of it (the secret cannot be recovered from it), holding only a counter (a time step number). Best
// effort: an unreadable or unwritable ledger only means a possible reuse, which the flow's single retry absorbs.
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configDir } from '../store/config-store.js';

export interface CodeLedger {
  /** Counters already used for this secret (the highest one across processes, and this process's own). */
  used(secret: string): Set<number>;
  record(secret: string, counter: number): void;
}

export function ledgerDir(env: NodeJS.ProcessEnv): string {
  return path.join(configDir(env), 'totp-ledger');
}

export function fileCodeLedger(dir: string): CodeLedger {
  const inProcess = new Map<string, Set<number>>();
  const keyOf = (secret: string) => createHmac('sha256', secret).update('sspm-onboard code ledger').digest('hex').slice(0, 32);
  const fileOf = (secret: string) => path.join(dir, keyOf(secret));
  const local = (secret: string) => {
    const key = createHash('sha256').update(secret).digest('hex');
    let set = inProcess.get(key);
    if (!set) inProcess.set(key, (set = new Set()));
    return set;
  };
  return {
    used(secret) {
      const set = new Set(local(secret));
      try {
        const counter = Number(JSON.parse(readFileSync(fileOf(secret), 'utf8')).counter);
        if (Number.isSafeInteger(counter)) set.add(counter);
      } catch {
        // no ledger yet, or unreadable: nothing known
      }
      return set;
    },
    record(secret, counter) {
      local(secret).add(counter);
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        const file = fileOf(secret);
        const temp = `${file}.${process.pid}.tmp`;
        writeFileSync(temp, JSON.stringify({ counter }), { mode: 0o600 });
        renameSync(temp, file);
      } catch {
        // best effort (see above)
      }
    },
  };
}
