// Issue 9, point 9: a run killed with SIGKILL cannot remove its temp profile; the next run does (the folder's
// name carries its owner's pid, and that process is gone). Folders of live runs or of other users stay.
import { chownSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { cleanEnv, removeDir, runCli } from '../helpers/cli.js';
import { account, assertBuilt, chromiumUnder, eventually, privateTmp, profileDirsIn, spawnCli, testArgs } from './helpers.js';

let slow: SandboxHandle;
let fast: SandboxHandle;
const tmp = privateTmp('sspm-leftover-');

beforeAll(async () => {
  assertBuilt();
  [slow, fast] = await Promise.all([startSandbox({ faults: [{ slowMs: 8_000 }] }), startSandbox()]);
});
afterAll(async () => {
  await Promise.all([slow?.close(), fast?.close()]);
  removeDir(tmp);
});

describe.skipIf(process.platform !== 'linux')('temp profiles left by a killed run (issue 9, point 9)', () => {
  it('the next run removes the profile of a run killed with SIGKILL, and only that', async () => {
    const acc = account(slow, 'us-credentials-legacy');
    const env = { SSPM_ONBOARD_CONFIG_DIR: path.join(tmp, 'config'), TMPDIR: tmp, SSPM_PAGERDUTY_PASSWORD: acc.password };
    const { child, done } = spawnCli(testArgs(acc, slow), env);
    expect(await eventually(async () => (await chromiumUnder(tmp)).length > 0, 30_000), 'the browser started').toBe(true);
    child.kill('SIGKILL');
    await done;
    // Whatever of the browser outlived the CLI is not the point here: end it, as a reboot or the OOM killer would.
    for (const pid of await chromiumUnder(tmp)) process.kill(pid, 'SIGKILL');
    expect(await eventually(async () => (await chromiumUnder(tmp)).length === 0, 10_000)).toBe(true);
    const left = await profileDirsIn(tmp);
    expect(left, 'the killed run left its profile').toHaveLength(1);
    expect(left[0]).toMatch(new RegExp(`^sspm-onboard-${child.pid}-`));

    // Not to be touched: a folder of a live process (this one), one of another user, and one not named like ours.
    const live = `sspm-onboard-${process.pid}-abcdef`;
    const foreign = 'sspm-onboard-999999-ghijkl';
    const other = 'sspm-onboard-notapid';
    for (const name of [live, foreign, other]) mkdirSync(path.join(tmp, name));
    chownSync(path.join(tmp, foreign), 65534, 65534);

    const next = await runCli(testArgs(account(fast, 'us-credentials-legacy'), fast), { env: cleanEnv(env), killAfterMs: 120_000 });
    expect(next.code, next.stderr).toBe(0);
    expect(readdirSync(tmp).filter((n) => n.startsWith('sspm-onboard-')).sort()).toEqual([foreign, live, other].sort());
  }, 180_000);
});
