// `pagerduty test`: log in as the Account Owner. Stored instances (names or --all), or flags/env only
// (the CI smoke check: nothing stored, nothing read from the keychain).
import { createHash } from 'node:crypto';
import { OnboardError, exitCodeFor } from '../core/errors.js';
import { draftFromSources, finalize, type InstanceFlags } from '../cli/inputs.js';
import { readSecretInputs } from '../cli/secret-inputs.js';
import { ioCanPrompt, processIo, type Io } from '../cli/io.js';
import { prepareBrowserRun, type BrowserFlags } from './shared.js';
import { resultLine, runTestsWithOutput } from './test-output.js';
import { parseReportSpecs, prepareReportDirs, reportToGithub, writeReports, type RunRecord } from './test-reports.js';
import { lastTestOf } from './add.js';
import { describeQrSecret } from '../core/qr-secret.js';
import { unknownInstanceError, withSecrets } from './stored.js';
import type { TestResult, TestTarget } from '../connect/types.js';
import type { InstanceConfig } from '../core/types.js';

export interface TestFlags extends InstanceFlags, BrowserFlags {
  all?: boolean;
  json?: boolean;
  input?: boolean;
  concurrency?: string;
  shard?: string;
  requireOwner?: boolean;
  report?: string[];
  hostConcurrency?: string;
}

const INSTANCE_FLAGS: Array<keyof InstanceFlags> = ['url', 'subdomain', 'region', 'loginMethod', 'user', 'passwordStdin', 'oktaSubdomain', 'mfaSecretStdin', 'mfaSecretFile', 'mfaSecretQr', 'name'];

export function parseShard(input: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(input.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new OnboardError('INVALID_INPUT', `Invalid --shard "${input}": use i/n with 1 <= i <= n (e.g. --shard 2/4).`);
  }
  return { index, count };
}

/** Stable: an instance stays in its shard when others are added or removed. */
export function inShard(name: string, shard: { index: number; count: number }): boolean {
  const bucket = createHash('sha256').update(name).digest().readUInt32BE(0) % shard.count;
  return bucket === shard.index - 1;
}

export function parseConcurrency(input: string | undefined): number | undefined {
  if (input === undefined) return undefined;
  const value = Number(input);
  if (!/^\d+$/.test(input.trim()) || value < 1 || value > 32) {
    throw new OnboardError('INVALID_INPUT', `Invalid --concurrency "${input}": give a whole number from 1 to 32 (e.g. --concurrency 4).`);
  }
  return value;
}

async function storedTargets(names: string[], flags: TestFlags, io: Io): Promise<{ targets: TestTarget[]; configs: InstanceConfig[]; outsideShard: string[] }> {
  const { readInstances } = await import('../store/config-store.js');
  const all = await readInstances(io.env);
  let configs: InstanceConfig[];
  if (flags.all) {
    configs = all;
    if (configs.length === 0) throw new OnboardError('INVALID_INPUT', 'No instances are onboarded yet.', { fix: 'Add one: sspm-onboard pagerduty add' });
  } else {
    configs = names.map((name) => {
      const found = all.find((c) => c.name === name);
      if (!found) throw unknownInstanceError(name);
      return found;
    });
  }
  let outsideShard: string[] = [];
  if (flags.shard) {
    const shard = parseShard(flags.shard);
    outsideShard = configs.filter((c) => !inShard(c.name, shard)).map((c) => c.name);
    configs = configs.filter((c) => inShard(c.name, shard));
  }
  const targets: TestTarget[] = [];
  for (const config of configs) targets.push({ name: config.name, instance: await withSecrets(config, io), stored: true });
  return { targets, configs, outsideShard };
}

async function flagTarget(flags: TestFlags, io: Io): Promise<TestTarget> {
  const secrets = await readSecretInputs(flags, io.env, io.stdin);
  if (secrets.mfaQr) io.info(`2FA secret from the QR code: ${describeQrSecret(secrets.mfaQr)}.`);
  let draft = draftFromSources(flags, io.env, secrets);
  if (ioCanPrompt(io, flags.input === false)) {
    const { inquirerPrompter } = await import('../wizard/prompter.js');
    const { runWizard } = await import('../wizard/wizard.js');
    draft = await runWizard(draft, { prompter: await inquirerPrompter(flags.json ? io.stderr : io.stdout), askName: false });
  }
  const instance = finalize(draft, 'test');
  return { name: instance.name, instance };
}

