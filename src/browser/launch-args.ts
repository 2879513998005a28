// The Chromium command line, decided without I/O. Puppeteer adds its own defaults (automation, remote
// debugging, headless mode, --disable-features merging); these are the ones this tool cares about.
import { OnboardError } from '../core/errors.js';

export interface ProxySettings {
  /** scheme://host:port, never with credentials (argv is readable by every local user via /proc). */
  server: string;
  /** Chromium's semicolon-separated --proxy-bypass-list, from NO_PROXY. */
  bypassList?: string;
  /** Credentials found in the proxy URL; answer the proxy's challenge with page.authenticate(). */
  username?: string;
  password?: string;
}

type Env = Record<string, string | undefined>;

function firstSet(env: Env, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** NO_PROXY (comma or space separated, curl style) to Chromium's bypass rules. */
export function noProxyToBypassList(noProxy: string): string | undefined {
  const rules: string[] = [];
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim();
    if (!entry) continue;
    if (entry.startsWith('*.') || entry.includes('/') || /^[\d.:[\]]+$/.test(entry) || entry.includes(':')) {
      // Wildcards, CIDR ranges, IP addresses and host:port pass through unchanged.
      rules.push(entry);
    } else if (entry.startsWith('.')) {
      // curl: ".example.com" matches example.com's subdomains (and, in most tools, example.com itself).
      rules.push(entry.slice(1), `*${entry}`);
    } else {
      // curl: "example.com" matches example.com and its subdomains; Chromium's rule only the host.
      rules.push(entry, `*.${entry}`);
    }
  }
  const unique = [...new Set(rules)];
  return unique.length > 0 ? unique.join(';') : undefined;
}

/**
 * The proxy from the environment: HTTPS_PROXY, else https_proxy (PagerDuty, Okta and Microsoft are all
 * HTTPS). NO_PROXY=* means no proxy at all. Returns null when there is none.
 */
export function proxyFromEnv(env: Env): ProxySettings | null {
  const raw = firstSet(env, 'HTTPS_PROXY', 'https_proxy');
  if (!raw) return null;
  const noProxy = firstSet(env, 'NO_PROXY', 'no_proxy');
  if (noProxy?.split(/[\s,]+/).includes('*')) return null;

  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    // Not a URL we can take apart: hand it to Chromium as given (it has its own parser).
    return { server: raw, ...(noProxy ? { bypassList: noProxyToBypassList(noProxy) } : {}) };
  }
  const settings: ProxySettings = { server: `${url.protocol}//${url.host}` };
  if (url.username) settings.username = decodeURIComponent(url.username);
  if (url.password) settings.password = decodeURIComponent(url.password);
  const bypass = noProxy ? noProxyToBypassList(noProxy) : undefined;
  if (bypass) settings.bypassList = bypass;
  return settings;
}

export interface ChromiumArgsOptions {
  isRoot: boolean;
  proxy?: ProxySettings | null;
  /** The user's repeatable --browser-arg values, appended last. */
  extraArgs?: readonly string[];
  userDataDir: string;
}

export const BASE_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-features=Translate,OptimizationHints,MediaRouter',
  '--metrics-recording-only',
  '--password-store=basic',
  '--use-mock-keychain',
] as const;

/**
 * Our switches, then the user's. Exact duplicates are dropped. Nothing of ours is removed: when the user
 * passes a switch we also set (say --proxy-server=...), both are on the command line and Chromium uses
 * the last one, the user's. The exception is --disable-features / --enable-features, which Puppeteer
 * merges into one list. See overriddenSwitches() to tell the user which of ours they replaced.
 */
export function chromiumArgs(options: ChromiumArgsOptions): string[] {
  const args: string[] = [`--user-data-dir=${options.userDataDir}`];
  if (options.isRoot) args.push('--no-sandbox');
  args.push(...BASE_ARGS);
  if (options.proxy) {
    args.push(`--proxy-server=${options.proxy.server}`);
    if (options.proxy.bypassList) args.push(`--proxy-bypass-list=${options.proxy.bypassList}`);
  }
  const seen = new Set(args);
  for (const arg of options.extraArgs ?? []) {
    if (seen.has(arg)) continue;
    seen.add(arg);
    args.push(arg);
  }
  return args;
}

function switchName(arg: string): string | undefined {
  if (!arg.startsWith('--')) return undefined;
  const eq = arg.indexOf('=');
  return eq === -1 ? arg : arg.slice(0, eq);
}

const MERGED_SWITCHES = new Set(['--disable-features', '--enable-features']);

/** Switches of ours that a user's extra arg overrides with a different value (for a debug/warning line). */
export function overriddenSwitches(ours: readonly string[], extraArgs: readonly string[]): string[] {
  const ourValues = new Map<string, string>();
  for (const arg of ours) {
    const name = switchName(arg);
    if (name) ourValues.set(name, arg);
  }
  const out = new Set<string>();
  for (const arg of extraArgs) {
    const name = switchName(arg);
    if (!name || MERGED_SWITCHES.has(name)) continue;
    const mine = ourValues.get(name);
    if (mine !== undefined && mine !== arg) out.add(name);
  }
  return [...out];
}

