// Pieces the add, update and test commands share: the browser run options and the optional in-process sandbox.
import { OnboardError } from '../core/errors.js';
import { userBrowserArgs } from '../browser/launch-args.js';
import type { Io } from '../cli/io.js';

export interface BrowserFlags {
  browser?: string;
  browserArg?: string[];
  timeout?: string;
  debugDir?: string;
  sandbox?: boolean;
}

export interface BrowserRun {
  executable?: string;
  browserArgs: string[];
  timeoutMs: number;
  debugDir?: string;
  close(): Promise<void>;
}

export function parseTimeoutSeconds(input: string | undefined): number {
  const text = (input ?? '60').trim();
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(seconds) || seconds < 5 || seconds > 600) {
    throw new OnboardError('INVALID_INPUT', `Invalid --timeout "${input}": give seconds between 5 and 600 (e.g. --timeout 60).`);
  }
  return Math.round(seconds * 1000);
}

/** Starts the sandbox in-process when asked; the browser is routed to it by flags only. */
export async function prepareBrowserRun(flags: BrowserFlags, io: Io): Promise<BrowserRun> {
  const timeoutMs = parseTimeoutSeconds(flags.timeout);
  const { fromEnv, fromFlags } = userBrowserArgs(flags.browserArg, io.env);
  const browserArgs = [...fromEnv, ...fromFlags];
  // Before any sign-in: a --debug-dir that others could redirect or read is a usage error.
  const debugDir = flags.debugDir === undefined ? undefined : await (await import('../connect/debug-files.js')).checkDebugRoot(flags.debugDir);
  if (!flags.sandbox) return { executable: flags.browser, browserArgs, timeoutMs, debugDir, close: async () => {} };
  const { startSandbox, sandboxFaultsFromEnv } = await import('../sandbox/index.js');
  const sandbox = await startSandbox({ faults: sandboxFaultsFromEnv(io.env) });
  io.info(`Sandbox: emulated PagerDuty, Okta and Entra sign-in on 127.0.0.1:${sandbox.port}; the browser is routed there.`);
  return {
    executable: flags.browser,
    // --sandbox routes this run to its own sandbox even when SSPM_ONBOARD_BROWSER_ARGS still holds another one's
    // routing (Chromium takes the last of a repeated switch); a --browser-arg still comes last.
    browserArgs: [...fromEnv, ...sandbox.browserArgs, ...fromFlags],
    timeoutMs,
    debugDir,
    close: () => sandbox.close(),
  };
}
