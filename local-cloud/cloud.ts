import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { resetClients, type SdkClient, type SdkService, setClientHook } from '../functions/shared/clients.ts';
import { installClock } from '../functions/shared/clock.ts';
import { TABLE_NAME_DEFAULT } from '../functions/shared/store/schema.ts';
import { identityFor } from '../infra/aws/identities.ts';
import { loadConfigChecked } from '../infra/config-templates.ts';
import { applyStreamMapping, triggeredBy } from '../infra/functions.ts';
import { close, LocalDynamoDB, listen } from './dynamodb.ts';
import { matchesFilterCriteria } from './event-filter.ts';
import { createApiServer } from './http.ts';
import { asPrincipal, checkStreamMapping, enforceIam, LocalIam } from './iam.ts';
import { type LocalPolicies, localPolicies } from './iam-policies.ts';
import { sesIdentities } from './iam-requests.ts';
import { httpListener, inProcessClient, type LocalRequest, serveDirect } from './in-process.ts';
import * as runtime from './lambda-runtime.ts';
import { invocationsSettled, invoke, preloadHandlers, setClockHold, tracked } from './lambda-runtime.ts';
import { startRunKeeperSchedule } from './run-keeper.ts';
import type { LocalSchedule } from './schedule.ts';
import { LocalSes, type SesEvent } from './ses.ts';
import { type LocalSesSettings, localSesAccount } from './ses-account.ts';
import { LocalStepFunctions } from './stepfunctions.ts';
import { timeScaleFromEnv, VirtualClock } from './virtual-clock.ts';

/** The EventBridge detail-type AWS gives each SES event. */
const SES_DETAIL_TYPES: Record<SesEvent['eventType'], string> = {
  Send: 'Email Sent',
  Delivery: 'Email Delivered',
  Bounce: 'Email Bounced',
  Complaint: 'Email Complaint Received',
  Reject: 'Email Rejected',
  'Rendering Failure': 'Email Rendering Failed',
};

/** Documented defaults of the local cloud (README "Local cloud"). */
export const LOCAL_DEFAULTS = {
  apiPort: 3000,
  inboxPort: 8005,
  dynamodbPort: 8000,
  demoSecret: 'whsec_YWZ0ZXJjYXJlLWRlbW8tc2VjcmV0LWNoYW5nZS1tZQ==',
  linkSecret: 'local-link-signing-key-change-me',
} as const;

export interface LocalCloudOptions {
  /** 0 picks a free port (tests). */
  apiPort?: number;
  inboxPort?: number;
  /** The DynamoDB endpoint (for the operator CLI); a free port unless given. */
  dynamodbPort?: number;
  /** Keep DynamoDB data (and the virtual clock) in this folder; in memory when unset. */
  dataDir?: string;
  timeScale?: number;
  /** Where the virtual clock starts (ms since epoch); now by default. */
  startAt?: number;
  /** Configuration file; infra/aftercare.config.json by default. */
  configFile?: string;
  host?: string;
  /** Tests: the role policies to enforce instead of the stack's own (to show a broken policy being refused). */
  editPolicies?: (policies: LocalPolicies) => LocalPolicies;
  /** The SES account: sandbox, quotas, Send events (defaults: production access, 14/s; see ses-account.ts). */
  ses?: LocalSesSettings;
  /** Benchmarks: sees every SDK client after IAM's check is attached (bench:chaos adds its seeded faults here). */
  onClient?: (service: SdkService, client: SdkClient) => void;
}

