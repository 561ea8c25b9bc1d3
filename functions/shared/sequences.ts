import { StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { sfnClient } from './clients.ts';
import { now as clockNow } from './clock.ts';
import { getConfig, getStore } from './config/load.ts';
import { executionName, type PlannedStep, planSequence, type SequenceRun, wakesFrom } from './domain/plan.ts';
import { SEQUENCES, type SequenceName } from './domain/vocabulary.ts';
import { environment } from './env.ts';
import { logger } from './logger.ts';
import type { PurchaseRecord } from './store/purchases.ts';
import { updatePurchase } from './store/purchases.ts';
import type { SurveyAnswer } from './store/surveys.ts';

/** Starting and stopping sequence executions: the one place that speaks to Step Functions about purchases. */
export function stateMachineArn(sequence: SequenceName): string {
  return `${environment().AFTERCARE_STATE_MACHINE_PREFIX}${sequence}`;
}

export function executionArn(sequence: SequenceName, name: string): string {
  return `${stateMachineArn(sequence).replace(':stateMachine:', ':execution:')}:${name}`;
}

/** The execution of a run: the base name, or base-g<n> for the n-th continuation of a long wait. */
export function runExecutionName(run: Pick<SequenceRun, 'name' | 'generation'>): string {
  return run.generation > 0 ? `${run.name.slice(0, 74)}-g${run.generation}` : run.name;
}

/** Starts a run; an existing execution of that name means it was already started (Standard name idempotency). */
export async function startRun(run: SequenceRun): Promise<void> {
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
}

/** Plans the sequences once per purchase (kept on the purchase: each run keeps its plan), then starts each. */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: predates the rule; left whole so the branches editing it merge cleanly (issue 16)
export async function startSequences(record: PurchaseRecord, at: string, arrivedAt?: string): Promise<void> {
  if (record.status !== 'open' || !record.purchase?.customer.email) return;
  const store = getStore(record.storeId);
  if (!store) return;
  let sequences = record.sequences;
  if (!sequences) {
    const context = {
      config: getConfig(),
      store,
      now: clockNow(),
      ...(arrivedAt ? { arrivedAt: Date.parse(arrivedAt) } : {}),
    };
    const plans: Partial<Record<SequenceName, SequenceRun>> = {};
    for (const sequence of SEQUENCES) {
      const plan = record.purchase ? planSequence(sequence, record.purchase, context) : undefined;
      if (plan) plans[sequence] = plan;
    }
    const saved = await updatePurchase(record.storeId, record.orderId, at, (current) =>
      current && !current.sequences && current.status === 'open' ? { ...current, sequences: plans } : undefined,
    );
    sequences = saved?.sequences;
    if (!sequences || saved?.status !== 'open') return;
  }
  for (const plan of Object.values(sequences)) if (plan) await startRun(plan);
  logger.info('sequences started', {
    storeId: record.storeId,
    orderId: record.orderId,
    sequences: Object.keys(sequences),
  });
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

const ANSWER_SETTLE_MS = 15 * 60_000;

/** Detractor: 0–6 (NPS) or 1–2 (CSAT). Promoter: 9–10 (NPS) or 5 (CSAT). */
export function answerGroup(answer: Pick<SurveyAnswer, 'kind' | 'score'>): 'detractor' | 'passive' | 'promoter' {
  if (answer.kind === 'nps') return answer.score <= 6 ? 'detractor' : answer.score >= 9 ? 'promoter' : 'passive';
  return answer.score <= 2 ? 'detractor' : answer.score >= 5 ? 'promoter' : 'passive';
}

/** A detractor is asked for a review too (no gating), but only once support has had a week to put things right. */
const REVIEW_AFTER_DETRACTOR_MS = 7 * 86_400_000;

/**
 * A recorded survey answer feeds the survey workflow at once: a detractor gets the alert to the store's support
 * address and a "sorry, we're on it" email. Every customer who answered — whatever the score, as Google's and
 * Trustpilot's review policies and the FTC's rule on reviews require — gets one review request (`reviewRequests`),
 * a detractor's a week later. One run per purchase and purpose, so changing the answer never repeats an email.
 */
export async function startSurveyFollowUp(record: PurchaseRecord, answer: SurveyAnswer): Promise<SequenceRun[]> {
  const group = answerGroup(answer);
  const store = getStore(record.storeId);
  if (!record.purchase || !store) return [];
  const now = clockNow();
  const lineIds = record.purchase.lineItems.map((item) => item.lineId);
  const base = { anchor: 'none' as const, offsetMs: 0, lineIds, data: { kind: answer.kind } };
  const run = (suffix: string, at: number, steps: PlannedStep[]): SequenceRun => ({
    version: 2,
    storeId: record.storeId,
    orderId: record.orderId,
    sequence: 'satisfaction-survey',
    name: executionName(record.storeId, record.orderId, 'satisfaction-survey', suffix),
    plannedAt: new Date(at).toISOString(),
    steps,
    wakes: wakesFrom(steps, 0, now),
    generation: 0,
  });
  const runs: SequenceRun[] = [];
  if (group === 'detractor') {
    // The page records the clicked score at once; a comment often follows within minutes. The alert waits a little
    // so it carries the comment (the step reads the latest answer when it sends).
    const at = new Date(now + ANSWER_SETTLE_MS).toISOString();
    runs.push(
      run('-detractor', now + ANSWER_SETTLE_MS, [
        {
          ...base,
          at,
          key: 'detractor-alert',
          template: 'satisfaction-survey/detractor-alert',
          category: 'service',
          to: 'store',
        },
        { ...base, at, key: 'sorry', template: 'satisfaction-survey/sorry', category: 'service', to: 'customer' },
      ]),
    );
  }
  if (store.reviewUrl && store.reviewRequests === 'every-answer') {
    const reviewAt = now + (group === 'detractor' ? REVIEW_AFTER_DETRACTOR_MS : 0);
    runs.push(
      run('-review', reviewAt, [
        {
          ...base,
          at: new Date(reviewAt).toISOString(),
          key: 'review-request',
          template: 'satisfaction-survey/review-request',
          category: 'surveys',
          to: 'customer',
        },
      ]),
    );
  }
  for (const each of runs) await startRun(each);
  return runs;
}
