// Commander's usage errors in our words: a table of what a user typed and the one line they get.
import { describe, expect, it } from 'vitest';
import { closestCommand, usageError } from '../../src/cli/usage-errors.js';

const COMMANDS = ['add', 'list', 'show', 'update', 'remove', 'test'];
const context = (args: string[], commandPath = 'sspm-onboard pagerduty add') => ({ args, commandPath, pagerdutyCommands: COMMANDS });

describe('usageError', () => {
  it.each([
    { args: ['pagerduty', 'lst'], code: 'commander.excessArguments', message: "error: too many arguments for 'add'. Expected 0 arguments but got 1.", expected: /^Unknown command "lst".*Did you mean: sspm-onboard pagerduty list\?/ },
    { args: ['pagerduty', 'rm', 'acme'], code: 'commander.excessArguments', message: "error: too many arguments for 'add'.", expected: /^Unknown command "rm".*Commands: add, list, show, update, remove, test\.$/ },
    { args: ['pagerduty', 'add', '--password', 'pw'], code: 'commander.unknownOption', message: "error: unknown option '--password'", expected: /^No flag takes the password as its value.*--password-stdin.*SSPM_PAGERDUTY_PASSWORD/ },
    { args: ['pagerduty', 'update', 'acme', '--password', 'pw'], code: 'commander.excessArguments', message: "error: too many arguments for 'update'.", expected: /^No flag takes the password/ },
    { args: ['pagerduty', 'add', '--mfa-secret=JBSWY3DP'], code: 'commander.unknownOption', message: "error: unknown option '--mfa-secret=JBSWY3DP'", expected: /^No flag takes the 2FA secret.*--mfa-secret-file/ },
    { args: ['pagerduty', 'add', '--pasword=hunter2'], code: 'commander.unknownOption', message: "error: unknown option '--pasword=hunter2'", expected: /^Unknown option '--pasword=…'\. See: sspm-onboard pagerduty add --help$/ },
    { args: ['pagerduty', 'add', '--jsn'], code: 'commander.unknownOption', message: "error: unknown option '--jsn'\n(Did you mean --json?)", expected: /^Unknown option '--jsn' \(Did you mean --json\?\) See: sspm-onboard pagerduty add --help$/ },
    { args: ['pagerduty', 'add', '--\u001b[31mred'], code: 'commander.unknownOption', message: "error: unknown option '--\u001b[31mred'", expected: /^Unknown option '--\\u001b\[31mred'\./ },
  ])('$args', ({ args, code, message, expected }) => {
    const error = usageError(code, message, context(args));
    expect(error.code).toBe('INVALID_INPUT');
    expect(`${error.message} ${error.fix}`).toMatch(expected);
    expect(`${error.message} ${error.fix}`).not.toMatch(/hunter2|JBSWY3DP|\bpw\b/);
  });

  it('`update <name> --password` alone is no error of ours (it asks for the password)', () => {
    const error = usageError('commander.missingArgument', "error: missing required argument 'name'", context(['pagerduty', 'update', '--password'], 'sspm-onboard pagerduty update'));
    expect(error.message).toBe("Missing required argument 'name'.");
  });
});

describe('closestCommand', () => {
  it.each([
    ['lst', 'list'],
    ['shwo', 'show'],
    ['rem', 'remove'],
    ['upd', 'update'],
    ['frobnicate', undefined],
  ])('%s -> %s', (word, expected) => {
    expect(closestCommand(word, COMMANDS)).toBe(expected);
  });
});
