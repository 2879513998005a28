// The save order (claim, secrets, config) and its undo, with a store that fails or is "interrupted" at each step;
// and the pure orphan finder.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OnboardError } from '../../src/core/errors.js';
import type { InstanceConfig, SecretKind } from '../../src/core/types.js';
import { saveTransaction, type SecretChange } from '../../src/store/save-transaction.js';
import { findOrphans, secretsOf } from '../../src/store/orphans.js';
import { parseSecretAccount, probeOwnerPid, secretAccount, type SecretStore } from '../../src/store/secret-store-types.js';
import { updateConfig } from '../../src/store/config-store.js';
import { removeDir, tempDir } from '../helpers/cli.js';

const root = tempDir('sspm-save-tx-');
afterAll(() => removeDir(root));
let count = 0;
function envWithDir(): { env: NodeJS.ProcessEnv; dir: string } {
  count += 1;
  const dir = path.join(root, `c${count}`);
  return { env: { SSPM_ONBOARD_CONFIG_DIR: dir }, dir };
}

/** An in-memory store; `failOn` makes the n-th write (set or delete, counting from 1) throw. */
function memoryStore(initial: Record<string, string> = {}, failOn?: number): SecretStore & { data: Map<string, string>; writes: number } {
  const data = new Map(Object.entries(initial));
  const store = {
    kind: 'keychain' as const,
    location: 'memory',
    data,
    writes: 0,
    async set(instance: string, secret: SecretKind, value: string) {
      store.writes += 1;
      if (store.writes === failOn) throw new OnboardError('SECRET_STORE', 'the store stopped answering');
      data.set(secretAccount(instance, secret), value);
    },
    async get(instance: string, secret: SecretKind) {
      return data.get(secretAccount(instance, secret)) ?? null;
    },
    async delete(instance: string, secret: SecretKind) {
      store.writes += 1;
      if (store.writes === failOn) throw new OnboardError('SECRET_STORE', 'the store stopped answering');
      data.delete(secretAccount(instance, secret));
    },
    async accounts() {
      return [...data.keys()];
    },
  };
  return store;
}

function entry(name: string, updatedAt = '2026-01-01T00:00:00.000Z'): InstanceConfig {
  return { name, subdomain: 'acme', region: 'us', loginMethod: 'okta', user: 'u', okta: { org: 'acme', domain: 'okta.com' }, secretStore: 'keychain', createdAt: updatedAt, updatedAt };
}

