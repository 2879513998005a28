// SSPM_ONBOARD_BROWSER_ARGS, the environment twin of --browser-arg: how its text becomes Chromium flags, how it
// combines with the flag, what it refuses; and the `export` line `sspm-onboard sandbox` prints, read back by bash.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BROWSER_ARGS_ENV, parseBrowserArgsEnv, userBrowserArgs } from '../../src/browser/launch-args.js';
import { OnboardError } from '../../src/core/errors.js';
import { exportLine, shellQuote } from '../../src/core/shell.js';

const RULES = '--host-resolver-rules=MAP *.pagerduty.com 127.0.0.1:8443, MAP * ~NOTFOUND';
const SPKI = '--ignore-certificate-errors-spki-list=abc+/=';

describe('parseBrowserArgsEnv', () => {
  const accepted: Array<[label: string, value: string | undefined, args: string[]]> = [
    ['unset', undefined, []],
    ['empty', '', []],
    ['blank lines only', ' \n\n \t\n', []],
    ['one flag', '--lang=en', ['--lang=en']],
    ['one flag per line, value with spaces kept whole', `${RULES}\n${SPKI}`, [RULES, SPKI]],
    ['CRLF, blank lines and surrounding spaces', `  ${RULES}\r\n\r\n${SPKI}  \r\n`, [RULES, SPKI]],
    ['a single dash inside a value is not a second flag', '--proxy-bypass-list=<-loopback>;a -b', ['--proxy-bypass-list=<-loopback>;a -b']],
    ['JSON array', JSON.stringify([RULES, SPKI]), [RULES, SPKI]],
    ['JSON array with spaces around it', `  ${JSON.stringify(['--lang=en'])}\n`, ['--lang=en']],
    ['JSON keeps " --" inside a value (a JSON item is taken exactly)', '["--js-flags=--expose-gc --max-old-space-size=512"]', ['--js-flags=--expose-gc --max-old-space-size=512']],
    ['JSON empty items are skipped', '["", "--lang=en", "  "]', ['--lang=en']],
    ['JSON empty array', '[]', []],
  ];
  it.each(accepted)('%s', (_label, value, args) => {
    expect(parseBrowserArgsEnv(value)).toEqual(args);
  });

  const refused: Array<[label: string, value: string, message: RegExp]> = [
    ['two flags on one line', '--lang=en --no-first-run', /SSPM_ONBOARD_BROWSER_ARGS line "--lang=en --no-first-run" holds more than one flag/],
    ['space-separated like a command line', `${RULES} ${SPKI}`, /holds more than one flag/],
    ['broken JSON', '["--lang=en",', /SSPM_ONBOARD_BROWSER_ARGS starts with "\[" but is not valid JSON\.$/],
    ['JSON item not a string', '["--lang=en", 3]', /JSON array of strings; item 2 is number/],
    ['JSON null item', '[null]', /item 1 is null/],
  ];
  it.each(refused)('refuses %s (exit 2, names the variable)', (_label, value, message) => {
    let error: unknown;
    try {
      parseBrowserArgsEnv(value);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OnboardError);
    expect((error as OnboardError).code).toBe('INVALID_INPUT');
    expect((error as OnboardError).message).toMatch(message);
    expect((error as OnboardError).fix).toMatch(/line|JSON array/);
  });

  it('a JSON object is not a list of flags', () => {
    expect(() => parseBrowserArgsEnv('{"args": ["--lang=en"]}')).toThrow(/must be a JSON array of strings/);
  });
});

describe('userBrowserArgs: the variable and --browser-arg together', () => {
  it('uses both: the variable first, then the flags (Chromium takes the last of a repeated switch, the flag)', () => {
    expect(userBrowserArgs(['--lang=de'], { [BROWSER_ARGS_ENV]: '--lang=en\n--window-size=800,600' })).toEqual({
      fromEnv: ['--lang=en', '--window-size=800,600'],
      fromFlags: ['--lang=de'],
    });
    expect(userBrowserArgs(undefined, {})).toEqual({ fromEnv: [], fromFlags: [] });
    expect(userBrowserArgs(['--lang=de'], { [BROWSER_ARGS_ENV]: '' })).toEqual({ fromEnv: [], fromFlags: ['--lang=de'] });
  });

  const dangerous = ['--remote-debugging-port=9222', '--remote-debugging-address=0.0.0.0', '--remote-allow-origins=*', '--user-data-dir=/tmp/p', '-remote-debugging-port=9222', ' --REMOTE-DEBUGGING-PORT=1'];
  it.each(dangerous)('refuses %j from the variable, in either form, naming the variable', (arg) => {
    for (const value of [`--lang=en\n${arg}`, JSON.stringify(['--lang=en', arg])]) {
      expect(() => userBrowserArgs([], { [BROWSER_ARGS_ENV]: value })).toThrow(/^SSPM_ONBOARD_BROWSER_ARGS ".*" is refused: /);
    }
  });

  it('a refused --browser-arg is still named as the flag', () => {
    expect(() => userBrowserArgs(['--user-data-dir=/tmp/p'], { [BROWSER_ARGS_ENV]: '--lang=en' })).toThrow(/^--browser-arg "--user-data-dir=\/tmp\/p" is refused/);
  });
});

/** bash without start-up files (a pipe on stdin can make bash read ~/.bashrc, as if started by sshd). */
function bash(script: string) {
  return spawnSync('bash', ['--norc', '--noprofile', '-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH } });
}

describe('the export line, read back by bash', () => {
  const values = [
    JSON.stringify([RULES, SPKI]),
    `it's "quoted" $HOME \`id\` $(id) \\ back\\slash ; & | * ? ~ ! #`,
    "''''",
    '',
  ];
  it.each(values)('export of %j sets exactly that value', (value) => {
    const line = exportLine(BROWSER_ARGS_ENV, value);
    expect(line.split('\n')).toHaveLength(1);
    expect(line.startsWith(`export ${BROWSER_ARGS_ENV}='`)).toBe(true);
    const run = bash(`${line}\nprintf %s "$${BROWSER_ARGS_ENV}"`);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(value);
  });

  it('the sandbox routing survives the round trip as the same flags', () => {
    const run = bash(`eval ${shellQuote(exportLine(BROWSER_ARGS_ENV, JSON.stringify([RULES, SPKI])))}; printf %s "$${BROWSER_ARGS_ENV}"`);
    expect(parseBrowserArgsEnv(run.stdout)).toEqual([RULES, SPKI]);
  });

  it('refuses a name that is not a shell variable', () => {
    expect(() => exportLine('A;rm -rf', 'x')).toThrow(/Not a shell variable name/);
  });
});
