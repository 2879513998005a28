// No code is typed twice, even across processes: `add` then `test` seconds later must not send the same code
// (the IdP would refuse it as reused and count a failed attempt).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { removeDir, tempDir } from '../helpers/cli.js';
import { account, assertBuilt, codeSubmissions, describeRun, idpHost, runAccountTest } from './helpers.js';

let sandbox: SandboxHandle;
let configDir: string;

beforeAll(async () => {
  assertBuilt();
  sandbox = await startSandbox();
  configDir = tempDir('sspm-ledger-e2e-');
});

afterAll(async () => {
  await sandbox?.close();
  removeDir(configDir);
});

it('two runs in a row with the same 2FA secret: each code accepted at once, none refused as reused', async () => {
  const acc = account(sandbox, 'us-okta-classic');
  const env = { SSPM_ONBOARD_CONFIG_DIR: configDir };
  const first = await runAccountTest(sandbox, acc, { env });
  expect(first.code, describeRun(first)).toBe(0);
  const second = await runAccountTest(sandbox, acc, { env });
  expect(second.code, describeRun(second)).toBe(0);
  // Two runs, two code submissions: the second waited for a fresh window instead of reusing the first's.
  expect(codeSubmissions(sandbox.events, idpHost(acc))).toHaveLength(2);
});