function configOf(dir: string): Record<string, InstanceConfig> {
  const file = path.join(dir, 'config.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).instances : {};
}

const NEW: SecretChange[] = [
  { secret: 'password', value: 'new-pw' },
  { secret: 'mfa-secret', value: 'otpauth://new' },
];

describe('saveTransaction', () => {
  it('add: secrets then config; a taken name refuses before any secret is written', async () => {
    const { env, dir } = envWithDir();
    const store = memoryStore();
    await saveTransaction({ store, instance: 'a', changes: NEW, restorePrevious: false, env, claim: () => {}, apply: (m) => m.set('a', entry('a')) });
    expect(Object.keys(configOf(dir))).toEqual(['a']);
    expect(store.data.get('a/password')).toBe('new-pw');

    const writesBefore = store.writes;
    await expect(
      saveTransaction({
        store,
        instance: 'a',
        changes: [{ secret: 'password', value: 'intruder' }],
        restorePrevious: false,
        env,
        claim: (m) => {
          if (m.has('a')) throw new OnboardError('INVALID_INPUT', 'taken');
        },
        apply: (m) => m.set('a', entry('a')),
      }),
    ).rejects.toThrow('taken');
    expect(store.writes).toBe(writesBefore);
    expect(store.data.get('a/password')).toBe('new-pw');
  });

  // Every step at which an add or an update can fail or be interrupted: the store ends as it began, no config change.
  const steps = [1, 2] as const;
  for (const restorePrevious of [false, true]) {
    const what = restorePrevious ? 'update' : 'add';
    for (const failOn of steps) {
      it(`${what}: write ${failOn} fails -> earlier writes undone, config unchanged`, async () => {
        const { env, dir } = envWithDir();
        const before: Record<string, string> = restorePrevious ? { 'a/password': 'old-pw', 'a/mfa-secret': 'otpauth://old' } : {};
        if (restorePrevious) await updateConfig((m) => void m.set('a', entry('a')), env);
        const configBefore = configOf(dir);
        const store = memoryStore(before, failOn);
        await expect(
          saveTransaction({ store, instance: 'a', changes: NEW, restorePrevious, env, claim: () => {}, apply: (m) => m.set('a', entry('a', '2026-02-02T00:00:00.000Z')) }),
        ).rejects.toThrow('the store stopped answering');
        expect(Object.fromEntries(store.data)).toEqual(before);
        expect(configOf(dir)).toEqual(configBefore);
      });
    }
    for (const after of [0, 1, 2]) {
      it(`${what}: a signal after ${after} secret write(s) -> undone, INTERRUPTED, config unchanged`, async () => {
        const { env, dir } = envWithDir();
        const before: Record<string, string> = restorePrevious ? { 'a/password': 'old-pw', 'a/mfa-secret': 'otpauth://old' } : {};
        if (restorePrevious) await updateConfig((m) => void m.set('a', entry('a')), env);
        const configBefore = configOf(dir);
        const store = memoryStore(before);
        const error = await saveTransaction({
          store,
          instance: 'a',
          changes: NEW,
          restorePrevious,
          env,
          interrupted: () => store.writes >= after,
          interruptedMessage: 'Interrupted; nothing was saved.',
          claim: () => {},
          apply: (m) => m.set('a', entry('a', '2026-02-02T00:00:00.000Z')),
        }).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'INTERRUPTED', message: 'Interrupted; nothing was saved.' });
        expect(Object.fromEntries(store.data)).toEqual(before);
        expect(configOf(dir)).toEqual(configBefore);
      });
    }
  }

  it('an undo that fails names what may be left and the command that removes it', async () => {
    const { env } = envWithDir();
    const store = memoryStore();
    let calls = 0;
    const broken: SecretStore = {
      ...store,
      set: async (i, s, v) => {
        calls += 1;
        if (calls === 2) throw new OnboardError('SECRET_STORE', 'the store stopped answering');
        await store.set(i, s, v);
      },
      delete: async () => {
        throw new Error('still not answering');
      },
    };
    const error = await saveTransaction({ store: broken, instance: 'a', changes: NEW, restorePrevious: false, env, claim: () => {}, apply: (m) => m.set('a', entry('a')) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnboardError);
    expect((error as OnboardError).message).toContain('"a/password" may be left in memory');
    expect((error as OnboardError).fix).toContain('sspm-onboard pagerduty remove a --yes');
  });
});

describe('orphans', () => {
  const config = [entry('kept'), { ...entry('in-file'), secretStore: 'file' as const }];
  const alive = (pid: number) => pid === 42;
  it.each([
    { accounts: ['kept/password', 'kept/mfa-secret'], instances: {}, probes: [] },
    { accounts: ['gone/password', 'gone/mfa-secret', 'kept/password'], instances: { gone: ['mfa-secret', 'password'] }, probes: [] },
    // An instance whose entry says "file" does not own its keychain entries.
    { accounts: ['in-file/password'], instances: { 'in-file': ['password'] }, probes: [] },
    { accounts: ['.check/42-abc-def', '.check/999999-abc-def'], instances: {}, probes: ['.check/999999-abc-def'] },
    { accounts: ['not-ours', 'x/other'], instances: {}, probes: [] },
  ])('$accounts', ({ accounts, instances, probes }) => {
    const found = findOrphans(accounts, 'keychain', config, alive);
    expect(Object.fromEntries(found.instances)).toEqual(instances);
    expect(found.staleProbes).toEqual(probes);
  });

  it('names and probes parse back', () => {
    expect(parseSecretAccount('a/b/password')).toEqual({ instance: 'a/b', secret: 'password' });
    expect(parseSecretAccount('/password')).toBeNull();
    expect(parseSecretAccount('a/passwords')).toBeNull();
    expect(probeOwnerPid('.check/123-x-y')).toBe(123);
    expect(probeOwnerPid('a/password')).toBeNull();
    expect(secretsOf(['a/password', 'ab/password', 'a/mfa-secret'], 'a')).toEqual(['password', 'mfa-secret']);
  });
});
