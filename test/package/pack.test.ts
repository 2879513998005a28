// The package as a user gets it: `npm pack`'s tarball holds the launcher, the built dist/ and the docs a registry
// page shows, nothing else, within a size bound; what tsup bundles into dist/ is not also a runtime dependency, and
// every package dist/ loads at run time is one; the tarball installs into a fresh folder and its bin answers
// `--help` and `doctor`.
//
// Why the install is `npm ci --offline` of a lock file, not `npm install -g --prefix <dir> <tgz>`: the tests need no
// network, and a global install of a tarball resolves each dependency through the registry's full metadata
// documents, which the repository's `npm ci` never fetches (it caches the abbreviated ones and the tarballs of
// package-lock.json). So `npm install -g --offline <tgz>` stops at the first dependency with ENOTCACHED (checked
// with npm 11.19), and an npm-shrinkwrap.json inside a file: tarball is ignored. What can be tested with no network
// is the same tarball installed with the dependency versions of package-lock.json (its non-dev entries) from the
// cache `npm ci` filled: the same files, the same bin link, the dependency tree the suite runs against. With the
// registry, `npm install -g --prefix <dir> <tgz>` works as the README says.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cleanEnv, removeDir, tempDir } from '../helpers/cli.js';
import { assertBuilt } from '../e2e/helpers.js';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Packages dist/ may look for at run time without listing them: each is optional where it is used. */
const OPTIONAL_AT_RUN_TIME: Record<string, string> = {
  '@okta/okta-signin-widget': 'the sandbox serves its hand-written Okta pages when the package is absent (docs/sandbox.md)',
};

const MAX_PACKED_BYTES = 1024 * 1024;
const MAX_UNPACKED_BYTES = 4 * 1024 * 1024;

/** The environment for npm: the user's own home, for its npm cache and .npmrc (the tests' keyring wrapper points HOME
 *  at a temp folder, and the npx or npm that started vitest passes its settings down as npm_config_*: its cache
 *  under that temp HOME, its prefix), so no npm_* variable is handed on. */
function npmEnv(): NodeJS.ProcessEnv {
  const env = cleanEnv({ HOME: os.userInfo().homedir });
  for (const key of Object.keys(env)) if (/^npm_/i.test(key)) delete env[key];
  delete env.NODE_PATH;
  return env;
}

function distFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.c?js$/.test(entry.name)) out.push(full);
    }
  };
  walk(path.join(ROOT, 'dist'));
  return out;
}

/** The package a module specifier names ("@scope/name/sub" -> "@scope/name"), or null for a relative path or a Node built-in. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return null;
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w./-]+)?$/i.test(specifier)) return null;
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
  return builtinModules.includes(name) ? null : name;
}

/** Every package dist/ imports, requires or resolves at run time. */
function packagesLoadedByDist(): Set<string> {
  const found = new Set<string>();
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\.resolve\s*\(\s*)["']([^"'\n]+)["']/g;
  for (const file of distFiles()) {
    for (const match of readFileSync(file, 'utf8').matchAll(pattern)) {
      const name = packageOf(match[1]!);
      if (name) found.add(name);
    }
  }
  return found;
}

