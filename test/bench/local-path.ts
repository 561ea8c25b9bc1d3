import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machine } from './stats.ts';

/**
 * Issue 17 benchmark: the same seeded `simulate` run once per local-cloud path (local-cloud/in-process.ts), each in
 * its own child process, all side by side at the same time (so they share the machine's load), printing CPU seconds
 * (user + system, `process.resourceUsage()` of the child) and real seconds per purchase for each, and the ratios.
 * Usage: npm run bench:local-path [-- --purchases 100] [-- --paths direct,http,tcp]
 */
const PATHS = { direct: {}, http: { AFTERCARE_LOCAL_HTTP: '1' }, tcp: { AFTERCARE_LOCAL_TCP: '1' } } as const;
type PathName = keyof typeof PATHS;
interface Figures {
  path: PathName;
  purchases: number;
  cpuSeconds: number;
  userSeconds: number;
  systemSeconds: number;
  realSeconds: number;
  peakRssMiB: number;
  emails: number;
  awsCalls: number;
  dynamodb: Record<string, number>;
}

const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const PURCHASES = Number(option('--purchases') ?? 100);

if (args.includes('--child')) await child(option('--child') as PathName);
else await parent();

/** One path: the simulation, then its own figures as one JSON line on stdout. */
async function child(path: PathName): Promise<void> {
  process.env.AFTERCARE_LOG_LEVEL ??= 'ERROR';
  const { runSimulation } = await import('../../ops/simulate/run.ts');
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await runSimulation({ purchases: PURCHASES, months: 24, seed: 1 });
  const used = process.cpuUsage(cpu);
  const dynamodbCalls = Object.values(result.dynamodb).reduce((sum, n) => sum + n, 0);
  const figures: Figures = {
    path,
    purchases: PURCHASES,
    userSeconds: used.user / 1e6,
    systemSeconds: used.system / 1e6,
    cpuSeconds: (used.user + used.system) / 1e6,
    realSeconds: (performance.now() - started) / 1000,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    emails: result.emails,
    awsCalls: dynamodbCalls + result.emails + result.executions,
    dynamodb: result.dynamodb,
  };
  console.log(`FIGURES ${JSON.stringify(figures)}`);
}

async function parent(): Promise<void> {
  const paths = (option('--paths') ?? 'direct,http,tcp').split(',') as PathName[];
  for (const path of paths) if (!(path in PATHS)) throw new Error(`--paths: unknown path ${path} (direct, http, tcp)`);
  console.log(`machine: ${machine()}`);
  console.log(`${PURCHASES} purchases × 24 virtual months (seed 1), one child process per path, side by side`);
  const runs = await Promise.all(paths.map(run));
  const line = (f: Figures) =>
    `${f.path.padEnd(7)} ${(f.cpuSeconds / f.purchases).toFixed(3)} CPU s/purchase (${f.userSeconds.toFixed(1)} user + ${f.systemSeconds.toFixed(1)} sys)  ${(f.realSeconds / f.purchases).toFixed(3)} real s/purchase (${f.realSeconds.toFixed(1)} s)  peak ${Math.round(f.peakRssMiB)} MiB  emails ${(f.emails / f.purchases).toFixed(2)}, AWS calls ${(f.awsCalls / f.purchases).toFixed(1)} per purchase`;
  for (const figures of runs) console.log(line(figures));
  for (const { path, dynamodb } of runs) console.log(`${path.padEnd(7)} DynamoDB requests ${JSON.stringify(dynamodb)}`);
  const [first, ...others] = runs;
  for (const other of others)
    if (first)
      console.log(
        `${first.path} / ${other.path}: CPU ${(first.cpuSeconds / other.cpuSeconds).toFixed(2)}×, real ${(first.realSeconds / other.realSeconds).toFixed(2)}×`,
      );
}

function run(path: PathName): Promise<Figures> {
  const script = fileURLToPath(import.meta.url);
  // The same Node and tsx as this process (npm scripts put node_modules/.bin, Node 22, first on PATH).
  const spawned = spawn(
    process.execPath,
    [...process.execArgv, script, '--child', path, '--purchases', `${PURCHASES}`],
    {
      env: { ...process.env, AFTERCARE_LOCAL_HTTP: undefined, AFTERCARE_LOCAL_TCP: undefined, ...PATHS[path] },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  spawned.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    spawned.on('error', reject);
    spawned.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith('FIGURES '));
      if (code !== 0 || !line) reject(new Error(`the ${path} run failed (exit ${code}): ${output.slice(-2000)}`));
      else resolve(JSON.parse(line.slice('FIGURES '.length)) as Figures);
    });
  });
}
