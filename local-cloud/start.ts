import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_DEFAULTS, startLocalCloud } from './cloud.ts';

/**
 * `npm start`: the local cloud with data kept in .aftercare/ (AFTERCARE_DATA_DIR), until Ctrl-C.
 * Ports: AFTERCARE_API_PORT (3000) and AFTERCARE_INBOX_PORT (8005); time: AFTERCARE_TIME_SCALE (1).
 */
const [major] = process.versions.node.split('.').map(Number);
if ((major ?? 0) < 22) {
  console.error(
    `Aftercare's local cloud needs Node 22 or newer (this is ${process.version}). Run it with "npm start", which uses the Node 22 that "npm ci" installed.`,
  );
  process.exit(1);
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    console.error(`${name} must be a port number (0-65535), got "${raw}"`);
    process.exit(1);
  }
  return value;
}

const root = join(fileURLToPath(import.meta.url), '..', '..');
const dataDir = process.env.AFTERCARE_DATA_DIR || join(root, '.aftercare');
const started = Date.now();
try {
  const cloud = await startLocalCloud({
    apiPort: port('AFTERCARE_API_PORT', LOCAL_DEFAULTS.apiPort),
    inboxPort: port('AFTERCARE_INBOX_PORT', LOCAL_DEFAULTS.inboxPort),
    dynamodbPort: port('AFTERCARE_DYNAMODB_PORT', LOCAL_DEFAULTS.dynamodbPort),
    dataDir,
    host: process.env.AFTERCARE_HOST || '127.0.0.1',
  });
  const demoSecretNote =
    process.env.AFTERCARE_DEMO_SECRET === LOCAL_DEFAULTS.demoSecret
      ? ' (the documented default; set AFTERCARE_DEMO_SECRET to change it)'
      : '';
  console.log(`Aftercare local cloud ready in ${Date.now() - started} ms
  API        ${cloud.apiUrl}          (GET /health, POST /webhooks/{platform}/demo)
  Inbox      ${cloud.inboxUrl}          (every email sent; JSON at ${cloud.inboxUrl}/store)
  DynamoDB   ${cloud.dynamodb.endpoint}   (for the operator CLI: AWS_ENDPOINT_URL_DYNAMODB)
  Data       ${dataDir}${cloud.resumed ? `  (${cloud.resumed} waiting sequence runs: the run keeper resumes each at its due time)` : ''}
  Time       ${cloud.clock.scale} virtual second(s) per second (AFTERCARE_TIME_SCALE)
  Demo store "demo" signs with AFTERCARE_DEMO_SECRET${demoSecretNote}
Press Ctrl-C to stop.`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    await cloud.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    console.error(
      `A port is already in use: ${(error as Error).message}. Set AFTERCARE_API_PORT / AFTERCARE_INBOX_PORT.`,
    );
  else console.error((error as Error).message);
  process.exit(1);
}
