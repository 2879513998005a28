import { describe, expect, it } from 'vitest';
import { keychainError, keychainLocation } from '../../src/store/keychain.js';

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

  it('names the store per platform', () => {
    expect(keychainLocation('linux')).toBe('OS keychain (Secret Service), service sspm-onboard');
    expect(keychainLocation('darwin')).toBe('macOS Keychain, service sspm-onboard');
  });
});
