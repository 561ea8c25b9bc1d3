/**
 * Bundles every function exactly as the CDK stack does (options from infra/aws/bundling.ts), prints each bundle's
 * size, and compares the cold import time of the webhook bundle with importing `@aws-sdk/client-dynamodb` alone.
 * Each import runs in a fresh `node` process; runs are interleaved and the median is printed. Figures only.
 *
 *   npx tsx test/bench/bundles.ts [runs]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { loadConfigFile } from '../../functions/shared/config/file.ts';
import { esbuildOptions } from '../../infra/aws/bundling.ts';
import { functionDescriptors } from '../../infra/functions.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = Number(process.argv[2] ?? 15);
const config = loadConfigFile();
const outDir = mkdtempSync(join(tmpdir(), 'aftercare-bundles-'));
// Lets the "SDK left external" comparison bundle resolve @aws-sdk/* like the Lambda runtime would.
symlinkSync(join(root, 'node_modules'), join(outDir, 'node_modules'), 'dir');

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0).padStart(6)} KiB`;

async function bundle(name: string, entry: string, external: string[] = []): Promise<string> {
  const outfile = join(outDir, name, 'index.mjs');
  mkdirSync(dirname(outfile), { recursive: true });
  const options = esbuildOptions(join(root, entry), outfile, config);
  await build({ ...options, external: [...(options.external ?? []), ...external] });
  return outfile;
}

console.log('Bundles, built exactly as the stack builds them (infra/aws/bundling.ts)');
console.log('function        bundle     gzipped   source map');
const bundles: Record<string, string> = {};
for (const [name, definition] of Object.entries(functionDescriptors)) {
  const file = await bundle(name, definition.entry);
  bundles[name] = file;
  const size = statSync(file).size;
  const gzipped = gzipSync(readFileSync(file)).length;
  console.log(`${name.padEnd(12)} ${kib(size)} ${kib(gzipped)} ${kib(statSync(`${file}.map`).size)}`);
}
const webhook = bundles.webhook;
if (!webhook) throw new Error('no webhook function in infra/functions.ts');
const webhookSdkExternal = await bundle('webhook-sdk-external', functionDescriptors.webhook.entry, ['@aws-sdk/*']);

interface Candidate {
  label: string;
  specifier: string;
  nodeArgs?: string[];
}
const candidates: Candidate[] = [
  { label: 'import @aws-sdk/client-dynamodb alone', specifier: '@aws-sdk/client-dynamodb' },
  { label: 'webhook bundle (as deployed)', specifier: pathToFileURL(webhook).href },
  {
    label: 'webhook bundle, --enable-source-maps',
    specifier: pathToFileURL(webhook).href,
    nodeArgs: ['--enable-source-maps'],
  },
  { label: 'webhook, SDK left external', specifier: pathToFileURL(webhookSdkExternal).href },
];

function coldImportMs(candidate: Candidate): number {
  const code = `const t = performance.now(); await import(${JSON.stringify(candidate.specifier)}); process.stdout.write(String(performance.now() - t));`;
  const child = spawnSync(process.execPath, [...(candidate.nodeArgs ?? []), '--input-type=module', '-e', code], {
    cwd: outDir,
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`${candidate.label} failed: ${child.stderr}`);
  return Number(child.stdout);
}

const samples = new Map<Candidate, number[]>(candidates.map((candidate) => [candidate, []]));
for (let run = 0; run < runs; run++) {
  for (const candidate of candidates) samples.get(candidate)?.push(coldImportMs(candidate));
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

console.log(`\nCold import, median of ${runs} fresh processes each (node ${process.version})`);
const baseline = median(samples.get(candidates[0] as Candidate) ?? []);
for (const candidate of candidates) {
  const ms = median(samples.get(candidate) ?? []);
  console.log(`${candidate.label.padEnd(40)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / baseline).toFixed(2)}×`);
}
console.log('goal: webhook bundle ≤ 1.3× client-dynamodb alone');
rmSync(outDir, { recursive: true, force: true });
