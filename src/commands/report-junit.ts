// Pure: connection-test results as JUnit XML, the report CI systems read natively (GitLab, Jenkins, GitHub
// test-report actions). One testsuite, one testcase per instance; a failure carries the error code as its type;
// instances outside this run's shard are <skipped>. Only what the results already hold is written: their
// messages are redacted before they get here, and no input value (password, secret, code) is ever part of them.
import type { TestResult } from '../connect/types.js';

export interface JunitInput {
  /** e.g. "sspm-onboard pagerduty test (shard 2/4)". */
  suiteName: string;
  results: TestResult[];
  /** Instances this run did not test, with why (another shard). */
  skipped: Array<{ name: string; reason: string }>;
  startedAt: Date;
  /** Wall time of the whole run (instances run at once, so this is not the sum of theirs). */
  elapsedMs: number;
  hostname?: string;
}

const CLASS_NAME = 'sspm-onboard.pagerduty';

/** XML 1.0 cannot carry most control characters even escaped: they are dropped. Lone surrogates likewise. */
function xmlText(value: string): string {
  return value
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function xmlAttr(value: string): string {
  // Line breaks and tabs in attributes would be normalized to spaces by a parser: keep them as references.
  return xmlText(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

function testcase(result: TestResult): string {
  const open = `    <testcase name="${xmlAttr(result.name)}" classname="${CLASS_NAME}" time="${seconds(result.durationMs)}">`;
  const owner = `owner: ${result.owner}${result.ownerDetail ? ` (${result.ownerDetail})` : ''}`;
  const out = [`login method: ${result.loginMethod}, region: ${result.region}`, owner, ...(result.warning ? [`warning: ${result.warning}`] : [])];
  const steps = result.steps.map((s) => `${s.ok ? 'ok  ' : 'FAIL'} ${s.name} (${s.ms} ms)`);
  const systemOut = `      <system-out>${xmlText([...out, ...steps].join('\n'))}</system-out>`;
  if (result.ok) return [open, systemOut, '    </testcase>'].join('\n');
  const error = result.error!;
  const body = error.fix ? `${error.message}\nTo fix: ${error.fix}` : error.message;
  return [open, `      <failure type="${xmlAttr(error.code)}" message="${xmlAttr(error.message)}">${xmlText(body)}</failure>`, systemOut, '    </testcase>'].join('\n');
}

export function junitXml(input: JunitInput): string {
  const failures = input.results.filter((r) => !r.ok).length;
  const tests = input.results.length + input.skipped.length;
  const time = seconds(input.elapsedMs);
  const counts = `tests="${tests}" failures="${failures}" errors="0" skipped="${input.skipped.length}" time="${time}"`;
  const cases = [
    ...input.results.map(testcase),
    ...input.skipped.map(
      (s) => `    <testcase name="${xmlAttr(s.name)}" classname="${CLASS_NAME}" time="0">\n      <skipped message="${xmlAttr(s.reason)}"/>\n    </testcase>`,
    ),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sspm-onboard" ${counts}>`,
    `  <testsuite name="${xmlAttr(input.suiteName)}" ${counts} timestamp="${input.startedAt.toISOString().replace(/\.\d{3}Z$/, '')}"${input.hostname ? ` hostname="${xmlAttr(input.hostname)}"` : ''}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
