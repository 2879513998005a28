import { defineConfig, type Options } from 'tsup';

// Two builds:
// - the CLI shell (commander, the option tables, `list`) as one CommonJS file, so `--help`, `--version` and
//   `list` start without Node's ES-module loader;
// - every other command, the sandbox and the demo as ES modules with code splitting, imported by the shell only
//   when run, so `--help` never loads puppeteer-core or the keychain binding.
// Small dependencies are bundled in: resolving their many files at start-up cost more than running them. They are
// devDependencies, so an install does not fetch them a second time (test/package/pack.test.ts checks both lists).
const shared: Options = {
  target: 'node20',
  platform: 'node',
  sourcemap: false,
  clean: false, // `npm run build` empties dist/ first; the two builds run side by side
  outDir: 'dist',
  noExternal: ['commander', 'zod', 'env-paths', 'write-file-atomic', 'proper-lockfile', 'otplib', 'chalk'],
};

export default defineConfig([
  {
    ...shared,
    entry: { cli: 'src/cli.ts' },
    format: ['cjs'],
    splitting: false,
    // The command modules stay separate ES modules (dist/commands/*.js), loaded with import().
    external: [/^\.\/commands\/(add|show|update|remove|test|code|sandbox|doctor)\.js$/],
  },
  {
    ...shared,
    entry: {
      sandbox: 'src/sandbox/index.ts',
      demo: 'src/demo.ts',
      'commands/add': 'src/commands/add.ts',
      'commands/show': 'src/commands/show.ts',
      'commands/update': 'src/commands/update.ts',
      'commands/remove': 'src/commands/remove.ts',
      'commands/test': 'src/commands/test.ts',
      'commands/code': 'src/commands/code.ts',
      'commands/sandbox': 'src/commands/sandbox.ts',
      'commands/doctor': 'src/commands/doctor.ts',
    },
    format: ['esm'],
    splitting: true,
    // Bundled CommonJS dependencies call require() and read __filename (write-file-atomic names its temp
    // files with it); give them both in the ESM output.
    banner: {
      js: [
        "import { createRequire as __sspmCreateRequire } from 'node:module';",
        "import { fileURLToPath as __sspmFileURLToPath } from 'node:url';",
        'const require = __sspmCreateRequire(import.meta.url);',
        'const __filename = __sspmFileURLToPath(import.meta.url);',
      ].join(' '),
    },
  },
]);
