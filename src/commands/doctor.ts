// `sspm-onboard doctor`: checks what a log-in test and storing need, and prints the fix for each failure.
import { access, constants, mkdir, stat } from 'node:fs/promises';
import { OnboardError, type ErrorCode } from '../core/errors.js';
import { processIo } from '../cli/io.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
  code?: ErrorCode;
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

  const { checkKeychain } = await import('../store/secret-store.js');
  const keychain = await checkKeychain({ env: io.env });
  checks.push(
    keychain.ok
      ? { name: 'keychain', ok: true, detail: `${keychain.backend} (a throw-away entry was written, read and deleted)` }
      : { name: 'keychain', ok: false, detail: keychain.error.message, fix: keychain.error.fix, code: 'SECRET_STORE' },
  );

  checks.push(await checkConfigDir(io.env));

  const failed = checks.find((c) => !c.ok);
  if (!flags.json) for (const c of checks) io.out(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(9)} ${c.detail}${c.fix ? `\n          To fix: ${c.fix}` : ''}`);
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
