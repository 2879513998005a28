// What `pagerduty list` shows a person: relative times ("2 h ago"), and a table that fits 80 columns.
import { describe, expect, it } from 'vitest';
import { relativeTime } from '../../src/core/relative-time.js';
import { fitTable, healthText, listLines } from '../../src/commands/list.js';
import type { InstanceConfig } from '../../src/core/types.js';

const NOW = Date.parse('2026-11-30T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('relativeTime', () => {
  it.each([
    [ago(0), 'just now'],
    [ago(59_999), 'just now'],
    [ago(-5 * MIN), 'just now'], // another machine's clock ahead of ours
    [ago(MIN), '1 min ago'],
    [ago(59 * MIN + 59_000), '59 min ago'],
    [ago(HOUR), '1 h ago'],
    [ago(2 * HOUR + 30 * MIN), '2 h ago'],
    [ago(23 * HOUR + 59 * MIN), '23 h ago'],
    [ago(DAY), '1 d ago'],
    [ago(3 * DAY + 5 * HOUR), '3 d ago'],
    [ago(29 * DAY), '29 d ago'],
    [ago(30 * DAY), '1 mo ago'],
    [ago(364 * DAY), '12 mo ago'],
    [ago(365 * DAY), '1 y ago'],
    [ago(800 * DAY), '2 y ago'],
    ['not a date', 'at an unknown time'],
  ])('%s -> %s', (at, expected) => {
    expect(relativeTime(at, NOW)).toBe(expected);
  });
});

const base: InstanceConfig = {
  name: 'acme',
  subdomain: 'acme',
  region: 'us',
  loginMethod: 'credentials',
  user: 'owner@acme.com',
  okta: null,
  secretStore: 'keychain',
  createdAt: ago(40 * DAY),
  updatedAt: ago(40 * DAY),
};

describe('healthText', () => {
  it.each([
    [base, 'never tested'],
    [{ ...base, lastTest: { at: ago(2 * HOUR), ok: true, owner: 'verified', durationMs: 1200 } }, 'ok 2 h ago'],
    [{ ...base, lastTest: { at: ago(3 * DAY), ok: false, owner: 'unverified', errorCode: 'LOGIN_REJECTED', durationMs: 900 } }, 'FAILED 3 d ago: LOGIN_REJECTED'],
  ] as Array<[InstanceConfig, string]>)('%#: %s', (config, expected) => {
    expect(healthText(config, NOW)).toBe(expected);
  });
});

describe('listLines', () => {
  const fleet: InstanceConfig[] = [
    { ...base, lastTest: { at: ago(2 * HOUR), ok: true, owner: 'verified', durationMs: 1200 } },
    {
      ...base,
      name: 'globex-production-europe',
      subdomain: 'globex-production',
      region: 'eu',
      loginMethod: 'okta',
      user: 'pagerduty-account-owner@globex-corporation.example',
      okta: { org: 'globex', domain: 'okta-emea.com' },
      lastTest: { at: ago(3 * DAY), ok: false, owner: 'unverified', errorCode: 'UNRECOGNIZED_PAGE', durationMs: 900 },
    },
    { ...base, name: 'initech', subdomain: null, loginMethod: 'azure', user: 'megan@initech.example' },
  ];

  it('a usual fleet fits 80 columns whole', () => {
    const lines = listLines([fleet[0]!, fleet[2]!], NOW, 80);
    expect(lines).toEqual([
      'NAME     PAGERDUTY           LOGIN        USER                   LAST TEST',
      'acme     acme.pagerduty.com  credentials  owner@acme.com         ok 2 h ago',
      'initech  app.pagerduty.com   azure        megan@initech.example  never tested',
    ]);
  });

  it('long values still fit 80 columns: the user address is cut first, then the host; the health never', () => {
    const lines = listLines(fleet, NOW, 80);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^NAME\s+PAGERDUTY\s+LOGIN\s+USER\s+LAST TEST$/);
    expect(lines[1]).toMatch(/^acme\s+acme\.pagerd…\s+credentials\s+owner@a…\s+ok 2 h ago$/);
    expect(lines[2]).toMatch(/^globex-…\s+globex-prod…\s+okta\s+pagerdu…\s+FAILED 3 d ago: UNRECOGNIZED_PAGE$/);
    expect(lines[3]).toMatch(/^initech\s+app\.pagerdu…\s+azure\s+megan@i…\s+never tested$/);
  });

  it('shows everything whole when the terminal is wide enough', () => {
    const lines = listLines(fleet, NOW, 200);
    expect(lines[2]).toMatch(/^globex-production-europe\s+globex-production\.eu\.pagerduty\.com\s+okta\s+pagerduty-account-owner@globex-corporation\.example\s+FAILED 3 d ago: UNRECOGNIZED_PAGE$/);
    expect(lines.join('\n')).not.toContain('…');
  });
});

describe('fitTable', () => {
  const rows = [
    ['A', 'B', 'C'],
    ['aaaaaaaaaa', 'bbbbbbbbbb', 'cc'],
  ];
  it.each([
    [30, [{ column: 0, min: 4 }], ['A           B           C', 'aaaaaaaaaa  bbbbbbbbbb  cc']],
    [20, [{ column: 0, min: 4 }], ['A     B           C', 'aaa…  bbbbbbbbbb  cc']],
    [16, [{ column: 0, min: 4 }, { column: 1, min: 6 }], ['A     B       C', 'aaa…  bbbbb…  cc']],
    // Minimums reached: wider than asked rather than unreadable.
    [5, [{ column: 0, min: 4 }, { column: 1, min: 6 }], ['A     B       C', 'aaa…  bbbbb…  cc']],
  ] as Array<[number, Array<{ column: number; min: number }>, string[]]>)('width %i', (width, shrink, expected) => {
    expect(fitTable(rows, width, shrink)).toEqual(expected);
  });
});
