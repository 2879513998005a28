// Pure: checks a parsed config file against the shape of InstanceConfig. Hand-written rather than zod so that
// `list` and `show` do not pay zod's start-up cost (user input is still validated with zod in src/core).
import type { InstanceConfig } from '../core/types.js';

export const CONFIG_VERSION = 1;

type Check = (value: unknown) => string | null;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const string: Check = (v) => (typeof v === 'string' ? null : 'expected a string');
const nonEmpty: Check = (v) => (typeof v === 'string' && v.length > 0 ? null : 'expected a non-empty string');
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
    name: nonEmpty,
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
    const problem = instanceProblem(value, `instances.${key}`);
    if (problem) return { problem };
    const instance = value as unknown as InstanceConfig;
    if (instance.name !== key) return { problem: `instances.${key}: its name is "${instance.name}"` };
    instances.set(key, instance);
  }
  return { instances };
}
