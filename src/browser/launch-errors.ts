// Why Chromium did not start, as one line and a fix. Pure: the launcher collects what happened (spawn
// error, exit code, the last stderr lines, whether the bound ran out) and this decides what to say.

import { OnboardError } from '../core/errors.js';
import { shellWord } from '../core/shell.js';

export interface LaunchFailure {
  executable: string;
  platform: NodeJS.Platform | string;
  /** errno code from spawn ('ENOENT', 'EACCES', ...). */
  spawnErrorCode?: string;
  exitCode?: number | null;
  signal?: string | null;
  stderr: readonly string[];
  timedOut?: boolean;
  timeoutMs?: number;
  /** The error puppeteer raised while connecting, when there was no better clue. */
  connectError?: string;
}

/** A command that shows the browser's own complaint when our summary is not enough. */
export function selfTestCommand(executable: string, platform: string): string {
  const exe = platform === 'win32' ? `"${executable}"` : shellWord(executable);
  return `${exe} --headless --disable-gpu --dump-dom about:blank`;
}

function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

// Lines Chromium (or Debian's wrapper) prints that say nothing about the failure.
const NOISE = [
  /unexpected operator/, // Debian's /usr/bin/chromium wrapper
  /^\[\d+:\d+:\d+\/\d+\.\d+:(INFO|VERBOSE|WARNING)/,
  /DevTools listening on/,
  /dbus/i,
  /Fontconfig/i,
];

function meaningfulLine(stderr: readonly string[]): string | undefined {
  for (let i = stderr.length - 1; i >= 0; i--) {
    const line = stderr[i]?.trim();
    if (line && !NOISE.some((re) => re.test(line))) return line;
  }
  return undefined;
}

const DEBIAN_LIB_PACKAGES: Record<string, string> = {
  'libnss3.so': 'libnss3',
  'libnssutil3.so': 'libnss3',
  'libsmime3.so': 'libnss3',
  'libnspr4.so': 'libnspr4',
  'libgbm.so.1': 'libgbm1',
  'libxkbcommon.so.0': 'libxkbcommon0',
  'libdrm.so.2': 'libdrm2',
  'libXcomposite.so.1': 'libxcomposite1',
  'libXdamage.so.1': 'libxdamage1',
  'libXfixes.so.3': 'libxfixes3',
  'libXrandr.so.2': 'libxrandr2',
  'libXext.so.6': 'libxext6',
  'libX11.so.6': 'libx11-6',
  'libxcb.so.1': 'libxcb1',
  'libexpat.so.1': 'libexpat1',
};

/** The one-line error, with the browser's stderr tail kept as `cause` for --debug output. */
export function describeLaunchFailure(f: LaunchFailure): OnboardError {
  const error = summarize(f);
  if (f.stderr.length === 0 && !f.connectError) return error;
  const detail = [...f.stderr, ...(f.connectError ? [`(connect: ${f.connectError})`] : [])].join('\n');
  return new OnboardError(error.code, error.message, { fix: error.fix, cause: new Error(`Browser output:\n${detail}`) });
}

function summarize(f: LaunchFailure): OnboardError {
  const all = f.stderr.join('\n');
  const selfTest = `Run ${selfTestCommand(f.executable, f.platform)} to see the browser's own error.`;

  if (f.spawnErrorCode === 'ENOENT') {
    return new OnboardError('INTERNAL', `The browser ${f.executable} could not be started: the file does not exist.`, {
      fix: 'Pass the path of an installed Chrome or Chromium with --browser.',
    });
  }
  if (f.spawnErrorCode === 'EACCES' || f.spawnErrorCode === 'EPERM') {
    return new OnboardError('INTERNAL', `The browser ${f.executable} could not be started: it is not executable.`, {
      fix: f.platform === 'win32' ? 'Pass the path of chrome.exe or msedge.exe with --browser.' : `chmod +x ${shellWord(f.executable)}`,
    });
  }

  const lib = /error while loading shared libraries: ([^\s:]+)/.exec(all)?.[1];
  if (lib) {
    const pkg = DEBIAN_LIB_PACKAGES[lib];
    return new OnboardError('INTERNAL', `Chromium cannot start: the system library ${lib} is missing.`, {
      fix: pkg
        ? `sudo apt-get install -y ${pkg} (or install a packaged browser with its libraries: sudo apt-get install -y chromium-headless-shell)`
        : `Install the package that provides ${lib}, or a packaged browser with its libraries: sudo apt-get install -y chromium-headless-shell`,
    });
  }
  if (/Running as root without --no-sandbox is not supported/.test(all)) {
    return new OnboardError('INTERNAL', 'Chromium refuses to run as root without --no-sandbox.', {
      fix: 'Run as a regular user, or pass --browser-arg=--no-sandbox.',
    });
  }
  if (/No usable sandbox|setuid sandbox|SUID sandbox|Failed to move to new namespace|zygote_host_impl/i.test(all)) {
    return new OnboardError('INTERNAL', "Chromium's sandbox cannot start here (user namespaces are disabled, as in many containers).", {
      fix: 'Pass --browser-arg=--no-sandbox, or allow unprivileged user namespaces (sudo sysctl -w kernel.unprivileged_userns_clone=1).',
    });
  }
  if (/Missing X server|cannot open display/i.test(all)) {
    return new OnboardError('INTERNAL', 'Chromium tried to open a window and there is no display.', {
      fix: 'Use a headless build: sudo apt-get install -y chromium-headless-shell',
    });
  }
  if (f.timedOut) {
    const seconds = Math.round((f.timeoutMs ?? 0) / 100) / 10;
    return new OnboardError('INTERNAL', `Chromium did not start within ${seconds} s.`, { fix: selfTest });
  }

  const clue = meaningfulLine(f.stderr) ?? f.connectError;
  const how =
    f.signal != null ? `was killed by ${f.signal}` : f.exitCode != null ? `exited with code ${f.exitCode}` : 'stopped';
  return new OnboardError(
    'INTERNAL',
    oneLine(`Chromium ${how} before it was ready${clue ? `: ${clue}` : '.'}`),
    { fix: selfTest },
  );
}
