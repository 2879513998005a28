import { describe, expect, it } from 'vitest';
import {
  KEYCHAIN_FIX,
  KEYCHAIN_FIX_LOCKED,
  KEYCHAIN_FIX_NOT_ANSWERING,
  keychainError,
  keychainLocation,
  type ServiceProbe,
} from '../../src/store/keychain.js';

// Messages seen from @napi-rs/keyring 2.1.2 on Linux (pinned to the Secret Service).
const cases: Array<[string, RegExp]> = [
  ['Platform failure: DBus error: Failed to connect to socket /nonexistent: No such file or directory', /no Secret Service is reachable/],
  ['Platform failure: DBus error: Using X11 for dbus-daemon autolaunch was disabled at compile time, set your DBUS_SESSION_BUS_ADDRESS instead', /no Secret Service is reachable/],
  ["Couldn't access platform storage: AccessDenied", /no Secret Service is reachable/],
  ["Couldn't access platform storage: Secret Service: unlock prompt was dismissed", /locked/],
  ["Couldn't access platform storage: Secret Service: no result found", /no usable default collection/],
  ['something new', /: something new\.$/],
];

describe('keychain error mapping', () => {
  it.each(cases)('%s', (message, expected) => {
    const error = keychainError({ message }, 'save to');
    expect(error.code).toBe('SECRET_STORE');
    expect(error.message).toMatch(/^Cannot save to the OS keychain: /);
    expect(error.message).toMatch(expected);
    expect(error.fix).toContain('--secret-store file');
    expect(error.fix).toContain('--no-store');
  });

  it('says how long it waited', () => {
    expect(keychainError({ timeoutMs: 5000 }, 'read from').message).toContain('did not answer within 5 s');
  });

  // After a timeout, what the second look at the Secret Service found decides the message and the fix.
  const timeouts: Array<[ServiceProbe, RegExp, string, boolean]> = [
    // [probe, message, fix, may the message mention "locked"]
    ['silent', /: the keyring daemon \(Secret Service\) is not answering: the call got no reply within 2 s, and neither did a 4 s ping/, KEYCHAIN_FIX_NOT_ANSWERING, false],
    ['answered', /: the keychain did not answer within 2 s although the Secret Service itself answers: most likely the collection is locked/, KEYCHAIN_FIX_LOCKED, true],
    ['unknown', /: the keychain did not answer within 2 s \(busy, a locked collection waiting for an unlock prompt, or a stuck D-Bus/, KEYCHAIN_FIX, true],
  ];
  it.each(timeouts)('timeout, probe %s', (probe, message, fix, maySayLocked) => {
    const error = keychainError({ timeoutMs: 2000, probe }, 'read from');
    expect(error.code).toBe('SECRET_STORE');
    expect(error.message).toMatch(/^Cannot read from the OS keychain: /);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(/locked/i.test(error.message)).toBe(maySayLocked);
    expect(error.fix).toBe(fix);
    expect(error.fix).toContain('--secret-store file');
  });

  it('names the store per platform', () => {
    expect(keychainLocation('linux')).toBe('OS keychain (Secret Service), service sspm-onboard');
    expect(keychainLocation('darwin')).toBe('macOS Keychain, service sspm-onboard');
  });
});
