import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileCodeLedger } from '../../src/connect/code-ledger.js';
import { removeDir, tempDir } from '../helpers/cli.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const OTHER = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(removeDir));

describe('code ledger', () => {
  it('a counter used by one process is known to the next, per secret, and the file holds no secret', () => {
    const dir = path.join(tempDir(), 'totp-ledger');
    dirs.push(path.dirname(dir));
    const first = fileCodeLedger(dir);
    first.record(SECRET, 58_000_001);
    expect(first.used(SECRET).has(58_000_001)).toBe(true);

    const next = fileCodeLedger(dir); // another process
    expect([...next.used(SECRET)]).toEqual([58_000_001]);
    expect([...next.used(OTHER)]).toEqual([]);

    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).not.toContain(SECRET);
    expect(readFileSync(path.join(dir, files[0]!), 'utf8')).toBe('{"counter":58000001}');
  });

  it('an unwritable place only loses the cross-process memory', () => {
    const base = tempDir();
    dirs.push(base);
    writeFileSync(path.join(base, 'a-file'), '');
    const place = path.join(base, 'a-file', 'totp-ledger'); // a file where a folder should be
    const ledger = fileCodeLedger(place);
    ledger.record(SECRET, 7);
    expect(ledger.used(SECRET).has(7)).toBe(true);
    expect(fileCodeLedger(place).used(SECRET).size).toBe(0);
  });
});
