// Issue 9, point 3: no process the CLI starts (Chromium and its helpers, the keychain helper) holds a secret in
// its environment. While a real `add` runs (keychain probe, log-in with Chromium, keychain writes), the test
// reads /proc/<pid>/environ of every descendant of the CLI process, over and over, until the CLI exits.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/index.js';
import { removeDir, tempDir } from '../helpers/cli.js';
import { account, assertBuilt, describeRun, spawnCli } from './helpers.js';

const inKeyring = process.env.SSPM_ONBOARD_TEST_KEYRING === '1' && !!process.env.DBUS_SESSION_BUS_ADDRESS;
const PASSPHRASE = 'env-test-Passphrase-7731';
const PROXY_PASSWORD = 'proxy-Pw-in-env-9912';

let sandbox: SandboxHandle;
const root = tempDir('sspm-child-env-');

beforeAll(async () => {
  assertBuilt();
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
  removeDir(root);
});

function parentOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** Descendants of `root` now, with their command name and environment. Synchronous, so that one scan is quick
 *  enough to catch the short-lived keychain helper; the loop yields between scans for the sandbox. */
function descendants(root: number): Array<{ pid: number; comm: string; environ: string }> {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parentOf(name);
    if (ppid !== undefined) parents.set(Number(name), ppid);
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parents.get(pid), hops = 0; p !== undefined && hops < 64; p = parents.get(p), hops++) if (p === root) return true;
    return false;
  };
  const found: Array<{ pid: number; comm: string; environ: string }> = [];
  let rootCmdline: string;
  try {
    rootCmdline = readFileSync(`/proc/${root}/cmdline`, 'latin1');
  } catch {
    return found;
  }
  for (const pid of parents.keys()) {
    if (!isDescendant(pid)) continue;
    try {
      // Between fork and exec a child is still a copy of the CLI (its environment included): not a child
      // process with an environment of its own yet.
      if (readFileSync(`/proc/${pid}/cmdline`, 'latin1') === rootCmdline) continue;
      found.push({ pid, comm: readFileSync(`/proc/${pid}/comm`, 'utf8').trim(), environ: readFileSync(`/proc/${pid}/environ`, 'latin1') });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe.skipIf(process.platform !== 'linux' || !inKeyring)('child processes get no secret (issue 9, point 3)', () => {
  it('no descendant of `add` (Chromium and its helpers, the keychain helper) has a secret in /proc/<pid>/environ', async () => {
    const acc = account(sandbox, 'us-okta-classic');
    const secrets = [acc.password, acc.mfaSecret!, PASSPHRASE, PROXY_PASSWORD];
    const { child, done } = spawnCli(
      [
        'pagerduty', 'add', '--name', `child-env-${process.pid}`, '--url', acc.url, '--login-method', 'okta', '--okta-subdomain', acc.oktaSubdomain!,
        '--user', acc.user, '--no-input', '--json', ...sandbox.browserArgs.map((a) => `--browser-arg=${a}`),
      ],
      {
        SSPM_ONBOARD_CONFIG_DIR: path.join(root, 'config'),
        TMPDIR: root,
        SSPM_PAGERDUTY_PASSWORD: acc.password,
        SSPM_PAGERDUTY_MFA_SECRET: acc.mfaSecret!,
        // Not used by the keychain store, but present in many CI environments: it must not travel either.
        SSPM_ONBOARD_PASSPHRASE: PASSPHRASE,
        // A proxy URL with a password, bypassed for every host the sandbox serves (the browser still gets --proxy-server).
        HTTPS_PROXY: `http://user:${PROXY_PASSWORD}@127.0.0.1:9`,
        NO_PROXY: '*.pagerduty.com,*.okta.com,login.microsoftonline.com',
      },
    );
    let finished = false;
    void done.then(() => (finished = true));
    const seen = new Map<number, string>();
    const leaks: string[] = [];
    while (!finished) {
      for (const proc of descendants(child.pid!)) {
        seen.set(proc.pid, proc.comm);
        for (const secret of secrets) if (proc.environ.includes(secret)) leaks.push(`${proc.comm} has ${secret.slice(0, 3)}…`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const run = await done;
    expect(run.code, describeRun(run)).toBe(0);
    expect([...new Set(leaks)]).toEqual([]);
    const names = [...new Set(seen.values())];
    // The test saw the processes it is about: the keychain helper (node) and Chromium.
    expect(names.some((n) => /chrom/i.test(n)), names.join(', ')).toBe(true);
    expect(names.some((n) => /node/i.test(n)), names.join(', ')).toBe(true);
  });
});
