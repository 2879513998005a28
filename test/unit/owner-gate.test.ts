import { describe, expect, it } from 'vitest';
import { ownerVerdict } from '../../src/connect/owner-gate.js';
import { parseEnvSwitch } from '../../src/commands/test.js';

describe('ownerVerdict', () => {
  const detail = 'the endpoint said so';
  it.each([
    ['verified', false, true, undefined],
    ['verified', true, true, undefined],
    ['unverified', false, true, 'warning'],
    ['unverified', true, false, 'could not be confirmed'],
    ['not-owner', false, false, 'not the Account Owner'],
    ['not-owner', true, false, 'not the Account Owner'],
  ] as const)('%s with requireOwner=%s: ok=%s', (status, requireOwner, ok, text) => {
    const verdict = ownerVerdict({ status, detail }, 'owner@acme.example', requireOwner);
    expect(verdict.ok).toBe(ok);
    if (verdict.ok) {
      if (text) expect(verdict.warning).toMatch(/could not be confirmed.*--require-owner/);
      else expect(verdict.warning).toBeUndefined();
    } else {
      expect(verdict.error.code).toBe('NOT_OWNER');
      expect(verdict.error.message).toContain(text);
      expect(verdict.error.message).toContain(detail);
    }
  });
});

describe('parseEnvSwitch', () => {
  it.each([
    [undefined, false], ['', false], ['0', false], ['false', false], ['no', false],
    ['1', true], ['true', true], ['TRUE', true], [' yes ', true],
  ] as const)('%j -> %s', (value, expected) => {
    expect(parseEnvSwitch('SSPM_REQUIRE_OWNER', value)).toBe(expected);
  });

  it('names the variable and the fix for anything else', () => {
    expect(() => parseEnvSwitch('SSPM_REQUIRE_OWNER', 'maybe')).toThrow(/SSPM_REQUIRE_OWNER "maybe".*1 \(on\) or 0 \(off\)/);
  });
});
