import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { sfnClient } from '../shared/clients.ts';
import { now as clockNow } from '../shared/clock.ts';
import { InvalidRunError, parseRun, type Run } from '../shared/domain/run.ts';
import { logger } from '../shared/logger.ts';
import { count } from '../shared/metrics.ts';
import { continueRun, executionArn, HEARTBEAT_GRACE_MS, runExecutionName } from '../shared/sequences.ts';
import { listDecisions } from '../shared/store/decisions.ts';
import { getPurchase } from '../shared/store/purchases.ts';
import { dueRuns, type RunRecord, saveRun } from '../shared/store/runs.ts';
import { RUN_SHARDS } from '../shared/store/schema.ts';
import { type ExecutionStatus, judgeRun } from './judge.ts';

export interface KeeperBudget {
  /** Step Functions calls (StartExecution, DescribeExecution) per second this run may make. */
  callsPerSecond: number;
  /** Real milliseconds left before the function's timeout. */
  remainingMs: () => number;
}

export interface KeeperReport {
  examined: number;
  unparked: number;
  resumed: number;
  pushed: number;
  done: number;
  /** Out of time with due runs left: the next scheduled run takes them (nothing is lost, they stay due). */
  stoppedEarly: boolean;
}

/** Stop this long before the timeout: one run's handling (a few calls) fits many times over. */
const STOP_MARGIN_MS = 8_000;
const PAGE = 50;

/** Paces calls at `perSecond` (a burst of one second): the keeper never takes the account's whole bucket. */
function pacer(perSecond: number): () => Promise<void> {
  let tokens = perSecond;
  let last = Date.now();
  return async () => {
    for (;;) {
      const real = Date.now();
      tokens = Math.min(perSecond, tokens + ((real - last) / 1000) * perSecond);
      last = real;
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - tokens) / perSecond) * 1000)));
    }
  };
}

/**
 * One scheduled pass of the run keeper: every run due in GSI3 (one Query per shard, paged) is unparked, healed,
 * pushed or closed (judge.ts). Each email still goes out at most once: a resumed run passes over decided steps.
 */
export async function keepRuns(budget: KeeperBudget): Promise<KeeperReport> {
  const report: KeeperReport = { examined: 0, unparked: 0, resumed: 0, pushed: 0, done: 0, stoppedEarly: false };
  const pace = pacer(budget.callsPerSecond);
  for (let shard = 0; shard < RUN_SHARDS; shard += 1) {
    let startKey: Awaited<ReturnType<typeof dueRuns>>['next'];
    do {
      if (budget.remainingMs() < STOP_MARGIN_MS) {
        report.stoppedEarly = true;
        return report;
      }
      const page = await dueRuns(shard, clockNow(), PAGE, startKey);
      for (const run of page.runs) {
        if (budget.remainingMs() < STOP_MARGIN_MS) {
          report.stoppedEarly = true;
          return report;
        }
        report.examined += 1;
        await keepRun(run, pace, report);
      }
      startKey = page.next;
    } while (startKey);
  }
  return report;
}

// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one run's judgement: read, ask Step Functions, act; each branch is a line of the keeper's contract
async function keepRun(run: RunRecord, pace: () => Promise<void>, report: KeeperReport): Promise<void> {
  const record = await getPurchase(run.storeId, run.orderId);
  const stored = record?.sequences?.[run.sequence];
  const steps = stored?.name === run.name ? stored.steps : run.steps;
  const generation = Math.max(run.generation, record?.runGenerations?.[run.name] ?? 0);
  let execution: ExecutionStatus | undefined;
  if (run.state === 'live' && record?.status === 'open') {
    await pace();
    execution = await executionStatus(run, generation);
  }
  // A parked run's steps may have been decided meanwhile (covered by another order's email): they need no wake.
  const decisions =
    (run.state === 'live' && execution !== 'RUNNING') || run.state === 'parked'
      ? (await listDecisions(run.storeId, run.orderId)).filter((each) => each.sequence === run.sequence)
      : [];
  const now = clockNow();
  const verdict = judgeRun({
    run,
    open: record?.status === 'open',
    steps,
    decisions,
    ...(execution ? { execution } : {}),
    now,
    graceMs: HEARTBEAT_GRACE_MS,
  });
  const at = new Date(now).toISOString();
  const facts = { storeId: run.storeId, orderId: run.orderId, sequence: run.sequence, generation };
  switch (verdict.action) {
    case 'push':
      await saveRun({ ...run, dueAt: new Date(verdict.dueAt).toISOString(), at }, undefined, run, 'same');
      report.pushed += 1;
      return;
    case 'done':
      await saveRun(
        { ...run, state: 'done', dueAt: undefined, at },
        { event: 'done', reason: verdict.reason },
        run,
        'same',
      );
      report.done += 1;
      return;
    default: {
      const resumed = readRun(run, steps, stored?.plannedAt ?? at, generation);
      if (!resumed) return;
      await pace();
      const reason = verdict.action === 'unpark' ? 'unparked' : 'resumed';
      const detail = verdict.action === 'resume' ? verdict.reason : undefined;
      await continueRun(resumed, verdict.from, now, verdict.times, reason, detail);
      if (verdict.action === 'unpark') {
        report.unparked += 1;
        count('RunsUnparked', { sequence: run.sequence });
      } else {
        report.resumed += 1;
        count('RunsResumed', { sequence: run.sequence });
        logger.warn('run resumed by the keeper', { ...facts, reason: verdict.reason, from: verdict.from });
      }
    }
  }
}

/**
 * The run to continue, rebuilt from its run item and the purchase's stored plan, and parsed like the step function
 * parses it. A plan that does not parse is logged (the field, no data) and left: the other due runs go on.
 */
function readRun(run: RunRecord, steps: RunRecord['steps'], plannedAt: string, generation: number): Run | undefined {
  try {
    return parseRun({
      version: 2,
      storeId: run.storeId,
      orderId: run.orderId,
      sequence: run.sequence,
      name: run.name,
      plannedAt: run.plannedAt ?? plannedAt,
      steps: steps ?? [],
      wakes: [],
      generation,
    });
  } catch (error) {
    if (!(error instanceof InvalidRunError)) throw error;
    logger.error('run not continued: its plan does not parse', {
      storeId: run.storeId,
      orderId: run.orderId,
      sequence: run.sequence,
      error: error.message,
    });
    return undefined;
  }
}

async function executionStatus(run: RunRecord, generation: number): Promise<ExecutionStatus> {
  try {
    const result = await sfnClient().send(
      new DescribeExecutionCommand({
        executionArn: executionArn(run.sequence, runExecutionName({ name: run.name, generation })),
      }),
    );
    return (result.status ?? 'missing') as ExecutionStatus;
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return 'missing';
    throw error;
  }
}
