import { describe, expect, it } from 'vitest';
import { instanceProblem, parseConfigObject } from '../../src/store/config-schema.js';

const valid = {
  name: 'acme',
  subdomain: 'acme',
  region: 'us',
  loginMethod: 'okta',
  user: 'owner@acme.com',
  okta: { org: 'acme', domain: 'okta.com' },
  secretStore: 'keychain',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('config schema', () => {
  it.each([
    ['a valid instance', valid, null],
    ['no subdomain, no okta', { ...valid, subdomain: null, okta: null, loginMethod: 'credentials' }, null],
    ['with a last test', { ...valid, lastTest: { at: 'x', ok: false, errorCode: 'NETWORK', durationMs: 5 } }, null],
    ['unknown region', { ...valid, region: 'asia' }, 'instance.region: expected one of us, eu'],
    ['missing user', { ...valid, user: undefined }, 'instance.user: missing'],
    ['bad okta domain', { ...valid, okta: { org: 'acme', domain: 'evil.com' } }, 'okta.domain: expected one of okta.com, oktapreview.com, okta-emea.com'],
    ['bad last test', { ...valid, lastTest: { at: 'x', ok: 'yes', durationMs: 1 } }, 'lastTest.ok: expected true or false'],
    ['not an object', 'acme', 'instance: expected an object'],
  ])('%s', (_label, value, problem) => {
    const found = instanceProblem(value);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toContain(problem);
  });

  it.each([
    [{ version: 1, instances: { acme: valid } }, null],
    [{ version: 2, instances: {} }, 'version: expected 1'],
    [{ version: 1, instances: [] }, 'instances: expected an object'],
    [{ version: 1, instances: { other: valid } }, 'its name is "acme"'],
    [null, 'expected a JSON object'],
  ])('file %j', (raw, problem) => {
    const parsed = parseConfigObject(raw);
    if (problem === null) expect('instances' in parsed && parsed.instances.get('acme')?.user).toBe('owner@acme.com');
    else expect('problem' in parsed && parsed.problem).toContain(problem);
  });
});
