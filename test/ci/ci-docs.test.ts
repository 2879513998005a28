// docs/ci.md's CI examples, tested: each YAML block parses (the `yaml` package, strict: duplicate keys and
// syntax errors fail), has the parts the docs promise, and the command lines of its test steps run against the
// sandbox with the CI's variables set: the GitHub Actions matrix shard by shard, its one-account job, and the
// GitLab job node by node. The commands run unchanged; only the browser is routed to the sandbox, through a
// Chromium wrapper named by SSPM_ONBOARD_BROWSER (the way a CI image would name its browser).
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { startSandbox, type SampleAccount, type SandboxHandle } from '../../src/sandbox/index.js';
import { CLI, ROOT, cleanEnv, findLeak, removeDir, runCli, tempDir } from '../helpers/cli.js';
import { account, assertBuilt } from '../e2e/helpers.js';
import { assertWellFormed, xpath } from '../helpers/xml.js';

const HEADLESS_SHELL = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell'].find((p) => existsSync(p))!;
const PASSPHRASE = 'ci-docs-fleet-passphrase';

type Yaml = Record<string, any>;

/** The ```yaml blocks of docs/ci.md, parsed strictly. */
function yamlBlocks(): Yaml[] {
  const text = readFileSync(path.join(ROOT, 'docs/ci.md'), 'utf8');
  return [...text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => {
    const doc = parseDocument(match[1]!, { uniqueKeys: true, prettyErrors: true, strict: true });
    expect(doc.errors.map(String)).toEqual([]);
    expect(doc.warnings.map(String)).toEqual([]);
    return doc.toJS() as Yaml;
  });
}

/** GitHub's ${{ expression }}: only the contexts given; an unknown one fails the test (docs and test stay in step). */
function githubExpand(text: string, context: Record<string, string>): string {
  return text.replace(/\$\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
    if (!(name in context)) throw new Error(`docs/ci.md uses \${{ ${name} }}, which this test does not provide`);
    return context[name]!;
  });
}

/** GitLab's $VARIABLE in `variables:` values. */
function gitlabExpand(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{?(\w+)\}?/g, (_, name: string) => env[name] ?? '');
}

interface ShellRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A CI step's script, as the runners run it: bash, exit on the first error, pipefail. */
function runScript(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<ShellRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let sandbox: SandboxHandle;
let work: string;
let fleetDir: string;
let toolEnv: NodeJS.ProcessEnv;
let fleetAccounts: Record<string, SampleAccount>;
let smoke: SampleAccount;
let github: Yaml;
let gitlab: Yaml;
const outputs: Array<{ where: string; text: string }> = [];

const secrets = () => [...new Set([...Object.values(fleetAccounts).map((a) => a.password), smoke.password, smoke.mfaSecret!, PASSPHRASE])];

beforeAll(async () => {
  assertBuilt();
  [github, gitlab] = yamlBlocks() as [Yaml, Yaml];
  sandbox = await startSandbox();
  work = tempDir('sspm-ci-docs-');
  // `sspm-onboard` on PATH (as after `npm install --global`), and the browser routed to the sandbox.
  const bin = path.join(work, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'sspm-onboard'), `#!/bin/sh\nexec '${process.execPath}' '${CLI}' "$@"\n`);
  const browser = path.join(bin, 'chromium-headless-shell');
  writeFileSync(browser, `#!/bin/sh\nexec '${HEADLESS_SHELL}' ${sandbox.browserArgs.map((a) => `'${a}'`).join(' ')} "$@"\n`);
  for (const file of ['sspm-onboard', 'chromium-headless-shell']) chmodSync(path.join(bin, file), 0o755);
  toolEnv = cleanEnv({ PATH: `${bin}:${process.env.PATH}`, SSPM_ONBOARD_BROWSER: browser, TMPDIR: work });

  // The committed fleet folder: three accounts on three PagerDuty hosts, secrets in the encrypted file store.
  fleetAccounts = {
    acme: account(sandbox, 'us-credentials-legacy'),
    'acme-eu': account(sandbox, 'eu-credentials-two-step'),
    initech: account(sandbox, 'us-credentials-app'),
  };
  smoke = account(sandbox, 'us-okta-classic');
  fleetDir = path.join(work, 'fleet');
  for (const [name, acc] of Object.entries(fleetAccounts)) {
    const added = await runCli(
      ['pagerduty', 'add', '--name', name, '--url', acc.url, '--login-method', 'credentials', '--user', acc.user, '--no-test', '--no-input', '--secret-store', 'file'],
      { env: { ...toolEnv, SSPM_ONBOARD_CONFIG_DIR: fleetDir, SSPM_ONBOARD_PASSPHRASE: PASSPHRASE, SSPM_PAGERDUTY_PASSWORD: acc.password } },
    );
    expect(added.code, added.stderr).toBe(0);
  }
});

