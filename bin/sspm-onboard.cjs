#!/usr/bin/env node
'use strict';
// Thin launcher, CommonJS so that start-up does not pay for Node's ES-module loader: refuse old Node with a
// clear line, then load the CLI shell (dist/cli.cjs); commands that need more load as ES modules on demand.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 17)) {
  process.stderr.write(`Error: sspm-onboard needs Node.js 20.17 or newer; this is ${process.versions.node}. Install a current Node.js LTS.\n`);
  process.exit(1);
}
require('../dist/cli.cjs').main(process.argv);
