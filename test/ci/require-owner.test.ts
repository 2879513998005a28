// --require-owner / SSPM_REQUIRE_OWNER=1 through the built CLI: a sandbox whose app never tells the signed-in
// user's role ("role-hidden") gives an unverified owner, which passes with a warning unless the gate is on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { account, assertBuilt, describeRun, runAccountTest, type TestJson } from '../e2e/helpers.js';
import { findLeak } from '../helpers/cli.js';

let hidden: SandboxHandle;
let normal: SandboxHandle;

beforeAll(async () => {
  assertBuilt();
  [hidden, normal] = await Promise.all([startSandbox({ faults: ['role-hidden'] }), startSandbox()]);
});

afterAll(async () => {
  await Promise.all([hidden?.close(), normal?.close()]);
});

describe('the Account Owner gate', () => {
  it('without the gate an unverified owner passes, with a warning in JSON and on stderr', async () => {
    const acc = account(hidden, 'us-credentials-legacy');
    const json = await runAccountTest(hidden, acc);
    expect(json.code, describeRun(json)).toBe(0);
    const result = json.json as TestJson & { warning?: string };
    expect(result.ok).toBe(true);
    expect(result.owner).toBe('unverified');
    expect(result.warning).toMatch(/could not be confirmed.*--require-owner/);

    const human = await runAccountTest(hidden, acc, { json: false });
    expect(human.code, describeRun(human)).toBe(0);
    expect(human.stdout).toMatch(/passed in .*Account Owner unverified/);
    expect(human.stderr).toMatch(/^Warning: .*could not be confirmed/m);
    expect(findLeak([{ where: 'stdout', text: json.stdout + human.stdout }, { where: 'stderr', text: json.stderr + human.stderr }], [acc.password])).toBeUndefined();
  });

  it.each([
    ['--require-owner', ['--require-owner'], {}],
    ['SSPM_REQUIRE_OWNER=1', [], { SSPM_REQUIRE_OWNER: '1' }],
  ])('%s: an unverified owner fails with exit 5, saying the role could not be confirmed', async (_label, extraArgs, env) => {
    const acc = account(hidden, 'us-credentials-legacy');
    const run = await runAccountTest(hidden, acc, { extraArgs, env });
    expect(run.code, describeRun(run)).toBe(5);
    const result = run.json as TestJson;
    expect(result.ok).toBe(false);
    expect(result.owner).toBe('unverified');
    expect(result.error?.code).toBe('NOT_OWNER');
    expect(result.error?.message).toMatch(/role could not be confirmed/);
    expect(run.leftoverPids).toEqual([]);
    expect(findLeak([{ where: 'stdout', text: run.stdout }, { where: 'stderr', text: run.stderr }], [acc.password])).toBeUndefined();
  });

  it('the gate lets a confirmed Account Owner pass, and still fails a user who is not the owner', async () => {
    const owner = await runAccountTest(normal, account(normal, 'us-credentials-legacy'), { extraArgs: ['--require-owner'] });
    expect(owner.code, describeRun(owner)).toBe(0);
    expect((owner.json as TestJson).owner).toBe('verified');
    const admin = await runAccountTest(normal, account(normal, 'us-credentials-admin'), { extraArgs: ['--require-owner'] });
    expect(admin.code, describeRun(admin)).toBe(5);
    expect((admin.json as TestJson).owner).toBe('not-owner');
  });

  it('a bad SSPM_REQUIRE_OWNER value is an input error naming the variable', async () => {
    const run = await runAccountTest(normal, account(normal, 'us-credentials-legacy'), { env: { SSPM_REQUIRE_OWNER: 'sure' } });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stderr).toMatch(/SSPM_REQUIRE_OWNER/);
  });
});
