#!/usr/bin/env node
// Thin launcher: refuse old Node with a clear line, then load the bundled CLI.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 17)) {
  process.stderr.write(`Error: sspm-onboard needs Node.js 20.17 or newer; this is ${process.versions.node}. Install a current Node.js LTS.\n`);
  process.exit(1);
}
const { main } = await import('../dist/cli.js');
await main(process.argv);
