// The report files and CI channels of `pagerduty test`, beside its stdout output (test-output.ts):
// `--report junit=<path>` and, inside GitHub Actions, the job summary and `::error` annotations.
import { appendFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { OnboardError } from '../core/errors.js';
import type { Io } from '../cli/io.js';
import type { TestResult } from '../connect/types.js';

export const REPORT_FORMATS = ['junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportSpec {
  format: ReportFormat;
  path: string;
}

export interface RunRecord {
  title: string;
  results: TestResult[];
  skipped: Array<{ name: string; reason: string }>;
  startedAt: Date;
  elapsedMs: number;
}

/** Pure: `--report junit=reports/junit.xml` (repeatable) into specs; one path per format. */
export function parseReportSpecs(values: string[] | undefined): ReportSpec[] {
  const specs: ReportSpec[] = [];
  for (const value of values ?? []) {
    const match = /^([a-z]+)=(.+)$/.exec(value.trim());
    const format = match?.[1] as ReportFormat | undefined;
    if (!match || !format || !REPORT_FORMATS.includes(format)) {
      throw new OnboardError('INVALID_INPUT', `Invalid --report "${value}": use <format>=<path> with format ${REPORT_FORMATS.join(' or ')} (e.g. --report junit=reports/junit.xml).`);
    }
    if (specs.some((s) => s.format === format)) throw new OnboardError('INVALID_INPUT', `--report ${format}= is given twice: give one path per format.`);
    specs.push({ format, path: path.resolve(match[2]!) });
  }
  return specs;
}

/** Before any log-in: the report folders exist, so a typo costs seconds, not a whole fleet's run. */
export async function prepareReportDirs(specs: ReportSpec[]): Promise<void> {
  for (const spec of specs) {
    try {
      await mkdir(path.dirname(spec.path), { recursive: true });
    } catch (error) {
      throw new OnboardError('INVALID_INPUT', `Cannot create the folder of the ${spec.format} report ${spec.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, {
        fix: `Give --report ${spec.format}=<path> a path in a folder you can write.`,
      });
    }
  }
}

export async function writeReports(specs: ReportSpec[], record: RunRecord): Promise<void> {
  for (const spec of specs) {
    const { junitXml } = await import('./report-junit.js');
    const xml = junitXml({ suiteName: record.title, results: record.results, skipped: record.skipped, startedAt: record.startedAt, elapsedMs: record.elapsedMs, hostname: os.hostname() });
    const { default: writeFileAtomic } = await import('write-file-atomic');
    try {
      // Atomic: a CI step that uploads the report never sees half a file, and a failed run leaves the old one whole.
      await writeFileAtomic(spec.path, xml, { encoding: 'utf8', mode: 0o644 });
    } catch (error) {
      throw new OnboardError('INVALID_INPUT', `Cannot write the ${spec.format} report ${spec.path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, {
        fix: `Give --report ${spec.format}=<path> a path in a folder you can write.`,
        cause: error,
      });
    }
  }
}

/** GitHub Actions only (GITHUB_ACTIONS=true): annotations on stderr (the runner reads workflow commands from
 *  both streams, and stdout stays one JSON document), and the job summary appended to $GITHUB_STEP_SUMMARY. */
export async function reportToGithub(record: RunRecord, io: Io): Promise<void> {
  if (io.env.GITHUB_ACTIONS !== 'true') return;
  const { errorCommands, stepSummary } = await import('./report-github.js');
  for (const line of errorCommands(record.results)) io.info(line);
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (!summaryFile) return;
  try {
    await appendFile(summaryFile, stepSummary(record), 'utf8');
  } catch (error) {
    // The summary is a convenience: the exit code and annotations still tell the result.
    io.info(`Warning: could not append to GITHUB_STEP_SUMMARY (${summaryFile}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`);
  }
}