/** Log-ins at once per PagerDuty host and per IdP org: the flag, else SSPM_HOST_CONCURRENCY, else the default (2). */
export function parseHostConcurrency(flag: string | undefined, env: NodeJS.ProcessEnv): number | undefined {
  const [input, source] = flag !== undefined ? [flag, '--host-concurrency'] : [env.SSPM_HOST_CONCURRENCY, 'SSPM_HOST_CONCURRENCY'];
  if (input === undefined || (source !== '--host-concurrency' && input.trim() === '')) return undefined;
  const value = Number(input);
  if (!/^\d+$/.test(input.trim()) || value < 1 || value > 8) {
    throw new OnboardError('INVALID_INPUT', `Invalid ${source} "${input}": give a whole number from 1 to 8 (log-ins at once per PagerDuty host and per IdP org; default 2).`);
  }
  return value;
}

/** A yes/no environment variable: 1/true/yes or 0/false/no (empty or unset: no). */
export function parseEnvSwitch(name: string, value: string | undefined): boolean {
  const text = (value ?? '').trim().toLowerCase();
  if (text === '' || text === '0' || text === 'false' || text === 'no') return false;
  if (text === '1' || text === 'true' || text === 'yes') return true;
  throw new OnboardError('INVALID_INPUT', `Invalid ${name} "${value}": use 1 (on) or 0 (off).`);
}

export async function testCommand(names: string[], flags: TestFlags): Promise<void> {
  const io = processIo();
  const concurrency = parseConcurrency(flags.concurrency);
  const perHost = parseHostConcurrency(flags.hostConcurrency, io.env);
  const requireOwner = Boolean(flags.requireOwner) || parseEnvSwitch('SSPM_REQUIRE_OWNER', io.env.SSPM_REQUIRE_OWNER);
  const fromStore = flags.all || names.length > 0;
  if (fromStore && INSTANCE_FLAGS.some((flag) => flags[flag] !== undefined && flags[flag] !== false)) {
    throw new OnboardError('INVALID_INPUT', 'Instance flags (--url, --user, ...) describe an instance to test without storing it; they cannot be combined with names or --all.', {
      fix: 'Test stored instances by name, or give only flags for a one-off smoke check.',
    });
  }
  if (flags.shard && !fromStore) throw new OnboardError('INVALID_INPUT', '--shard selects among stored instances; use it with --all or names.');
  const reports = parseReportSpecs(flags.report);
  await prepareReportDirs(reports);
  const { targets, configs, outsideShard } = fromStore ? await storedTargets(names, flags, io) : { targets: [await flagTarget(flags, io)], configs: [], outsideShard: [] };
  const startedAt = new Date();

  const run = await prepareBrowserRun(flags, io);
  let results: TestResult[];
  try {
    results = targets.length === 0 ? [] : await runTestsWithOutput(targets, run, io, { json: Boolean(flags.json), concurrency, perHost, requireOwner });
  } finally {
    await run.close();
  }

  if (configs.length > 0) {
    const { updateConfig } = await import('../store/config-store.js');
    await updateConfig((instances) => {
      for (const result of results) {
        const config = instances.get(result.name);
        if (config) instances.set(result.name, { ...config, lastTest: lastTestOf(result) });
      }
    }, io.env);
  }

  const record: RunRecord = {
    title: `sspm-onboard pagerduty test${flags.shard ? ` (shard ${flags.shard.trim()})` : ''}`,
    results,
    skipped: outsideShard.map((name) => ({ name, reason: `in another shard (this run is shard ${flags.shard!.trim()})` })),
    startedAt,
    elapsedMs: Date.now() - startedAt.getTime(),
  };
  await writeReports(reports, record);
  await reportToGithub(record, io);

  const many = Boolean(flags.all) || names.length > 1;
  if (flags.json) io.out(JSON.stringify(many ? results : results[0]));
  else {
    for (const result of results) {
      (result.ok ? io.out : io.info)(resultLine(result));
      if (result.warning) io.info(`Warning: ${result.name}: ${result.warning}`);
    }
    if (many) io.out(`${results.filter((r) => r.ok).length} of ${results.length} instances passed.`);
  }
  const failed = results.find((r) => !r.ok);
  if (failed) process.exitCode = exitCodeFor(failed.error!.code);
}
