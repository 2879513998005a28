import { defineConfig } from 'tsup';

// One ESM bundle with code splitting: each command is a lazily imported chunk, so
// `--help` and `--version` never load puppeteer-core or the keychain binding.
// Small dependencies are bundled in: resolving their many files at start-up cost more than running them.
export default defineConfig({
  entry: { cli: 'src/cli.ts', sandbox: 'src/sandbox/index.ts', demo: 'src/demo.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  splitting: true,
  sourcemap: false,
  clean: true,
  outDir: 'dist',
  noExternal: ['commander', 'zod', 'env-paths', 'write-file-atomic', 'proper-lockfile', 'otplib', 'chalk'],
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
});
