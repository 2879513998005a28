// --report junit=<path> and the GitHub Actions channels through the built CLI, against the sandbox:
// stored instances (one with a wrong password), --all, --shard and a flags-only smoke check.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SampleAccount, type SandboxHandle } from '../../src/sandbox/index.js';
import { cleanEnv, findLeak, removeDir, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { account, assertBuilt, describeRun, runAccountTest } from '../e2e/helpers.js';
import { assertWellFormed, xpath } from '../helpers/xml.js';

const PASSPHRASE = 'reports-test-passphrase';
const WRONG_PASSWORD = 'wrong-Password-for-reports-42';

let sandbox: SandboxHandle;
let work: string;
let env: NodeJS.ProcessEnv;
let good: SampleAccount;
let other: SampleAccount;
const INSTANCES: Record<string, () => { acc: SampleAccount; password: string }> = {
  alpha: () => ({ acc: good, password: good.password }),
  mike: () => ({ acc: other, password: other.password }),
  bravo: () => ({ acc: good, password: WRONG_PASSWORD }),
};

const secrets = () => [good.password, other.password, WRONG_PASSWORD, PASSPHRASE];
const browserFlags = () => sandbox.browserArgs.map((arg) => `--browser-arg=${arg}`);

function noLeak(run: CliResult, files: string[]): void {
  const texts = [{ where: 'stdout', text: run.stdout }, { where: 'stderr', text: run.stderr }];
  for (const file of files) if (existsSync(file)) texts.push({ where: file, text: readFileSync(file, 'utf8') });
  expect(findLeak(texts, secrets())).toBeUndefined();
}

beforeAll(async () => {
  assertBuilt();
  sandbox = await startSandbox();
  good = account(sandbox, 'us-credentials-legacy');
  other = account(sandbox, 'eu-credentials-two-step');
  work = tempDir();
  env = cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: path.join(work, 'config'), SSPM_ONBOARD_PASSPHRASE: PASSPHRASE, TMPDIR: work });
  for (const [name, pick] of Object.entries(INSTANCES)) {
    const { acc, password } = pick();
    const added = await runCli(
      ['pagerduty', 'add', '--name', name, '--url', acc.url, '--login-method', 'credentials', '--user', acc.user, '--no-test', '--no-input', '--secret-store', 'file'],
      { env: { ...env, SSPM_PAGERDUTY_PASSWORD: password } },
    );
    expect(added.code, added.stderr).toBe(0);
  }
});

afterAll(async () => {
  await sandbox?.close();
  if (work) removeDir(work);
});

describe('test --report junit=<path> and GitHub Actions', () => {
  it('--all in GitHub Actions: JUnit with a testcase per instance, the summary table appended, one ::error per failure', async () => {
    const junit = path.join(work, 'reports', 'nested', 'junit.xml'); // folders are created
    const summary = path.join(work, 'summary.md');
    writeFileSync(summary, '## earlier step\n\n');
    const run = await runCli(['pagerduty', 'test', '--all', '--json', '--report', `junit=${junit}`, ...browserFlags()], {
      env: { ...env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    expect(run.code, describeRun(run)).toBe(3);
    expect(JSON.parse(run.stdout)).toHaveLength(3); // stdout stays one JSON document

    assertWellFormed(junit);
    expect(xpath(junit, 'count(/testsuites/testsuite)')).toBe('1');
    expect(xpath(junit, 'count(//testcase)')).toBe('3');
    expect(xpath(junit, 'string(//testsuite/@failures)')).toBe('1');
    expect(xpath(junit, 'string(//testcase[@name="bravo"]/failure/@type)')).toBe('LOGIN_REJECTED');
    expect(xpath(junit, 'string(//testcase[@name="bravo"]/failure/@message)')).toMatch(/Sign-in was rejected/);
    expect(xpath(junit, 'count(//testcase[@name="alpha"]/failure)')).toBe('0');
    expect(Number(xpath(junit, 'string(//testcase[@name="mike"]/@time)'))).toBeGreaterThan(0);
    expect(readdirSync(path.dirname(junit))).toEqual(['junit.xml']); // no temp file left by the atomic write

    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('## earlier step\n\n')).toBe(true); // appended, not replaced
    expect(md).toMatch(/^\| instance \| result \| Account Owner \| time \| details \|$/m);
    expect(md).toMatch(/^\| alpha \| ✅ passed \| verified \|/m);
    expect(md).toMatch(/^\| bravo \| ❌ LOGIN_REJECTED \| unverified \|.*Sign-in was rejected/m);
    expect(md).toContain('2 of 3 instances passed');

    const commands = run.stderr.split('\n').filter((l) => l.startsWith('::'));
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatch(/^::error title=bravo::LOGIN_REJECTED: Sign-in was rejected at PagerDuty/);
    noLeak(run, [junit, summary]);
  });

  it('--shard: instances of other shards are <skipped>; outside GitHub Actions no annotation and no summary', async () => {
    const junit = path.join(work, 'shard.xml');
    const summary = path.join(work, 'untouched.md');
    writeFileSync(junit, 'old contents, replaced as a whole');
    writeFileSync(summary, 'untouched\n');
    const run = await runCli(['pagerduty', 'test', '--all', '--shard', '1/2', '--json', '--report', `junit=${junit}`, ...browserFlags()], {
      env: { ...env, GITHUB_STEP_SUMMARY: summary },
    });
    const tested = (JSON.parse(run.stdout) as Array<{ name: string }>).map((r) => r.name);
    const skipped = Object.keys(INSTANCES).filter((n) => !tested.includes(n));
    expect(run.code, describeRun(run)).toBe(tested.includes('bravo') ? 3 : 0);
    assertWellFormed(junit);
    expect(xpath(junit, 'count(//testcase)')).toBe('3');
    expect(xpath(junit, 'string(//testsuite/@name)')).toBe('sspm-onboard pagerduty test (shard 1/2)');
    expect(xpath(junit, 'count(//testcase[skipped])')).toBe(String(skipped.length));
    for (const name of skipped) expect(xpath(junit, `string(//testcase[@name="${name}"]/skipped/@message)`)).toMatch(/another shard/);
    expect(run.stderr).not.toMatch(/^::/m);
    expect(readFileSync(summary, 'utf8')).toBe('untouched\n');
    noLeak(run, [junit]);
  });

  it('a flags-only smoke check writes one testcase; a bad --report is refused before any browser starts', async () => {
    const junit = path.join(work, 'single.xml');
    const run = await runAccountTest(sandbox, good, { extraArgs: ['--report', `junit=${junit}`] });
    expect(run.code, describeRun(run)).toBe(0);
    assertWellFormed(junit);
    expect(xpath(junit, 'count(//testcase)')).toBe('1');
    expect(xpath(junit, 'count(//failure)')).toBe('0');
    noLeak(run, [junit]);

    const bad = await runCli(['pagerduty', 'test', '--all', '--report', 'junit'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Invalid --report "junit".*junit=reports\/junit\.xml/);
  });
});
