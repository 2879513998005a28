// End to end through the built CLI: a page no state recognises, with --debug-dir, leaves a redacted snapshot a
// user can send (page-snapshot.html and .json beside the screenshots), and no secret in any file of the folder.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { findLeak, readTree, removeDir, tempDir } from '../helpers/cli.js';
import { account, assertBuilt, describeRun, runAccountTest } from './helpers.js';

let sandbox: SandboxHandle;
const dirs: string[] = [];

describe('--debug-dir on an unrecognized page', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    assertBuilt();
    // After the sign-in PagerDuty shows "Review our updated terms": a page the tables do not know.
    sandbox = await startSandbox({ faults: ['interstitial'] });
  });

  afterAll(async () => {
    await sandbox?.close();
    for (const dir of dirs) removeDir(dir);
  });

  it('us-azure-code: exit 7; the snapshot shows the page without secrets, scripts or queries, and what each state missed', async () => {
    const acc = account(sandbox, 'us-azure-code');
    const dir = tempDir('sspm-e2e-debug-');
    dirs.push(dir);
    const run = await runAccountTest(sandbox, acc, { extraArgs: ['--debug-dir', dir] });
    expect(run.code, describeRun(run)).toBe(7);
    const own = path.join(dir, 'contoso');
    const html = readFileSync(path.join(own, 'page-snapshot.html'), 'utf8');
    const report = JSON.parse(readFileSync(path.join(own, 'page-snapshot.json'), 'utf8')) as {
      url: string;
      hostRole: string;
      states: Array<{ id: string; role: string; failed: Array<{ condition: string; selector: string; found: string }> }>;
    };
    expect(html).toContain('Review our updated terms');
    expect(html).toContain('id="accept-terms"');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/https?:\/\/[^"'\s<>]*\?/);
    expect(html).not.toMatch(/\svalue="[^"]/);
    expect(report.url).toBe('https://contoso.pagerduty.com/terms_of_service');
    expect(report.hostRole).toBe('pagerduty');
    const signedIn = report.states.find((s) => s.id === 'pagerduty.signed-in')!;
    expect(signedIn.failed).toContainEqual(expect.objectContaining({ condition: 'path', found: 'none' }));
    expect(report.states.filter((s) => s.role === 'entra').length).toBeGreaterThan(5);

    // No known secret in any file of the folder (screenshots and logs included), nor the user's email in the snapshot.
    const files = readTree(dir).map(({ file, text }) => ({ where: file, text }));
    expect(findLeak(files, [acc.password, acc.mfaSecret!])).toBeUndefined();
    expect(html + JSON.stringify(report)).not.toContain(acc.user);
  });

  it('a refusal the tables name (wrong password) writes no page snapshot', async () => {
    const acc = account(sandbox, 'us-azure-code');
    const dir = tempDir('sspm-e2e-debug-');
    dirs.push(dir);
    const run = await runAccountTest(sandbox, acc, { password: 'not-the-right-password-123', extraArgs: ['--debug-dir', dir] });
    expect(run.code, describeRun(run)).toBe(3);
    expect(existsSync(path.join(dir, 'contoso', 'steps.log'))).toBe(true);
    expect(existsSync(path.join(dir, 'contoso', 'page-snapshot.html'))).toBe(false);
  });
});
