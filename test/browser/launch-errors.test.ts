import { describe, expect, it } from 'vitest';
import { describeLaunchFailure, selfTestCommand } from '../../src/browser/launch-errors.js';

const exe = '/usr/bin/chromium';
const base = { executable: exe, platform: 'linux', stderr: [] as string[] };

describe('describeLaunchFailure', () => {
  it.each([
    [
      'missing library',
      { ...base, exitCode: 127, stderr: ['/usr/lib/chromium/chromium: error while loading shared libraries: libnss3.so: cannot open shared object file: No such file or directory'] },
      'Chromium cannot start: the system library libnss3.so is missing.',
      /sudo apt-get install -y libnss3/,
    ],
    [
      'unknown missing library',
      { ...base, exitCode: 127, stderr: ['x: error while loading shared libraries: libfoo.so.9: cannot open shared object file'] },
      'Chromium cannot start: the system library libfoo.so.9 is missing.',
      /provides libfoo\.so\.9/,
    ],
    [
      'root without --no-sandbox',
      { ...base, exitCode: 1, stderr: ['[123:123:0101/000000.000000:ERROR:zygote_host_impl_linux.cc(101)] Running as root without --no-sandbox is not supported. See https://crbug.com/638180.'] },
      'Chromium refuses to run as root without --no-sandbox.',
      /--browser-arg=--no-sandbox/,
    ],
    [
      'no user namespaces',
      { ...base, exitCode: 1, stderr: ['[1:1:0101/0:FATAL:zygote_host_impl_linux.cc(127)] No usable sandbox! Update your kernel or see ...'] },
      "Chromium's sandbox cannot start here (user namespaces are disabled, as in many containers).",
      /--no-sandbox/,
    ],
    ['not executable', { ...base, spawnErrorCode: 'EACCES' }, 'The browser /usr/bin/chromium could not be started: it is not executable.', /chmod \+x \/usr\/bin\/chromium/],
    ['vanished', { ...base, spawnErrorCode: 'ENOENT' }, 'The browser /usr/bin/chromium could not be started: the file does not exist.', /--browser/],
    ['timeout', { ...base, timedOut: true, timeoutMs: 1500 }, 'Chromium did not start within 1.5 s.', /--dump-dom about:blank/],
    [
      'unknown exit with a clue, skipping noise',
      { ...base, exitCode: 1, stderr: ['boom: something\nbroke', '/usr/bin/chromium: 12: [: Linux: unexpected operator'] },
      'Chromium exited with code 1 before it was ready: boom: something broke',
      /--dump-dom/,
    ],
    ['killed', { ...base, signal: 'SIGSEGV' }, 'Chromium was killed by SIGSEGV before it was ready.', /--dump-dom/],
  ] as const)('%s', (_name, failure, message, fix) => {
    const error = describeLaunchFailure(failure);
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe(message);
    expect(error.message).not.toMatch(/\n/);
    expect(error.fix).toMatch(fix);
  });

  it('quotes paths with spaces in the self-test command', () => {
    expect(selfTestCommand('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', 'darwin')).toBe(
      "'/Applications/Google Chrome.app/Contents/MacOS/Google Chrome' --headless --disable-gpu --dump-dom about:blank",
    );
  });
});
