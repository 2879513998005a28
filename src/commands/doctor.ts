// `sspm-onboard doctor`: checks what a log-in test and storing need, and prints the fix for each failure.
import { access, constants, mkdir, stat } from 'node:fs/promises';
import { OnboardError, type ErrorCode } from '../core/errors.js';
import { processIo } from '../cli/io.js';
import { isProcessAlive } from '../core/process-alive.js';
// Names from a keychain are not ours to trust: each is printed as one shell word.
import { shellWord } from '../core/shell.js';
import { BROWSER_ARGS_ENV, userBrowserArgs } from '../browser/launch-args.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
  code?: ErrorCode;
  /** Worth fixing but blocks nothing (ok stays true, the exit code 0): printed as WARN. */
  warning?: boolean;
}

export function checkNodeVersion(version: string): Check {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const ok = major > 20 || (major === 20 && minor >= 17);
  return ok
    ? { name: 'node', ok, detail: `Node.js ${version}` }
    : { name: 'node', ok, detail: `Node.js ${version} is too old`, fix: 'Install Node.js 20.17 or newer.', code: 'INTERNAL' };
}

async function checkConfigDir(env: NodeJS.ProcessEnv): Promise<Check> {
  const { configDir } = await import('../store/config-store.js');
  const dir = configDir(env);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await access(dir, constants.W_OK);
    const mode = (await stat(dir)).mode & 0o777;
    if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
      return { name: 'config', ok: false, detail: `${dir} is readable by others (mode ${mode.toString(8)})`, fix: `Run: chmod 700 ${dir}`, code: 'INTERNAL' };
    }
    return { name: 'config', ok: true, detail: `${dir} (writable, private)` };
  } catch (error) {
    return { name: 'config', ok: false, detail: `${dir} is not writable: ${(error as Error).message}`, fix: 'Set SSPM_ONBOARD_CONFIG_DIR to a writable folder.', code: 'INTERNAL' };
  }
}

/**
 * Secrets no config entry refers to (a crash or SIGKILL mid-save, an entry edited away), in the keychain (when it
 * works) and the encrypted file; the fix is the command that removes them. Dead probes' throw-away entries hold
 * nothing secret and are removed here.
 */
async function checkOrphans(env: NodeJS.ProcessEnv, keychainOk: boolean): Promise<Check> {
  const [{ readInstances, configDir }, { openSecretStore }, { findOrphans }, { secretFilePath }] = await Promise.all([
    import('../store/config-store.js'),
    import('../store/secret-store.js'),
    import('../store/orphans.js'),
    import('../store/file-store.js'),
  ]);
  let instances;
  try {
    instances = await readInstances(env);
  } catch {
    // An unreadable config is not the place to guess what is orphaned (the config check says what is wrong).
    return { name: 'orphans', ok: true, detail: 'not looked for: the config file could not be read' };
  }
  const kinds: Array<'keychain' | 'file'> = keychainOk ? ['keychain'] : [];
  try {
    await stat(secretFilePath(configDir(env)));
    kinds.push('file');
  } catch {
    // no encrypted file
  }
  if (kinds.length === 0) return { name: 'orphans', ok: true, detail: 'nothing to look in: no usable keychain and no encrypted file' };
  const found: string[] = [];
  const names = new Set<string>();
  let probesRemoved = 0;
  for (const kind of kinds) {
    try {
      const store = await openSecretStore(kind, { env });
      const orphans = findOrphans(await store.accounts(), kind, instances, isProcessAlive);
      for (const [name, secrets] of orphans.instances) {
        found.push(`${JSON.stringify(name)} (${secrets.join(', ')}) in ${store.location}`);
        names.add(name);
      }
      if (kind === 'keychain' && orphans.staleProbes.length > 0) {
        const { KeychainClient } = await import('../store/keychain.js');
        const client = new KeychainClient(env);
        try {
          for (const account of orphans.staleProbes) if (await client.delete(account)) probesRemoved += 1;
        } finally {
          client.close();
        }
      }
    } catch (error) {
      found.push(`(${kind}: could not list its entries: ${(error as Error).message})`);
    }
  }
  const probes = probesRemoved > 0 ? `; removed ${probesRemoved} throw-away entr${probesRemoved === 1 ? 'y' : 'ies'} of interrupted keychain checks` : '';
  if (names.size === 0 && found.length === 0) return { name: 'orphans', ok: true, detail: `no secrets without a config entry${probes}` };
  return {
    name: 'orphans',
    ok: true,
    warning: true,
    detail: `secrets without a config entry: ${found.join('; ')}${probes}`,
    fix: names.size > 0 ? `Run: ${[...names].map((n) => `sspm-onboard pagerduty remove ${shellWord(n)} --yes`).join(' && ')}` : 'Check the keychain, then run doctor again.',
  };
}

/** SSPM_ONBOARD_BROWSER_ARGS, when set: the flags every later command would pass, or why they would all stop. */
export function checkBrowserArgsEnv(env: NodeJS.ProcessEnv): Check | null {
  const value = env[BROWSER_ARGS_ENV];
  if (value === undefined || value.trim() === '') return null;
  try {
    const { fromEnv } = userBrowserArgs([], env);
    return { name: 'browser-args', ok: true, detail: `${BROWSER_ARGS_ENV}: ${fromEnv.length} Chromium flag${fromEnv.length === 1 ? '' : 's'}` };
  } catch (error) {
    const refused = error as OnboardError;
    return { name: 'browser-args', ok: false, detail: refused.message, fix: refused.fix, code: refused.code };
  }
}

export async function doctorCommand(flags: { json?: boolean; browser?: string }): Promise<void> {
  const io = processIo();
  const checks: Check[] = [checkNodeVersion(process.versions.node)];

  const { checkBrowser } = await import('../browser/session.js');
  const browser = await checkBrowser({ explicit: flags.browser, env: io.env });
  checks.push(
    browser.ok
      ? { name: 'browser', ok: true, detail: `${browser.path} (${browser.version}, from ${browser.source}, started in ${browser.launchMs} ms)` }
      : { name: 'browser', ok: false, detail: browser.error.message, fix: browser.error.fix, code: browser.error.code },
  );
  const browserArgs = checkBrowserArgsEnv(io.env);
  if (browserArgs) checks.push(browserArgs);

  const { checkKeychain } = await import('../store/secret-store.js');
  const keychain = await checkKeychain({ env: io.env });
  checks.push(
    keychain.ok
      ? { name: 'keychain', ok: true, detail: `${keychain.backend} (a throw-away entry was written, read and deleted)` }
      : { name: 'keychain', ok: false, detail: keychain.error.message, fix: keychain.error.fix, code: 'SECRET_STORE' },
  );

  checks.push(await checkConfigDir(io.env));
  checks.push(await checkOrphans(io.env, keychain.ok));

  const failed = checks.find((c) => !c.ok);
  if (!flags.json) for (const c of checks) io.out(`${c.warning ? 'WARN' : c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(9)} ${c.detail}${c.fix ? `\n          To fix: ${c.fix}` : ''}`);
  if (failed) {
    // The rule (README): all pass -> 0; else the exit code of the first failing check, in the order shown.
    // Printed once by the error handler: the line on stderr, and with --json the document with every check.
    throw new OnboardError(failed.code ?? 'INTERNAL', `doctor: ${checks.filter((c) => !c.ok).map((c) => c.name).join(', ')} failed.`, {
      fix: failed.fix,
      json: { checks },
    });
  }
  if (flags.json) io.out(JSON.stringify({ ok: true, checks }));
}
