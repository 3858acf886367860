#!/usr/bin/env node
// `npx switchboard …` from the repository root: runs the built command-line tool (`npx nx build cli`).
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', '..', '..', 'dist', 'apps', 'cli', 'main.js');
if (!existsSync(built)) {
  process.stderr.write(`switchboard: ${built} is missing; build it first: npx nx build cli\n`);
  process.exit(2);
}
require(built);
