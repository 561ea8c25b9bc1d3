import { StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { sfnClient } from './clients.ts';
import { now as clockNow } from './clock.ts';
import { getConfig, getStore } from './config/load.ts';
import type { StoreConfig } from './config/schema.ts';
import { executionName, planSequence, wakesFrom } from './domain/plan.ts';
import type { Purchase } from './domain/purchase.ts';
import type { PurchaseRecord } from './domain/purchase-record.ts';
import type { Run, Wake } from './domain/run.ts';
import { planSurveyFollowUp } from './domain/survey.ts';
import { SEQUENCES, type SequenceName } from './domain/vocabulary.ts';
import { environment } from './env.ts';
import { logger } from './logger.ts';
import { updatePurchase } from './store/purchases.ts';
import { getRun, saveRun, touchRun } from './store/runs.ts';
import type { SurveyAnswer } from './store/surveys.ts';
import { claimPlanWakes } from './store/wake-slots.ts';

/** Starting and stopping sequence executions: the one place that speaks to Step Functions about purchases. */
export function stateMachineArn(sequence: SequenceName): string {
  return `${environment().AFTERCARE_STATE_MACHINE_PREFIX}${sequence}`;
}

export function executionArn(sequence: SequenceName, name: string): string {
  return `${stateMachineArn(sequence).replace(':stateMachine:', ':execution:')}:${name}`;
}

/** The execution of a run: the base name, or base-g<n> for the n-th generation (a postponement, a resumption). */
export function runExecutionName(run: Pick<Run, 'name' | 'generation'>): string {
  return run.generation > 0 ? `${run.name.slice(0, 74)}-g${run.generation}` : run.name;
}

const HOUR_MS = 3_600_000;
/**
 * A wake further than this from the start of an execution is not waited for in Step Functions: the run parks and
 * the run keeper starts its next generation shortly before. Open executions stay ≈ wakes/day × (horizon + lead)
 * (infra/aws/DEPLOY.md "Parked runs"). Two days keep a thanks due tomorrow morning inside its execution.
 */
export const PARK_HORIZON_MS = 48 * HOUR_MS;
/** A parked run is due this long before its wake: the keeper (every few minutes, paced) has hours to start it. */
export const PARK_LEAD_MS = 3 * HOUR_MS;
/** A live run not heard from this long after its next wake is checked by the keeper (DescribeExecution). */
export const HEARTBEAT_GRACE_MS = 2 * HOUR_MS;

/**
 * A parking wake: runs at once (`at`), parks the run until its step's wake (`until`). `lifetime`: `until` is only
 * the horizon of one execution (wakesFrom's 360-day hop), not the step's time, which is planned afresh on unparking.
 */
export interface ParkingWake extends Wake {
  hop: true;
  until: string;
  lifetime?: true;
}

/**
 * The wakes an execution started at `start` really waits for: those within the park horizon; the first beyond it
 * becomes a parking wake at the time of the last one kept (the execution parks the run and ends instead of waiting).
 */
export function parkBeyondHorizon(wakes: readonly Wake[], start: number): Wake[] {
  const kept: Wake[] = [];
  for (const wake of wakes) {
    if (Date.parse(wake.at) <= start + PARK_HORIZON_MS && !wake.hop) {
      kept.push(wake);
      continue;
    }
    const at = new Date(Math.max(start, Date.parse(kept.at(-1)?.at ?? '') || start)).toISOString();
    const parking: ParkingWake = {
      step: wake.step,
      at,
      hop: true,
      until: wake.at,
      ...(wake.hop ? { lifetime: true } : {}),
    };
    kept.push(parking);
    break;
  }
  return kept;
}

/** The step a run waits for next after `wake` (its index in `run.wakes`), or undefined when the run is over. */
function nextWake(run: Run, after: Wake | undefined): Wake | undefined {
  if (!after) return run.wakes[0];
  const index = run.wakes.findIndex((wake) => wake.step === after.step && wake.at === after.at);
  return index < 0 ? undefined : run.wakes[index + 1];
}

/** Runs that are not a stored plan of the purchase (an answer's follow-up) keep their steps on the run item. */
function isStoredPlan(run: Run): boolean {
  return run.name === executionName(run.storeId, run.orderId, run.sequence);
}

function runItem(run: Run, at: number, next: Wake | undefined) {
  const live = next && !next.hop ? Date.parse(next.at) + HEARTBEAT_GRACE_MS : undefined;
  return {
    storeId: run.storeId,
    orderId: run.orderId,
    sequence: run.sequence,
    name: run.name,
    generation: run.generation,
    plannedAt: run.plannedAt,
    ...(isStoredPlan(run) ? {} : { steps: run.steps }),
    at: new Date(at).toISOString(),
    ...(next
      ? {
          state: 'live' as const,
          nextStep: next.step,
          ...(next.hop ? {} : { wakeAt: next.at }),
          // A parking wake runs at once: heard from within the grace, or the keeper looks.
          dueAt: new Date(live ?? Date.parse(next.at) + HEARTBEAT_GRACE_MS).toISOString(),
        }
      : { state: 'done' as const, nextStep: run.steps.length }),
  };
}

/**
 * Starts a run: its run item first (live, heartbeat due after its first wake), then the execution, so a start
 * that fails in between is found by the keeper. An existing execution of that name means it was already started
 * (Standard name idempotency); a newer generation already recorded means this one must not start.
 */
export async function startRun(
  plan: Run,
  event: { event: 'started' | 'unparked' | 'resumed'; reason?: string } = { event: 'started' },
): Promise<boolean> {
  const now = clockNow();
  const run = { ...plan, wakes: parkBeyondHorizon(plan.wakes, now) };
  const previous = await getRun(run.storeId, run.orderId, run.name);
  const saved = await saveRun(
    runItem(run, now, run.wakes[0]),
    { ...event, step: run.wakes[0]?.step },
    previous,
    'newer',
  );
  // Already recorded: start again only the same generation's live run (a retried start), never an older one.
  if (!saved) {
    const current = await getRun(run.storeId, run.orderId, run.name);
    if (!current || current.generation !== run.generation || current.state !== 'live') return false;
  }
  if (run.wakes.length === 0) return true;
  try {
    await sfnClient().send(
      new StartExecutionCommand({
        stateMachineArn: stateMachineArn(run.sequence),
        name: runExecutionName(run),
        input: JSON.stringify(run),
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
  }
  return true;
}

/**
 * Starts generation `run.generation + 1` of a run at step `from` (after a postponement, or when the keeper unparks
 * or heals it) and marks it on the purchase: the older generation's remaining wakes then stand down, and a
 * cancellation stops every generation. Started before it is marked: a failure in between is retried by the
 * workflow (or found by the keeper) and never loses the step.
 */
export async function continueRun(
  run: Run,
  from: number,
  now: number,
  times: ReadonlyMap<number, number>,
  reason: 'long-wait' | 'postponed' | 'unparked' | 'resumed',
  detail?: string,
): Promise<number> {
  const generation = run.generation + 1;
  const event = reason === 'unparked' || reason === 'resumed' ? reason : 'started';
  await startRun(
    { ...run, generation, wakes: wakesFrom(run.steps, from, now, times) },
    { event, ...(detail || reason === 'postponed' ? { reason: detail ?? reason } : {}) },
  );
  await updatePurchase(run.storeId, run.orderId, new Date(now).toISOString(), (current) =>
    current && (current.runGenerations?.[run.name] ?? 0) < generation
      ? { ...current, runGenerations: { ...current.runGenerations, [run.name]: generation } }
      : undefined,
  );
  logger.info('sequence continued in a new execution', {
    storeId: run.storeId,
    orderId: run.orderId,
    sequence: run.sequence,
    generation,
    reason,
  });
  return generation;
}

/** The execution ends at a parking wake: the run item says when the keeper starts the next generation. */
export async function parkRun(
  run: Run,
  wake: Wake & { until?: string; lifetime?: boolean },
  now: number,
): Promise<boolean> {
  const wakeAt = wake.until ?? wake.at;
  const previous = await getRun(run.storeId, run.orderId, run.name);
  const parked = await saveRun(
    {
      ...runItem(run, now, wake),
      state: 'parked',
      nextStep: wake.step,
      ...(wake.lifetime ? {} : { wakeAt }),
      dueAt: new Date(Math.max(now, Date.parse(wakeAt) - PARK_LEAD_MS)).toISOString(),
    },
    { event: 'parked', step: wake.step, ...(wake.lifetime ? { reason: 'execution-lifetime' } : {}) },
    previous,
    'same',
  );
  if (parked) logger.info('run parked', { storeId: run.storeId, orderId: run.orderId, sequence: run.sequence, wakeAt });
  return parked;
}

/** Heartbeat after a wake: the run waits for its next wake (due then + grace), or is done after its last. */
export async function heartbeat(run: Run, wake: Wake, now: number): Promise<void> {
  const next = nextWake(run, wake);
  const item = runItem(run, now, next);
  // A wake with more to come adds no event to the run's history: one write, no read.
  if (item.state === 'live') {
    await touchRun(item);
    return;
  }
  const previous = await getRun(run.storeId, run.orderId, run.name);
  await saveRun(item, { event: 'done' }, previous, 'same');
}

/** Plans the sequences once per purchase (kept on the purchase: each run keeps its plan), then starts each. */
export async function startSequences(record: PurchaseRecord, at: string, arrivedAt?: string): Promise<void> {
  const purchase = record.purchase;
  if (record.status !== 'open' || !purchase?.customer.email) return;
  const store = getStore(record.storeId);
  if (!store) return;
  const sequences = record.sequences ?? (await keepPlans(record, await planAll(purchase, store, arrivedAt), at));
  if (!sequences) return;
  for (const plan of Object.values(sequences)) if (plan) await startRun(plan);
  logger.info('sequences started', {
    storeId: record.storeId,
    orderId: record.orderId,
    sequences: Object.keys(sequences),
  });
}

type Plans = Partial<Record<SequenceName, Run>>;

/** Every sequence's plan for the purchase, each planned wake having claimed its second. */
async function planAll(purchase: Purchase, store: StoreConfig, arrivedAt: string | undefined): Promise<Plans> {
  const context = {
    config: getConfig(),
    store,
    now: clockNow(),
    ...(arrivedAt ? { arrivedAt: Date.parse(arrivedAt) } : {}),
  };
  const plans: Plans = {};
  for (const sequence of SEQUENCES) {
    const plan = planSequence(sequence, purchase, context);
    // Each planned wake claims its second in the wake-slot counter (issue 13: no thundering second).
    if (plan) plans[sequence] = await claimPlanWakes(plan, context.now, context.config.sending.maxWakesPerSecond);
  }
  return plans;
}

/** Keeps the plans on the purchase if it is still open and unplanned; the plans kept, or undefined if not open. */
async function keepPlans(record: PurchaseRecord, plans: Plans, at: string): Promise<Plans | undefined> {
  const saved = await updatePurchase(record.storeId, record.orderId, at, (current) =>
    current && !current.sequences && current.status === 'open' ? { ...current, sequences: plans } : undefined,
  );
  return saved?.status === 'open' ? saved.sequences : undefined;
}

/** A whole order cancelled or refunded: stop every generation of its runs (each step would skip anyway). */
export async function stopSequences(record: PurchaseRecord): Promise<void> {
  for (const plan of Object.values(record.sequences ?? {})) {
    if (!plan) continue;
    const newest = record.runGenerations?.[plan.name] ?? 0;
    for (let generation = 0; generation <= newest; generation += 1) {
      try {
        await sfnClient().send(
          new StopExecutionCommand({
            executionArn: executionArn(plan.sequence, runExecutionName({ name: plan.name, generation })),
            error: 'Aftercare.OrderClosed',
            cause: `order ${record.status}`,
          }),
        );
      } catch (error) {
        if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
      }
    }
  }
}

/** A recorded survey answer feeds the survey workflow at once: the runs it calls for (`planSurveyFollowUp`) start. */
export async function startSurveyFollowUp(record: PurchaseRecord, answer: SurveyAnswer): Promise<Run[]> {
  const store = getStore(record.storeId);
  if (!record.purchase || !store) return [];
  const runs = planSurveyFollowUp({ ...record, purchase: record.purchase }, answer, store, clockNow());
  for (const each of runs) await startRun(each);
  return runs;
}