afterAll(async () => {
  await sandbox?.close();
  if (work) removeDir(work);
});

/** A fresh checkout of the repository holding the fleet folder as `sspm/`. */
function checkout(name: string): string {
  const dir = path.join(work, name);
  cpSync(fleetDir, path.join(dir, 'sspm'), { recursive: true });
  return dir;
}

describe('docs/ci.md', () => {
  it('has a GitHub Actions workflow and a GitLab CI job, both valid YAML with the promised parts', () => {
    expect(Object.keys(github.jobs)).toEqual(['fleet', 'one-account']);
    expect(github.jobs.fleet.strategy.matrix.shard).toEqual([1, 2, 3, 4]);
    const steps = github.jobs.fleet.steps as Yaml[];
    expect(steps.some((s) => /sspm-onboard pagerduty test --all --shard \$\{\{ matrix\.shard \}\}\/4 .*--report junit=/.test(s.run ?? ''))).toBe(true);
    const upload = steps.find((s) => String(s.uses).startsWith('actions/upload-artifact'))!;
    expect(upload.if).toBe('always()');
    expect(upload.with.path).toMatch(/reports\//);
    // Secrets reach the tool through the environment only, never a command line.
    const runs = Object.values(github.jobs).flatMap((job: any) => (job.steps as Yaml[]).map((s) => String(s.run ?? '')));
    expect(runs.filter((r) => r.includes('secrets.'))).toEqual([]);
    expect(github.jobs.fleet.env.SSPM_ONBOARD_PASSPHRASE).toBe('${{ secrets.SSPM_ONBOARD_PASSPHRASE }}');

    const job = gitlab['pagerduty-login-check'];
    expect(job.parallel).toBe(4);
    expect(job.artifacts.reports.junit).toBe('reports/junit.xml');
    expect(job.artifacts.when).toBe('always');
    expect((job.script as string[]).join('\n')).toMatch(/--shard "\$CI_NODE_INDEX\/\$CI_NODE_TOTAL"/);
    expect(JSON.stringify(job)).not.toMatch(/PASSWORD|MFA_SECRET|PASSPHRASE/); // a masked CI/CD variable, not YAML
  });

  it('GitHub Actions: every shard of the matrix runs its test step; together they test each instance once', async () => {
    const job = github.jobs.fleet;
    const tested: string[] = [];
    for (const shard of job.strategy.matrix.shard as number[]) {
      const workspace = checkout(`github-${shard}`);
      const context = { 'matrix.shard': String(shard), 'github.workspace': workspace, 'secrets.SSPM_ONBOARD_PASSPHRASE': PASSPHRASE };
      const summary = path.join(workspace, 'summary.md');
      const jobEnv = Object.fromEntries(Object.entries(job.env as Record<string, string>).map(([k, v]) => [k, githubExpand(v, context)]));
      for (const step of (job.steps as Yaml[]).filter((s) => /sspm-onboard pagerduty/.test(s.run ?? ''))) {
        const run = await runScript(githubExpand(step.run, context), workspace, { ...toolEnv, ...jobEnv, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, CI: 'true' });
        outputs.push({ where: `github shard ${shard}`, text: run.stdout + run.stderr });
        expect(run.code, `shard ${shard}: ${run.stderr}`).toBe(0);
      }
      const results = JSON.parse(readFileSync(path.join(workspace, `results-${shard}.json`), 'utf8')) as Array<{ name: string; ok: boolean; owner: string }>;
      expect(results.every((r) => r.ok && r.owner === 'verified')).toBe(true);
      tested.push(...results.map((r) => r.name));
      const junit = path.join(workspace, `reports/junit-${shard}.xml`);
      assertWellFormed(junit);
      expect(xpath(junit, 'count(//testcase)')).toBe('3');
      expect(xpath(junit, 'count(//testcase[not(skipped)])')).toBe(String(results.length));
      outputs.push({ where: junit, text: readFileSync(junit, 'utf8') });
      if (results.length > 0) {
        const md = readFileSync(summary, 'utf8');
        expect(md).toMatch(/^\| instance \| result \|/m);
        outputs.push({ where: summary, text: md });
      }
    }
    expect(tested.sort()).toEqual(Object.keys(fleetAccounts).sort());
  }, 400_000);

  it('GitHub Actions: the one-account job logs in with the secrets and variables it names', async () => {
    const job = github.jobs['one-account'];
    const step = (job.steps as Yaml[]).find((s) => /sspm-onboard pagerduty/.test(s.run ?? ''))!;
    const workspace = path.join(work, 'github-one');
    mkdirSync(workspace);
    const context = {
      'vars.PAGERDUTY_URL': smoke.url,
      'vars.PAGERDUTY_USER': smoke.user,
      'vars.PAGERDUTY_OKTA_ORG': smoke.oktaSubdomain!,
      'secrets.PAGERDUTY_PASSWORD': smoke.password,
      'secrets.PAGERDUTY_MFA_SECRET': smoke.mfaSecret!,
    };
    const stepEnv = Object.fromEntries(Object.entries(step.env as Record<string, string>).map(([k, v]) => [k, githubExpand(v, context)]));
    const run = await runScript(githubExpand(step.run, context), workspace, {
      ...toolEnv, ...stepEnv, SSPM_ONBOARD_CONFIG_DIR: path.join(workspace, 'config'), CI: 'true',
    });
    outputs.push({ where: 'github one-account', text: run.stdout + run.stderr });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, owner: 'verified', loginMethod: 'okta' });
    const junit = path.join(workspace, 'reports/junit-one-account.xml');
    assertWellFormed(junit);
    expect(xpath(junit, 'count(//testcase)')).toBe('1');
    expect(xpath(junit, 'count(//failure)')).toBe('0');
    outputs.push({ where: junit, text: readFileSync(junit, 'utf8') });
  }, 200_000);

  it('GitLab CI: each parallel node runs the script; the JUnit artifact is where the job says', async () => {
    const job = gitlab['pagerduty-login-check'];
    const tested: string[] = [];
    for (let node = 1; node <= job.parallel; node += 1) {
      const workspace = checkout(`gitlab-${node}`);
      const predefined = { CI_PROJECT_DIR: workspace, CI_NODE_INDEX: String(node), CI_NODE_TOTAL: String(job.parallel), GITLAB_CI: 'true', CI: 'true' };
      const variables = Object.fromEntries(Object.entries(job.variables as Record<string, string>).map(([k, v]) => [k, gitlabExpand(v, predefined)]));
      for (const line of job.script as string[]) {
        const run = await runScript(line, workspace, { ...toolEnv, ...predefined, ...variables, SSPM_ONBOARD_PASSPHRASE: PASSPHRASE });
        outputs.push({ where: `gitlab node ${node}`, text: run.stdout + run.stderr });
        expect(run.code, `node ${node}: ${run.stderr}`).toBe(0);
        expect(run.stderr).not.toMatch(/^::/m); // GitHub's annotations only inside GitHub Actions
      }
      const junit = path.join(workspace, job.artifacts.reports.junit);
      assertWellFormed(junit);
      outputs.push({ where: junit, text: readFileSync(junit, 'utf8') });
      const results = JSON.parse(readFileSync(path.join(workspace, job.artifacts.paths[0]), 'utf8')) as Array<{ name: string; ok: boolean }>;
      expect(results.every((r) => r.ok)).toBe(true);
      tested.push(...results.map((r) => r.name));
    }
    expect(tested.sort()).toEqual(Object.keys(fleetAccounts).sort());
  }, 400_000);

  it('no secret in any output or report of these runs', () => {
    expect(outputs.length).toBeGreaterThan(0);
    expect(findLeak(outputs, secrets())).toBeUndefined();
  });
});
