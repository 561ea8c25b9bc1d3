#!/usr/bin/env node
// `npx aftercare …`: runs the operator CLI (cli.ts) through tsx on Node 22 or newer. Older Node cannot parse
// webhook ids beyond 2^53 exactly, so it hands over to the Node 22 that `npm ci` put in node_modules/.bin.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
const node =
  major >= 22
    ? process.execPath
    : join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'node.cmd' : 'node');
if (!existsSync(node)) {
  console.error(`aftercare needs Node 22 or newer (this is ${process.version}); run "npm ci", which installs one.`);
  process.exit(1);
}
const child = spawn(
  node,
  ['--import', import.meta.resolve('tsx'), join(root, 'ops/cli.ts'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
