import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import envPaths from 'env-paths';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OnboardError } from '../../src/core/errors.js';
import { configDir, configPath, getInstance, readInstances, updateConfig } from '../../src/store/config-store.js';
import { runFixture, sampleInstance, startFixture, waitForOutput, tempConfigDir, uniqueName } from './helpers.js';

const mode = (p: string): number => statSync(p).mode & 0o777;

describe('config store', () => {
  let t: ReturnType<typeof tempConfigDir>;
  beforeEach(() => {
    t = tempConfigDir();
  });
  afterEach(() => t.cleanup());

  it('finds its folder from SSPM_ONBOARD_CONFIG_DIR, else the XDG config folder', () => {
    expect(configDir(t.env)).toBe(t.dir);
    expect(configPath(t.env)).toBe(path.join(t.dir, 'config.json'));
    expect(configDir({ ...process.env, SSPM_ONBOARD_CONFIG_DIR: '' })).toBe(envPaths('sspm-onboard', { suffix: '' }).config);
    if (process.platform === 'linux') {
      expect(configDir({ XDG_CONFIG_HOME: '/x/y' })).toBe('/x/y/sspm-onboard');
      expect(configDir({ HOME: '/home/u' })).toBe('/home/u/.config/sspm-onboard');
    }
  });

  it('reads [] when there is no file, and writes nothing for a read', async () => {
    expect(await readInstances(t.env)).toEqual([]);
    expect(await getInstance('nope', t.env)).toBeUndefined();
    expect(() => statSync(t.dir)).toThrow();
  });

  it('round-trips instances, sorted by name, in a versioned file', async () => {
    const b = sampleInstance('bravo', { region: 'eu', loginMethod: 'okta', okta: { org: 'acme', domain: 'okta.com' }, secretStore: 'file' });
    const a = sampleInstance('alpha', { lastTest: { at: '2026-01-02T03:04:05.000Z', ok: true, owner: 'verified', durationMs: 1234 } });
    const returned = await updateConfig((instances) => {
      instances.set(b.name, b);
      instances.set(a.name, a);
      return instances.size;
    }, t.env);
    expect(returned).toBe(2);
    expect(await readInstances(t.env)).toEqual([a, b]);
    expect(await getInstance('bravo', t.env)).toEqual(b);
    const file = JSON.parse(readFileSync(configPath(t.env), 'utf8'));
    expect(file.version).toBe(1);
    expect(Object.keys(file.instances)).toEqual(['alpha', 'bravo']);

    await updateConfig((instances) => void instances.delete('alpha'), t.env);
    expect((await readInstances(t.env)).map((i) => i.name)).toEqual(['bravo']);
  });

  it('writes nothing when the mutation throws', async () => {
    await updateConfig((instances) => void instances.set('keep', sampleInstance('keep')), t.env);
    const before = readFileSync(configPath(t.env), 'utf8');
    await expect(
      updateConfig((instances) => {
        instances.set('lost', sampleInstance('lost'));
        throw new OnboardError('INVALID_INPUT', 'no');
      }, t.env),
    ).rejects.toThrow('no');
    expect(readFileSync(configPath(t.env), 'utf8')).toBe(before);
    expect(readdirSync(t.dir).sort()).toEqual(['config.json']);
  });

  it('refuses to write an entry that does not fit the schema', async () => {
    await expect(
      updateConfig((instances) => void instances.set('bad', { ...sampleInstance('bad'), region: 'mars' } as never), t.env),
    ).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(await readInstances(t.env)).toEqual([]);
  });

  it('makes a new folder 0700 and the file 0600; tightens the file, never a folder the user made (issue 9, point 7)', async () => {
    await updateConfig((instances) => void instances.set('a', sampleInstance('a')), t.env);
    expect(mode(t.dir)).toBe(0o700);
    expect(mode(configPath(t.env))).toBe(0o600);

    chmodSync(t.dir, 0o755);
    chmodSync(configPath(t.env), 0o644);
    await readInstances(t.env);
    expect(mode(configPath(t.env))).toBe(0o600);
    await updateConfig((instances) => void instances.set('b', sampleInstance('b')), t.env);
    expect(mode(t.dir)).toBe(0o755);
    expect(mode(configPath(t.env))).toBe(0o600);
  });

  it('refuses a corrupt file with a one-line message naming it, and never overwrites it', async () => {
    mkdirSync(t.dir, { recursive: true });
    const file = configPath(t.env);
    for (const corrupt of ['{"version": 1, "instances": {', '{"version": 1, "instances": {"a": {"name": "a"}}}', '[]', '{"instances": {}}']) {
      writeFileSync(file, corrupt);
      const error = await readInstances(t.env).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OnboardError);
      expect((error as OnboardError).code).toBe('INTERNAL');
      expect((error as OnboardError).message).toContain(file);
      expect((error as OnboardError).message).not.toContain('\n');
      expect((error as OnboardError).fix).toMatch(/mv .*config\.json/);
      await expect(updateConfig((instances) => void instances.set('x', sampleInstance('x')), t.env)).rejects.toBeInstanceOf(OnboardError);
      expect(readFileSync(file, 'utf8')).toBe(corrupt);
    }
  });

  it('refuses an entry stored under another name', async () => {
    mkdirSync(t.dir, { recursive: true });
    writeFileSync(configPath(t.env), JSON.stringify({ version: 1, instances: { a: sampleInstance('b') } }));
    await expect(readInstances(t.env)).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('refuses a file from a newer version and leaves it alone', async () => {
    mkdirSync(t.dir, { recursive: true });
    const text = JSON.stringify({ version: 2, instances: {}, somethingNew: true });
    writeFileSync(configPath(t.env), text);
    const error = (await readInstances(t.env).catch((e: unknown) => e)) as OnboardError;
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toContain('version 2');
    expect(error.message).toContain(configPath(t.env));
    expect(error.fix).toMatch(/Upgrade/);
    await expect(updateConfig(() => undefined, t.env)).rejects.toBeInstanceOf(OnboardError);
    expect(readFileSync(configPath(t.env), 'utf8')).toBe(text);
  });

  it('keeps the previous file when a process dies halfway through writing', async () => {
    await updateConfig((instances) => void instances.set('before', sampleInstance('before')), t.env);
    const before = readFileSync(configPath(t.env), 'utf8');
    const name = uniqueName('crash');

    const result = await runFixture('crash-mid-write.ts', [name], t.env);
    expect(result.signal).toBe('SIGKILL');
    expect(result.stdout).toContain('dying');

    // The half-written temp file is there, but only a rename publishes, so config.json is untouched.
    const leftovers = readdirSync(t.dir).filter((f) => f.startsWith('config.json.') && f !== 'config.json.lock');
    expect(leftovers.length).toBe(1);
    const partial = readFileSync(path.join(t.dir, leftovers[0]!), 'utf8');
    expect(partial).toContain('changed@example.com');
    expect(() => JSON.parse(partial)).toThrow();
    expect(readFileSync(configPath(t.env), 'utf8')).toBe(before);
    expect((await readInstances(t.env)).map((i) => i.name)).toEqual(['before']);

    // The dead process's lock goes stale and the next writer takes it over.
    await updateConfig((instances) => void instances.set('after', sampleInstance('after')), t.env);
    expect((await readInstances(t.env)).map((i) => i.name)).toEqual(['after', 'before']);
  });

  it('loses nothing when 8 processes add at once', async () => {
    await updateConfig((instances) => void instances.set('existing', sampleInstance('existing')), t.env);
    const names = Array.from({ length: 8 }, () => uniqueName('concurrent'));
    const children = names.map((name) => startFixture('add-instance.ts', [name], t.env));
    // All loaded (tsx start-up is slow on 2 cores), then released together so that they really contend.
    await Promise.all(children.map(({ child }) => waitForOutput(child, 'ready')));
    for (const { child } of children) child.stdin.end('go\n');
    const results = await Promise.all(children.map(({ result }) => result));
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    expect((await readInstances(t.env)).map((i) => i.name)).toEqual([...names, 'existing'].sort());
    expect(readdirSync(t.dir).sort()).toEqual(['config.json']);
  });
});
