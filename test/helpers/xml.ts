// A real XML parser for the report tests: xmllint (Debian libxml2-utils, installed by scripts/test.sh).
import { execFileSync, spawnSync } from 'node:child_process';

/** Parses the file; throws with xmllint's complaint when it is not well-formed. */
export function assertWellFormed(file: string): void {
  const run = spawnSync('xmllint', ['--noout', file], { encoding: 'utf8' });
  if (run.error) throw new Error(`xmllint is not installed (apt-get install libxml2-utils): ${run.error.message}`);
  if (run.status !== 0) throw new Error(`not well-formed XML: ${run.stderr}`);
}

/** The string value of an XPath expression over the file (count(), string(), ...). */
export function xpath(file: string, expression: string): string {
  return execFileSync('xmllint', ['--xpath', expression, file], { encoding: 'utf8' }).trim();
}
