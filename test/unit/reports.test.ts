// The report formats as pure functions: JUnit XML that a real parser accepts whatever the names and page texts
// hold, and GitHub's workflow-command escaping and summary table.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { junitXml } from '../../src/commands/report-junit.js';
import { errorCommands, escapeCommandData, escapeCommandProperty, stepSummary } from '../../src/commands/report-github.js';
import { parseReportSpecs } from '../../src/commands/test-reports.js';
import type { TestResult } from '../../src/connect/types.js';
import { assertWellFormed, xpath } from '../helpers/xml.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sspm-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOSTILE = 'a&b <c> "d" \'e\' ]]> \u0001\u0008 tab\there\nline two %0A, x:y';

function passed(name: string): TestResult {
  return { name, ok: true, loginMethod: 'credentials', region: 'us', owner: 'verified', ownerDetail: 'endpoint', durationMs: 1234, steps: [{ name: 'open-sign-in', ok: true, ms: 12 }] };
}
function failed(name: string, code: 'LOGIN_REJECTED' | 'RATE_LIMITED', message: string): TestResult {
  return { name, ok: false, loginMethod: 'okta', region: 'eu', owner: 'unverified', durationMs: 5500, steps: [{ name: 'credentials', ok: false, ms: 99 }], error: { code, message, fix: 'Check it.' } };
}

describe('junitXml', () => {
  it('one testsuite, a testcase per instance with its time, failure type = error code, skipped instances', () => {
    const xml = junitXml({
      suiteName: 'sspm-onboard pagerduty test (shard 1/2)',
      results: [passed('alpha'), failed(HOSTILE, 'LOGIN_REJECTED', `The page said: "${HOSTILE}"`)],
      skipped: [{ name: 'zulu', reason: 'in another shard (this run is shard 1/2)' }],
      startedAt: new Date('2026-11-30T03:00:00.000Z'),
      elapsedMs: 6000,
    });
    const file = path.join(dir, 'junit.xml');
    writeFileSync(file, xml);
    assertWellFormed(file);
    expect(xpath(file, 'count(/testsuites/testsuite)')).toBe('1');
    expect(xpath(file, 'count(//testcase)')).toBe('3');
    expect(xpath(file, 'string(/testsuites/testsuite/@tests)')).toBe('3');
    expect(xpath(file, 'string(/testsuites/testsuite/@failures)')).toBe('1');
    expect(xpath(file, 'string(/testsuites/testsuite/@skipped)')).toBe('1');
    expect(xpath(file, 'string(/testsuites/testsuite/@timestamp)')).toBe('2026-11-30T03:00:00');
    expect(xpath(file, 'string(//testcase[@name="alpha"]/@time)')).toBe('1.234');
    expect(xpath(file, 'count(//testcase[@name="alpha"]/failure)')).toBe('0');
    expect(xpath(file, 'string(//testcase[failure]/failure/@type)')).toBe('LOGIN_REJECTED');
    // The hostile name survives the round trip except for the characters XML 1.0 cannot carry at all.
    expect(xpath(file, 'string(//testcase[failure]/@name)')).toBe(HOSTILE.replace(/[\u0001\u0008]/g, ''));
    expect(xpath(file, 'string(//testcase[@name="zulu"]/skipped/@message)')).toMatch(/another shard/);
  });

  it('an empty run is still a valid report', () => {
    const file = path.join(dir, 'empty.xml');
    writeFileSync(file, junitXml({ suiteName: 's', results: [], skipped: [], startedAt: new Date(), elapsedMs: 0 }));
    assertWellFormed(file);
    expect(xpath(file, 'string(/testsuites/testsuite/@tests)')).toBe('0');
  });
});

describe('GitHub workflow commands', () => {
  it.each([
    ['100% done', '100%25 done', '100%25 done'],
    ['a\r\nb', 'a%0D%0Ab', 'a%0D%0Ab'],
    ['x:y,z', 'x:y,z', 'x%3Ay%2Cz'],
    ['%0A', '%250A', '%250A'],
  ])('%j -> data %j, property %j', (input, data, property) => {
    expect(escapeCommandData(input)).toBe(data);
    expect(escapeCommandProperty(input)).toBe(property);
  });

  it('one ::error per failed instance, titled by its name, on one line', () => {
    const lines = errorCommands([passed('ok-one'), failed('acme, eu', 'RATE_LIMITED', 'Slow down.\nWait 30 s.')]);
    expect(lines).toEqual(['::error title=acme%2C eu::RATE_LIMITED: Slow down.%0AWait 30 s. To fix: Check it.']);
  });

  it('the summary is a Markdown table with a row per instance; cells cannot break the table', () => {
    const md = stepSummary({ title: 'sspm-onboard pagerduty test', results: [passed('alpha'), failed('a|b', 'LOGIN_REJECTED', 'x | y\nz <b>')], skipped: [{ name: 'zulu', reason: 'other shard' }] });
    const rows = md.split('\n').filter((l) => l.startsWith('|'));
    expect(rows).toHaveLength(5);
    expect(rows.every((row) => row.replace(/\\\|/g, '').split('|').length === 7)).toBe(true);
    expect(md).toContain('1 of 2 instances passed; 1 skipped');
    expect(md).toContain('&lt;b&gt;');
  });
});

describe('parseReportSpecs', () => {
  it('junit=<path>, resolved; unknown formats, missing paths and duplicates are input errors', () => {
    expect(parseReportSpecs(['junit=out/j.xml'])).toEqual([{ format: 'junit', path: path.resolve('out/j.xml') }]);
    expect(parseReportSpecs(undefined)).toEqual([]);
    expect(() => parseReportSpecs(['sarif=x'])).toThrow(/Invalid --report "sarif=x".*junit/);
    expect(() => parseReportSpecs(['junit='])).toThrow(/Invalid --report/);
    expect(() => parseReportSpecs(['junit.xml'])).toThrow(/<format>=<path>/);
    expect(() => parseReportSpecs(['junit=a', 'junit=b'])).toThrow(/twice/);
  });
});