/** Packages whose code esbuild copied into dist/ (it marks each copied file with a "// node_modules/<pkg>/..." line). */
function packagesBundledIntoDist(): Set<string> {
  const found = new Set<string>();
  for (const file of distFiles()) {
    for (const match of readFileSync(file, 'utf8').matchAll(/^\/\/ node_modules\/((?:@[^/\n]+\/)?[^/\n]+)\//gm)) found.add(match[1]!);
  }
  return found;
}

describe('the npm package', () => {
  let work: string;
  let tarball: string;
  let packed: { files: Array<{ path: string; size: number }>; size: number; unpackedSize: number; filename: string };

  beforeAll(() => {
    assertBuilt();
    work = tempDir('sspm-pack-');
    // --ignore-scripts: pack the dist/ the suite built and runs against (prepack would rebuild it under the other tests).
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, env: npmEnv(), encoding: 'utf8', timeout: 120_000 });
    packed = JSON.parse(out)[0];
    tarball = path.join(work, packed.filename);
  }, 180_000);
  afterAll(() => removeDir(work));

  it('holds the launcher, dist/, README, LICENSE and package.json only, within the size bound', () => {
    expect(packed.filename).toBe(`${pkg.name}-${pkg.version}.tgz`);
    expect(existsSync(tarball)).toBe(true);
    const paths = packed.files.map((file) => file.path).sort();
    const unexpected = paths.filter((file) => !/^(bin\/sspm-onboard\.cjs|dist\/[\w./-]+\.c?js|README\.md|LICENSE|package\.json)$/.test(file));
    expect(unexpected).toEqual([]);
    for (const needed of [pkg.bin['sspm-onboard']!, 'dist/cli.cjs', 'dist/sandbox.js', 'dist/commands/add.js', 'dist/commands/test.js', 'dist/commands/doctor.js', 'README.md', 'LICENSE']) {
      expect(paths).toContain(needed);
    }
    // Every file of dist/ goes in (a chunk left out would fail only when its command runs).
    const built = distFiles().map((file) => path.relative(ROOT, file).split(path.sep).join('/')).sort();
    expect(paths.filter((file) => file.startsWith('dist/'))).toEqual(built);
    // The README's install lines name this tarball (kept in step with the version).
    expect(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).toContain(`npm install -g ./${packed.filename}`);
    expect(packed.size).toBeLessThan(MAX_PACKED_BYTES);
    expect(packed.unpackedSize).toBeLessThan(MAX_UNPACKED_BYTES);
  });

  it('runtime dependencies are exactly what dist/ loads at run time; nothing bundled is also a dependency', () => {
    const dependencies = Object.keys(pkg.dependencies).sort();
    const loaded = [...packagesLoadedByDist()].filter((name) => !(name in OPTIONAL_AT_RUN_TIME)).sort();
    expect(loaded).toEqual(dependencies);
    for (const name of Object.keys(OPTIONAL_AT_RUN_TIME)) expect(pkg.devDependencies, name).toHaveProperty(name);
    const bundled = packagesBundledIntoDist();
    // The check sees bundling at all (commander is in the CLI shell), so an empty intersection means something.
    expect(bundled.has('commander')).toBe(true);
    expect(dependencies.filter((name) => bundled.has(name))).toEqual([]);
  });

  it('installs from the tarball with no network, and the installed bin answers --help and doctor', () => {
    const prefix = path.join(work, 'install');
    const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> };
    const root = lock.packages['']!;
    const packages: Record<string, unknown> = {
      '': { name: 'install-check', dependencies: { [pkg.name]: `file:${tarball}` } },
      [`node_modules/${pkg.name}`]: { version: pkg.version, resolved: `file:${tarball}`, dependencies: root.dependencies, bin: root.bin, engines: root.engines, license: root.license },
    };
    for (const [at, entry] of Object.entries(lock.packages)) if (at !== '' && !entry.dev) packages[at] = entry;
    execFileSync('mkdir', ['-p', prefix]);
    writeFileSync(path.join(prefix, 'package.json'), JSON.stringify({ name: 'install-check', private: true, dependencies: { [pkg.name]: `file:${tarball}` } }));
    writeFileSync(path.join(prefix, 'package-lock.json'), JSON.stringify({ name: 'install-check', lockfileVersion: 3, requires: true, packages }));

    const install = spawnSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], { cwd: prefix, env: npmEnv(), encoding: 'utf8', timeout: 300_000 });
    expect(install.status, `npm ci --offline failed (the npm cache needs the packages of package-lock.json: run npm ci in the repository):\n${install.stderr}`).toBe(0);

    const installed = path.join(prefix, 'node_modules', pkg.name);
    expect(readdirSync(installed).filter((name) => name !== 'node_modules').sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'package.json']);
    // The runtime dependencies are installed; the bundled packages are not asked for (a dependency of a dependency
    // may still bring its own copy: puppeteer-core's chromium-bidi has zod 3).
    for (const name of Object.keys(pkg.dependencies)) expect(existsSync(path.join(prefix, 'node_modules', name)), name).toBe(true);
    const installedPkg = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(Object.keys(installedPkg.dependencies).sort()).toEqual(Object.keys(pkg.dependencies).sort());

    const bin = path.join(prefix, 'node_modules', '.bin', 'sspm-onboard');
    expect(realpathSync(bin)).toBe(path.join(realpathSync(installed), pkg.bin['sspm-onboard']!));
    // Run from the install only: cwd outside the repository, so no module can come from the repository's node_modules.
    const run = (args: string[], env: NodeJS.ProcessEnv) => spawnSync(bin, args, { cwd: prefix, env, encoding: 'utf8', timeout: 120_000 });

    const help = run(['--help'], cleanEnv());
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: sspm-onboard /);
    const version = run(['--version'], cleanEnv());
    expect(version.stdout.trim()).toBe(pkg.version);

    const config = path.join(work, 'config');
    const doctor = run(['doctor', '--json'], cleanEnv({ SSPM_ONBOARD_CONFIG_DIR: config }));
    const report = JSON.parse(doctor.stdout) as { ok: boolean; checks: Array<{ name: string; ok: boolean; detail?: string }> };
    const check = (name: string) => report.checks.find((c) => c.name === name);
    // node, the browser (puppeteer-core from the install launches it) and the config folder pass anywhere the suite runs.
    for (const name of ['node', 'browser', 'config']) expect(check(name), `${name}: ${JSON.stringify(check(name))}`).toMatchObject({ ok: true });
    if (process.env.SSPM_ONBOARD_TEST_KEYRING === '1') {
      // With a Secret Service the keychain round trip passes too (@napi-rs/keyring's binary from the install).
      expect(check('keychain'), JSON.stringify(check('keychain'))).toMatchObject({ ok: true });
      expect(doctor.status, doctor.stderr).toBe(0);
      expect(report.ok).toBe(true);
    }
  }, 400_000);
});
