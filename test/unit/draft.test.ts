import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freeName } from '../../src/core/draft.js';

describe('freeName: the name prompt offers a name no instance has', () => {
  it.each([
    ['acme', [], 'acme'],
    ['acme', ['globex'], 'acme'],
    ['acme', ['acme'], 'acme-2'],
    ['acme', ['acme', 'acme-2'], 'acme-3'],
    ['acme', ['acme', 'acme-3'], 'acme-2'],
    ['pagerduty-eu', ['pagerduty-eu', 'pagerduty-eu-2', 'pagerduty-eu-3'], 'pagerduty-eu-4'],
  ])('%s with %j taken -> %s', (base, taken, expected) => {
    expect(freeName(base, new Set(taken))).toBe(expected);
  });
});

describe('layering', () => {
  it('the wizard imports nothing from src/cli (shared pieces live in src/core)', () => {
    const dir = path.resolve(__dirname, '../../src/wizard');
    const offenders: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      for (const match of text.matchAll(/(?:from|import\()\s*['"]([^'"]+)['"]/g)) {
        if (/(^|\/)cli\//.test(match[1]!)) offenders.push(`${file}: ${match[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
