// Prints the plain closing line CI reads ("N passed, N failed") from vitest's JSON report.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('0 passed, 1 failed');
  console.error(`No test report at ${file}: the test run did not finish.`);
  process.exit(1);
}
const failedSuites = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0).length;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${report.numFailedTests + failedSuites} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(report.numFailedTests + failedSuites > 0 || report.numTotalTests === 0 ? 1 : 0);
