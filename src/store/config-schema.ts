// Pure: checks a parsed config file against the shape of InstanceConfig. Hand-written rather than zod so that
// `list` and `show` do not pay zod's start-up cost (user input is still validated with zod in src/core).
import type { InstanceConfig } from '../core/types.js';

export const CONFIG_VERSION = 1;

type Check = (value: unknown) => string | null;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
// A hand-edited file is read as hostile: values are printed (list, show, errors) and names become paths
// (--debug-dir), so control characters are refused everywhere and names follow the --name rule again.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** The --name rule (INSTANCE_NAME_RE in core/validate.ts, kept apart so `list` does not load zod). */
export const CONFIG_NAME_RE = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** A config text for a message: control characters escaped, so none reaches the terminal raw. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const string: Check = (v) => (typeof v !== 'string' ? 'expected a string' : CONTROL_RE.test(v) ? 'contains control characters' : null);
const nonEmpty: Check = (v) => (typeof v === 'string' && v.length > 0 ? string(v) : 'expected a non-empty string');
const instanceName: Check = (v) =>
  typeof v === 'string' && CONFIG_NAME_RE.test(v) ? null : 'not a valid instance name (1-64 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit)';
const number: Check = (v) => (typeof v === 'number' && Number.isFinite(v) ? null : 'expected a number');
const boolean: Check = (v) => (typeof v === 'boolean' ? null : 'expected true or false');
const oneOf = (...values: string[]): Check => (v) => (typeof v === 'string' && values.includes(v) ? null : `expected one of ${values.join(', ')}`);
const nullable = (check: Check): Check => (v) => (v === null ? null : check(v));

function object(fields: Record<string, Check>, optional: string[] = []): (value: unknown, at: string) => string | null {
  return (value, at) => {
    if (!isObject(value)) return `${at}: expected an object`;
    for (const [key, check] of Object.entries(fields)) {
      if (!(key in value) || value[key] === undefined) {
        if (optional.includes(key)) continue;
        return `${at}.${key}: missing`;
      }
      const problem = check(value[key]);
      if (problem) return `${at}.${key}: ${problem}`;
    }
    return null;
  };
}

const checkOkta = object({ org: nonEmpty, domain: oneOf('okta.com', 'oktapreview.com', 'okta-emea.com') });
const checkLastTest = object(
  { at: nonEmpty, ok: boolean, owner: oneOf('verified', 'not-owner', 'unverified'), errorCode: string, durationMs: number },
  ['owner', 'errorCode'],
);

const checkInstanceFields = object(
  {
    name: instanceName,
    subdomain: nullable(string),
    region: oneOf('us', 'eu'),
    loginMethod: oneOf('credentials', 'okta', 'azure'),
    user: string,
    okta: (v) => (v === null ? null : checkOkta(v, 'okta')),
    secretStore: oneOf('keychain', 'file'),
    createdAt: nonEmpty,
    updatedAt: nonEmpty,
    lastTest: (v) => checkLastTest(v, 'lastTest'),
  },
  ['lastTest'],
);

/** null when `value` is a valid InstanceConfig, else where and what is wrong. */
export function instanceProblem(value: unknown, at = 'instance'): string | null {
  return checkInstanceFields(value, at);
}

/** The instances of a valid version-1 file, or where and what is wrong. */
export function parseConfigObject(raw: unknown): { instances: Map<string, InstanceConfig> } | { problem: string } {
  if (!isObject(raw)) return { problem: 'expected a JSON object' };
  if (raw.version !== CONFIG_VERSION) return { problem: `version: expected ${CONFIG_VERSION}` };
  if (!isObject(raw.instances)) return { problem: 'instances: expected an object' };
  const instances = new Map<string, InstanceConfig>();
  for (const [key, value] of Object.entries(raw.instances)) {
    const at = `instances.${printable(key)}`;
    const problem = instanceProblem(value, at);
    if (problem) return { problem };
    const instance = value as unknown as InstanceConfig;
    if (instance.name !== key) return { problem: `${at}: its name is "${printable(instance.name)}"` };
    instances.set(key, instance);
  }
  return { instances };
}
