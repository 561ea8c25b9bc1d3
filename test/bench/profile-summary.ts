import { readFileSync } from 'node:fs';

/**
 * Summarises a V8 CPU profile (`node --cpu-prof`) by self time, grouped by package (node_modules) or by the
 * project's file, with idle samples left out and Node's HTTP modules summed (docs/measured.md, issue 17).
 * Usage: npx tsx test/bench/profile-summary.ts <file.cpuprofile> [top=25]
 */
interface Profile {
  nodes: { id: number; callFrame: { functionName: string; url: string } }[];
  samples: number[];
  timeDeltas: number[];
}

const [file, top = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));

function group({ functionName, url }: { functionName: string; url: string }): string {
  if (!url) return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  const packages = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/g);
  if (packages) return (packages.at(-1) as string).replace('node_modules/', '');
  return url.match(/(local-cloud|infra|functions|ops|test)\/.*$/)?.[0] ?? url.replace(/^.*\//, '');
}

const selfTime = new Map<string, number>();
profile.samples.forEach((id, index) => {
  const frame = frames.get(id);
  if (!frame) return;
  const name = group(frame);
  selfTime.set(name, (selfTime.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0));
});
const seconds = (microseconds: number) => `${(microseconds / 1e6).toFixed(1)} s`;
const total = [...selfTime.values()].reduce((sum, t) => sum + t, 0);
const idle = selfTime.get('(idle)') ?? 0;
const busy = total - idle;
const share = (t: number) => `${((t / busy) * 100).toFixed(1).padStart(5)} %`;
const http = [...selfTime].filter(([name]) => name.startsWith('node:_http')).reduce((sum, [, t]) => sum + t, 0);
console.log(`profile ${seconds(total)}, idle ${seconds(idle)}, busy ${seconds(busy)}`);
console.log(`node:_http_* together ${share(http)}  ${seconds(http)}`);
for (const [name, t] of [...selfTime]
  .filter(([name]) => name !== '(idle)')
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(top)))
  console.log(`${share(t)}  ${seconds(t).padStart(8)}  ${name}`);
