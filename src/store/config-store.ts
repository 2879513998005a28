// Non-secret instance config: one versioned JSON file in the config folder.
// Reads need no lock (writes publish by rename); every write is a locked read-modify-write transaction.
// Keep this module free of keychain imports: `list` loads only this.
import { promises as fs, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import envPaths from 'env-paths';
import { CONFIG_VERSION, instanceProblem, parseConfigObject } from './config-schema.js';
import { OnboardError } from '../core/errors.js';
import type { InstanceConfig } from '../core/types.js';
import { ensurePrivateDir, parseVersionedJson, tightenFileMode, withFileLock, writePrivateFile } from './fs-util.js';

export { CONFIG_VERSION };
const CONFIG_FILE = 'config.json';
const APP_NAME = 'sspm-onboard';

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.SSPM_ONBOARD_CONFIG_DIR;
  if (override && override.trim() !== '') return path.resolve(override);
  // env-paths reads process.env; for another env (tests, injected io) apply its Linux (XDG) rule to that env.
  if (env !== process.env && process.platform === 'linux') {
    const xdg = env.XDG_CONFIG_HOME;
    const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), '.config');
    return path.join(base, APP_NAME);
  }
  return envPaths(APP_NAME, { suffix: '' }).config;
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(configDir(env), CONFIG_FILE);
}

function unreadable(file: string, why: string, cause?: unknown): OnboardError {
  return new OnboardError('INTERNAL', `The config file ${file} ${why}; it was left untouched.`, {
    fix: `Fix or move it away (mv ${file} ${file}.bak), then add the instances again; or point SSPM_ONBOARD_CONFIG_DIR at another folder.`,
    cause,
  });
}

/** Parses the file text; a corrupt or unknown-version file is refused, never rewritten. */
export function parseConfig(text: string, file: string): Map<string, InstanceConfig> {
  const raw = parseVersionedJson(text, CONFIG_VERSION, {
    invalid: (cause) => unreadable(file, 'is not valid JSON', cause),
    newer: (version) =>
      new OnboardError('INTERNAL', `The config file ${file} has version ${version}, written by a newer sspm-onboard (this one reads version ${CONFIG_VERSION}); it was left untouched.`, {
        fix: 'Upgrade sspm-onboard (npm install -g sspm-onboard@latest), or point SSPM_ONBOARD_CONFIG_DIR at another folder.',
      }),
  });
  const parsed = parseConfigObject(raw);
  if ('problem' in parsed) throw unreadable(file, `does not match the expected format (${parsed.problem})`);
  return parsed.instances;
}

function serialize(instances: Map<string, InstanceConfig>): string {
  const sorted = [...instances.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const file: { version: number; instances: Record<string, InstanceConfig> } = { version: CONFIG_VERSION, instances: Object.fromEntries(sorted) };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** Far above any real config (an instance is under 1 KiB): a bigger file was not written by this tool. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** Checked before reading, so a huge or endless file (a device, a FIFO) is never loaded into memory. */
function refuseOversized(file: string): void {
  const stat = statSync(file);
  if (!stat.isFile()) throw unreadable(file, 'is not a regular file');
  if (stat.size > MAX_CONFIG_BYTES) {
    throw unreadable(file, `is ${(stat.size / 1024 / 1024).toFixed(1)} MiB, larger than any config sspm-onboard writes (${MAX_CONFIG_BYTES / 1024 / 1024} MiB at most)`);
  }
}

// Synchronous on purpose: the file is small, and the first fs.promises call costs `list` about 8 ms
// (loading fs/promises and starting the thread pool), a third of its whole run.
function readMap(file: string): Map<string, InstanceConfig> {
  let text: string;
  try {
    refuseOversized(file);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    if (error instanceof OnboardError) throw error;
    throw new OnboardError('INTERNAL', `Cannot read the config file ${file}: ${(error as Error).message}.`, {
      fix: `Check the permissions of ${path.dirname(file)}, or point SSPM_ONBOARD_CONFIG_DIR at another folder.`,
      cause: error,
    });
  }
  tightenFileMode(file);
  return parseConfig(text, file);
}

/** All instances, sorted by name; [] when there is no config file yet. */
export async function readInstances(env: NodeJS.ProcessEnv = process.env): Promise<InstanceConfig[]> {
  const instances = readMap(configPath(env));
  return [...instances.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function getInstance(name: string, env: NodeJS.ProcessEnv = process.env): Promise<InstanceConfig | undefined> {
  return readMap(configPath(env)).get(name);
}

/** What a locked config transaction sees: the instances as read under the lock, and the write that publishes them. */
export interface ConfigTransaction {
  readonly instances: Map<string, InstanceConfig>;
  readonly file: string;
  /** Validates and atomically writes `instances` (as mutated so far). */
  commit(): Promise<void>;
}

/**
 * Holds the config lock for the whole of fn: every other writer (add, update, remove, test's last result) waits.
 * Secrets written inside fn are therefore claimed and published, or undone, before any other run looks.
 */
export async function withConfigLock<T>(fn: (tx: ConfigTransaction) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const dir = configDir(env);
  const file = path.join(dir, CONFIG_FILE);
  await ensurePrivateDir(dir);
  return withFileLock(file, async (assertLockHeld) => {
    const instances = readMap(file);
    return fn({
      instances,
      file,
      commit: async () => {
        for (const [key, instance] of instances) {
          const problem = instanceProblem(instance, key);
          if (problem || instance.name !== key) {
            throw new OnboardError('INTERNAL', `Refusing to write an invalid config entry "${key}" to ${file}: ${problem ?? 'its name differs'}.`);
          }
        }
        assertLockHeld();
        await writePrivateFile(file, serialize(instances));
      },
    });
  });
}

/**
 * Lock, read, mutate, write atomically. The mutation's result is returned; if it throws, nothing is written.
 * Two processes updating at once are serialized by the lock, so neither loses the other's change.
 */
export async function updateConfig<T>(
  mutate: (instances: Map<string, InstanceConfig>) => T | Promise<T>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  return withConfigLock(async (tx) => {
    const result = await mutate(tx.instances);
    await tx.commit();
    return result;
  }, env);
}
