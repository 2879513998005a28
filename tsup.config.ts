import { defineConfig } from 'tsup';

// One ESM bundle with code splitting: each command is a lazily imported chunk, so
// `--help` and `--version` never load puppeteer-core or the keychain binding.
export default defineConfig({
  entry: { cli: 'src/cli.ts', sandbox: 'src/sandbox/index.ts', demo: 'src/demo.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  splitting: true,
  sourcemap: false,
  clean: true,
  outDir: 'dist',
});
