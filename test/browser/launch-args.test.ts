import { describe, expect, it } from 'vitest';
import { BASE_ARGS, chromiumArgs, noProxyToBypassList, overriddenSwitches, proxyFromEnv } from '../../src/browser/launch-args.js';
import { refusedBrowserArg } from '../../src/browser/launch-args.js';

describe('chromiumArgs', () => {
  const dir = '--user-data-dir=/tmp/p';
  it.each([
    ['non-root, no proxy', { isRoot: false }, [dir, ...BASE_ARGS]],
    ['root adds --no-sandbox', { isRoot: true }, [dir, '--no-sandbox', ...BASE_ARGS]],
    [
      'proxy and bypass list',
      { isRoot: false, proxy: { server: 'http://proxy:3128', bypassList: 'localhost;*.localhost' } },
      [dir, ...BASE_ARGS, '--proxy-server=http://proxy:3128', '--proxy-bypass-list=localhost;*.localhost'],
    ],
    [
      'user args last, exact duplicates dropped, ours kept',
      { isRoot: true, extraArgs: ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND', '--disable-sync', '--lang=de', '--lang=de'] },
      [dir, '--no-sandbox', ...BASE_ARGS, '--host-resolver-rules=MAP * ~NOTFOUND', '--lang=de'],
    ],
    [
      'a user switch with another value is appended, not substituted (Chromium takes the last)',
      { isRoot: false, proxy: { server: 'http://a:1' }, extraArgs: ['--proxy-server=http://b:2'] },
      [dir, ...BASE_ARGS, '--proxy-server=http://a:1', '--proxy-server=http://b:2'],
    ],
  ] as const)('%s', (_name, opts, expected) => {
    expect(chromiumArgs({ userDataDir: '/tmp/p', ...opts })).toEqual(expected);
  });

  it('has the switches the product relies on', () => {
    expect(BASE_ARGS).toEqual([
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
      '--disable-features=Translate,OptimizationHints,MediaRouter',
      '--metrics-recording-only',
      '--password-store=basic',
      '--use-mock-keychain',
    ]);
  });
});

describe('proxyFromEnv', () => {
  it.each([
    ['none', {}, null],
    ['HTTPS_PROXY', { HTTPS_PROXY: 'http://proxy.corp:3128' }, { server: 'http://proxy.corp:3128' }],
    ['lower-case https_proxy', { https_proxy: 'http://p:8080/' }, { server: 'http://p:8080' }],
    ['upper-case wins', { HTTPS_PROXY: 'http://up:1', https_proxy: 'http://low:2' }, { server: 'http://up:1' }],
    ['no scheme means http', { HTTPS_PROXY: 'proxy:3128' }, { server: 'http://proxy:3128' }],
    ['socks5 kept', { HTTPS_PROXY: 'socks5://s:1080' }, { server: 'socks5://s:1080' }],
    [
      'credentials are taken off the URL',
      { HTTPS_PROXY: 'http://me%40corp:p%3Ass@proxy:3128' },
      { server: 'http://proxy:3128', username: 'me@corp', password: 'p:ss' },
    ],
    [
      'NO_PROXY to bypass list',
      { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'localhost,.corp.example, 10.0.0.0/8,127.0.0.1,*.x.io,h:8443' },
      { server: 'http://p:1', bypassList: 'localhost;*.localhost;corp.example;*.corp.example;10.0.0.0/8;127.0.0.1;*.x.io;h:8443' },
    ],
    ['lower-case no_proxy', { HTTPS_PROXY: 'http://p:1', no_proxy: 'a.b' }, { server: 'http://p:1', bypassList: 'a.b;*.a.b' }],
    ['NO_PROXY=* disables the proxy', { HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' }, null],
    ['HTTP_PROXY alone is not used (all our sites are HTTPS)', { HTTP_PROXY: 'http://p:1' }, null],
  ] as const)('%s', (_name, env, expected) => {
    expect(proxyFromEnv(env)).toEqual(expected);
  });

  it('puts no credentials on the command line', () => {
    const proxy = proxyFromEnv({ HTTPS_PROXY: 'http://u:secret@p:1' });
    expect(chromiumArgs({ isRoot: false, proxy, userDataDir: '/p' }).join(' ')).not.toContain('secret');
  });

  it('empty NO_PROXY gives no bypass list', () => {
    expect(noProxyToBypassList(' , ')).toBeUndefined();
  });
});

describe('overriddenSwitches', () => {
  it('names our switches the user replaced with another value; merged feature lists are not overrides', () => {
    const ours = chromiumArgs({ isRoot: false, proxy: { server: 'http://a:1' }, userDataDir: '/p' });
    expect(
      overriddenSwitches(ours, ['--proxy-server=http://b:2', '--disable-sync', '--disable-features=Foo', '--lang=de', 'about:blank']),
    ).toEqual(['--proxy-server']);
  });
});

describe('refusedBrowserArg (issue 9, point 8)', () => {
  it.each([
    ['--remote-debugging-port=9222', true],
    ['--remote-debugging-port', true],
    ['-remote-debugging-port=0', true],
    ['--REMOTE-DEBUGGING-ADDRESS=0.0.0.0', true],
    ['--remote-allow-origins=*', true],
    ['--user-data-dir=/home/me/.config/chromium', true],
    ['--remote-debugging-pipe', false],
    ['--user-data-dirx=1', false],
    ['--lang=de', false],
    ['--host-resolver-rules=MAP * 127.0.0.1', false],
    ['remote-debugging-port=1', false],
  ])('%s refused: %s', (arg, refused) => {
    expect(refusedBrowserArg(arg) !== null).toBe(refused);
  });
});
