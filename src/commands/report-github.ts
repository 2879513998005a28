// Pure: GitHub Actions' own channels for connection-test results, used only when GITHUB_ACTIONS=true: a Markdown
// table for the job summary ($GITHUB_STEP_SUMMARY) and one `::error` workflow command per failed instance, escaped
// as GitHub's "Workflow commands" documentation says (data: % CR LF; properties also : and ,).
import type { TestResult } from '../connect/types.js';

export function escapeCommandData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeCommandProperty(value: string): string {
  return escapeCommandData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function errorCommands(results: TestResult[]): string[] {
  return results
    .filter((r) => !r.ok)
    .map((r) => {
      const text = `${r.error!.code}: ${r.error!.message}${r.error!.fix ? ` To fix: ${r.error!.fix}` : ''}`;
      return `::error title=${escapeCommandProperty(r.name)}::${escapeCommandData(text)}`;
    });
}

/** A table cell: one line, pipes escaped, no HTML from page texts. */
function cell(value: string): string {
  return value.replace(/\s+/g, ' ').trim().replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function stepSummary(input: { title: string; results: TestResult[]; skipped: Array<{ name: string; reason: string }> }): string {
  const passed = input.results.filter((r) => r.ok).length;
  const lines = [
    `### ${cell(input.title)}`,
    '',
    `${passed} of ${input.results.length} instances passed${input.skipped.length ? `; ${input.skipped.length} skipped (other shards)` : ''}.`,
    '',
    '| instance | result | Account Owner | time | details |',
    '|---|---|---|---|---|',
  ];
  for (const r of input.results) {
    const result = r.ok ? (r.warning ? '⚠️ passed' : '✅ passed') : `❌ ${r.error!.code}`;
    const details = r.ok ? (r.warning ?? '') : `${r.error!.message}${r.error!.fix ? ` To fix: ${r.error!.fix}` : ''}`;
    lines.push(`| ${cell(r.name)} | ${result} | ${r.owner} | ${(r.durationMs / 1000).toFixed(1)} s | ${cell(details)} |`);
  }
  for (const s of input.skipped) lines.push(`| ${cell(s.name)} | skipped | | | ${cell(s.reason)} |`);
  return `${lines.join('\n')}\n\n`;
}