// Switches that would let another local process reach the signed-in browser: a DevTools port or origin
// allowance (any local user could drive the session through it), or a profile folder of the user's choosing
// (its cookies would outlive the run; ours is a fresh temp folder deleted afterwards).
const REFUSED_SWITCHES: Readonly<Record<string, string>> = {
  'remote-debugging-port': 'it opens a DevTools port that any local process could use to drive the signed-in browser (the tool talks to it over a private pipe)',
  'remote-debugging-address': 'it exposes the DevTools port to other processes or hosts, which could drive the signed-in browser',
  'remote-allow-origins': 'it lets web pages and local processes connect to DevTools and drive the signed-in browser',
  'user-data-dir': 'each run uses a fresh temporary profile that is deleted afterwards; a profile folder of your own would keep the session cookies of the Account Owner',
};

/** Why a --browser-arg value is refused, or null when it may be passed. Chromium takes "-switch" as "--switch". */
export function refusedBrowserArg(arg: string): string | null {
  const match = /^--?([a-z0-9-]+)(?:=|$)/i.exec(arg.trim());
  if (!match) return null;
  return REFUSED_SWITCHES[match[1]!.toLowerCase()] ?? null;
}

/** Refuses (exit 2) the first browser switch that would open the browser to other processes; `source` names
 *  where it came from (the flag, or the environment variable) so the message points at what to change. */
export function checkBrowserArgs(args: readonly string[], source = '--browser-arg'): void {
  for (const arg of args) {
    const why = refusedBrowserArg(arg);
    if (why) {
      const shown = JSON.stringify(arg.length > 80 ? `${arg.slice(0, 79)}…` : arg);
      const fix = source === '--browser-arg' ? 'Drop it; to see what the browser did, use --debug-dir <dir>.' : `Drop it from ${source}; to see what the browser did, use --debug-dir <dir>.`;
      throw new OnboardError('INVALID_INPUT', `${source} ${shown} is refused: ${why}.`, { fix });
    }
  }
}

/** The environment twin of --browser-arg. */
export const BROWSER_ARGS_ENV = 'SSPM_ONBOARD_BROWSER_ARGS';

const BROWSER_ARGS_ENV_FIX = `Give one Chromium flag per line, or a JSON array of strings: ${BROWSER_ARGS_ENV}='["--lang=en","--window-size=1280,800"]'.`;

/**
 * SSPM_ONBOARD_BROWSER_ARGS: one Chromium flag per line (a flag's value may hold spaces, as
 * --host-resolver-rules does), or, when it starts with "[", a JSON array of strings taken exactly ("{" is
 * read as JSON too, to refuse an object rather than pass it on as a flag). Blank lines
 * and empty items are skipped. A line holding " --" is refused: most likely two flags on one line, which
 * Chromium would read as one flag with a strange value. Unset or blank: no flags.
 */
export function parseBrowserArgsEnv(value: string | undefined): string[] {
  const text = value?.trim() ?? '';
  if (text === '') return [];
  if (text.startsWith('[') || text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // JSON.parse's message quotes the text; the error line names the variable instead.
      throw new OnboardError('INVALID_INPUT', `${BROWSER_ARGS_ENV} starts with "${text[0]}" but is not valid JSON.`, { fix: BROWSER_ARGS_ENV_FIX });
    }
    if (!Array.isArray(parsed)) throw new OnboardError('INVALID_INPUT', `${BROWSER_ARGS_ENV} must be a JSON array of strings.`, { fix: BROWSER_ARGS_ENV_FIX });
    const bad = parsed.findIndex((item) => typeof item !== 'string');
    if (bad !== -1) {
      throw new OnboardError('INVALID_INPUT', `${BROWSER_ARGS_ENV} must be a JSON array of strings; item ${bad + 1} is ${parsed[bad] === null ? 'null' : typeof parsed[bad]}.`, { fix: BROWSER_ARGS_ENV_FIX });
    }
    return (parsed as string[]).filter((item) => item.trim() !== '');
  }
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  for (const line of lines) {
    if (/\s--[a-z]/i.test(line)) {
      const shown = JSON.stringify(line.length > 80 ? `${line.slice(0, 79)}…` : line);
      throw new OnboardError('INVALID_INPUT', `${BROWSER_ARGS_ENV} line ${shown} holds more than one flag.`, {
        fix: 'Put each flag on its own line; a value that really holds " --" (say --js-flags) goes in a JSON array, taken exactly.',
      });
    }
  }
  return lines;
}

/**
 * The user's extra browser switches: SSPM_ONBOARD_BROWSER_ARGS first, then each --browser-arg. Both are used;
 * for a switch given in both, Chromium takes the last one on its command line, the --browser-arg. Refused
 * switches (see REFUSED_SWITCHES) end the run with exit 2, from either source.
 */
export function userBrowserArgs(flagArgs: readonly string[] | undefined, env: Env): { fromEnv: string[]; fromFlags: string[] } {
  const fromFlags = [...(flagArgs ?? [])];
  checkBrowserArgs(fromFlags);
  const fromEnv = parseBrowserArgsEnv(env[BROWSER_ARGS_ENV]);
  checkBrowserArgs(fromEnv, BROWSER_ARGS_ENV);
  return { fromEnv, fromFlags };
}