export interface LocalCloud {
  apiUrl: string;
  /**
   * Sequence runs waiting in the data folder's run index when the cloud started (npm start after a restart): the
   * run keeper resumes them at their due time, as on AWS after lost executions.
   */
  resumed: number;
  inboxUrl: string;
  clock: VirtualClock;
  dynamodb: LocalDynamoDB;
  ses: LocalSes;
  stepFunctions: LocalStepFunctions;
  /** The role policies every function's and state machine's calls are checked against. */
  iam: LocalIam;
  /** The run keeper's EventBridge rule on the virtual clock (its fired ticks, for tests and benchmarks). */
  keeperSchedule: LocalSchedule;
  /** Waits until streams are drained, no execution runs and no run is parked or live (bounded by `timeoutMs` real ms). */
  settle(timeoutMs?: number): Promise<void>;
  /**
   * Discrete-event fast-forward: whenever nothing is running, jumps virtual time straight to the next pending wait,
   * until `until` (virtual ms) or until nothing waits any more. Exact (every wait wakes at its own moment) and as
   * fast as the handlers allow — how benchmarks and `simulate` play years in minutes.
   */
  fastForward(until: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts Aftercare on one machine: dynalite, aws-ses-v2-local and the local Step Functions behind the real SDK
 * clients, the HTTP API on the same handlers, all on one virtual clock.
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the start order of the emulators and the wiring between them (each step needs the ones before it), read top to bottom
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const configFile = options.configFile ?? process.env.AFTERCARE_CONFIG;
  const config = await loadConfigChecked(configFile); // fail fast, with the field (or template) that is wrong
  const tableName = process.env.AFTERCARE_TABLE || TABLE_NAME_DEFAULT;
  // IAM as the stack deploys it (README "Local cloud"): checked before anything listens, like a failed deployment.
  const policies = await localPolicies(tableName, configFile);
  const iam = new LocalIam(options.editPolicies ? options.editPolicies(structuredClone(policies)) : policies);
  await checkStreamMapping(
    iam,
    'aftercare-apply',
    `arn:aws:dynamodb:us-east-1:000000000000:table/${tableName}/stream/local`,
  );
  const clockFile = options.dataDir ? join(options.dataDir, 'clock.json') : undefined;
  const startAt = options.startAt ?? resumeClock(clockFile);
  const clock = new VirtualClock(options.timeScale ?? timeScaleFromEnv(), startAt);
  const restoreClock = installClock(clock);
  const host = options.host ?? '127.0.0.1';

  if (options.dataDir) mkdirSync(join(options.dataDir, 'dynamodb'), { recursive: true });
  const dynamodb = new LocalDynamoDB({
    tableName,
    port: options.dynamodbPort ?? 0,
    now: () => clock.now(),
    hold: () => clock.hold(),
    ...(options.dataDir ? { path: join(options.dataDir, 'dynamodb') } : {}),
  });
  const sesAccount = localSesAccount(config, options.ses);
  // IAM authorises SendEmail on the identity that covers the sender and, in the sandbox, each recipient.
  sesIdentities.sender = (address) => identityFor(address, sesAccount.identities);
  sesIdentities.recipients = (addresses) =>
    sesAccount.sandbox ? addresses.map((address) => identityFor(address, sesAccount.identities)) : [];
  const ses = new LocalSes({
    port: options.inboxPort ?? LOCAL_DEFAULTS.inboxPort,
    host,
    account: sesAccount,
    now: () => clock.now(),
    // Only the event types the stack's configuration set publishes to EventBridge (infra/aws/email.ts).
    eventTypes: iam.sesEventTypesOf('aftercare-ses-events'),
    ...(options.ses?.deliveryEvents === false ? { deliveryEvents: false } : {}),
    ...(options.ses?.inboxBodies === false ? { inboxBodies: false } : {}),
  });
  let ready = false;
  const api: Server = createApiServer({ isReady: () => ready, now: () => clock.now() });
  const apiPort = await listen(api, options.apiPort ?? LOCAL_DEFAULTS.apiPort, host);
  const apiUrl = `http://localhost:${apiPort}`;
  await Promise.all([dynamodb.start(), ses.start()]);

  const stepFunctions = new LocalStepFunctions(clock, (resourceArn) => {
    if (!resourceArn.endsWith('-step')) throw new Error(`no local function for Task resource ${resourceArn}`);
    const stepFunction = resourceArn.split(':').at(-1) as string;
    const stateMachine = stepFunction.replace(/-step$/, '');
    return (input) =>
      tracked(async () => {
        // The state machine's role must allow lambda:InvokeFunction on its step function, as on AWS.
        const denial = await iam.authorize(stateMachine, [{ action: 'lambda:InvokeFunction', resource: resourceArn }]);
        if (denial)
          throw Object.assign(
            new Error(`${denial.message} (Service: Lambda, Status Code: 403, Error Code: AccessDeniedException)`),
            { name: 'Lambda.AWSLambdaException' },
          );
        return asPrincipal(stepFunction, () => invoke(triggeredBy('workflow'), input, { functionArn: resourceArn }));
      });
  });
  const sfnService = (request: LocalRequest) => stepFunctions.handle(request);
  const sfnServer = createServer(httpListener(sfnService));
  const sfnPort = await listen(sfnServer, 0);
  serveDirect(sfnServer, sfnService);

  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
    AWS_ENDPOINT_URL_SESV2: ses.endpoint,
    AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${sfnPort}`,
    AFTERCARE_TABLE: tableName,
    AFTERCARE_STAGE: 'local',
    POWERTOOLS_METRICS_DISABLED: 'true',
    AFTERCARE_PUBLIC_URL: process.env.AFTERCARE_PUBLIC_URL || apiUrl,
    AFTERCARE_STATE_MACHINE_PREFIX: 'arn:aws:states:us-east-1:000000000000:stateMachine:aftercare-',
    AFTERCARE_DEMO_SECRET: process.env.AFTERCARE_DEMO_SECRET || LOCAL_DEFAULTS.demoSecret,
    AFTERCARE_LINK_SECRET: process.env.AFTERCARE_LINK_SECRET || LOCAL_DEFAULTS.linkSecret,
    ...(configFile ? { AFTERCARE_CONFIG: configFile } : {}),
  });
  delete process.env.AWS_PROFILE;
  setClientHook((service, client) => {
    inProcessClient(client);
    enforceIam(iam, service, client);
    options.onClient?.(service, client);
  });
  resetClients();

  dynamodb.subscribe(
    (record) => matchesFilterCriteria([applyStreamMapping.filterPattern], record),
    async (records) => (await invoke(triggeredBy('stream'), { Records: records })) as never,
  );
  ses.onEvent(async (event) => {
    // An SES configuration set's EventBridge destination, as the CDK stack wires it (rule and invoke permission).
    if (!(await iam.deliversEvents('aftercare-ses-events'))) return;
    await invoke(triggeredBy('ses-events'), {
      version: '0',
      id: crypto.randomUUID(),
      source: 'aws.ses',
      'detail-type': SES_DETAIL_TYPES[event.eventType],
      account: '000000000000',
      region: 'us-east-1',
      time: new Date(clock.now()).toISOString(),
      resources: [],
      detail: event,
    });
  });
  await preloadHandlers();
  // Virtual time starts when the cloud is ready: start-up must not eat virtual months.
  clock.anchor(startAt);
  setClockHold(() => clock.hold());
  runtime.observeInvocationsWith(() => clock.now());
  const clockSaver = clockFile ? setInterval(() => saveClock(clockFile, clock), 1000) : undefined;
  clockSaver?.unref();
  const {
    schedule: keeperSchedule,
    waiting,
    anyWaiting,
  } = await startRunKeeperSchedule({ clock, dynamodb, iam, tableName });
  const resumed = options.dataDir ? waiting : 0;
  ready = true;

  return {
    apiUrl,
    resumed,
    inboxUrl: `http://localhost:${new URL(ses.endpoint).port}`,
    clock,
    dynamodb,
    ses,
    stepFunctions,
    iam,
    keeperSchedule,
    async settle(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await dynamodb.drained(Math.max(1, deadline - Date.now()));
        await ses.drained();
        await stepFunctions.idle(Math.max(1, deadline - Date.now()));
        await dynamodb.drained(Math.max(1, deadline - Date.now()));
        if (stepFunctions.stats().byStatus.RUNNING !== undefined) continue;
        // Parked runs are waits too (no execution holds them): settled once the run keeper has none left.
        if (!(await anyWaiting())) return;
        if (Date.now() > deadline) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async fastForward(until, timeoutMs = 600_000) {
      const deadline = Date.now() + timeoutMs;
      const quiet = async () => {
        for (;;) {
          if (Date.now() > deadline) throw new Error(`fastForward did not finish within ${timeoutMs} ms`);
          await dynamodb.drained(Math.max(1, deadline - Date.now()));
          await ses.drained();
          const before = runtime.activity;
          await new Promise((resolve) => setTimeout(resolve, 3));
          if (runtime.runningInvocations() === 0 && runtime.activity === before && !dynamodb.busy()) return;
        }
      };
      for (;;) {
        await quiet();
        const next = clock.nextTimerAt();
        if (next === undefined || next > until) break;
        if (next > clock.now()) clock.advance(next - clock.now());
        else await new Promise((resolve) => setTimeout(resolve, 1));
      }
      if (until > clock.now()) clock.advance(until - clock.now());
      await quiet();
    },
    async stop() {
      ready = false;
      keeperSchedule.stop();
      if (clockSaver) clearInterval(clockSaver);
      if (clockFile) saveClock(clockFile, clock);
      stepFunctions.stopAll();
      await close(api);
      await invocationsSettled(5_000);
      await close(sfnServer);
      await ses.drained(); // configuration-set events still on their way need DynamoDB
      await invocationsSettled(5_000);
      await Promise.all([dynamodb.stop(), ses.stop()]);
      resetClients();
      setClientHook(() => undefined);
      restoreClock();
    },
  };
}

function resumeClock(file: string | undefined): number {
  if (!file) return Date.now();
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { virtualNow: number };
    return Math.max(Date.now(), saved.virtualNow);
  } catch {
    return Date.now();
  }
}

function saveClock(file: string, clock: VirtualClock): void {
  writeFileSync(file, JSON.stringify({ virtualNow: clock.now() }));
}
