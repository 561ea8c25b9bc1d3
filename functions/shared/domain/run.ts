import * as z from 'zod';
import { plannedStepSchema } from './step.ts';
import { SEQUENCES } from './vocabulary.ts';

/**
 * One wake-up of an execution: the moment it runs step `step`, or hops into a continuation (`hop`). A parking wake
 * (a hop that parks the run) also says until when (`until`: the step's time) and whether that is only the horizon
 * of one execution (`lifetime`: the step is planned afresh on unparking).
 */
export const wakeSchema = z.object({
  step: z.number().int().min(0),
  at: z.string(),
  hop: z.boolean().optional(),
  until: z.string().optional(),
  lifetime: z.boolean().optional(),
});
export type Wake = z.infer<typeof wakeSchema>;

/**
 * A run: one sequence for one purchase, as every workflow's execution input (`$.run` in workflows/*.asl.json) and
 * as the purchase keeps its plan. The Map state waits for each wake in order and hands it to the step function;
 * TypeScript computes every timestamp.
 */
export const runSchema = z.object({
  version: z.literal(2),
  storeId: z.string().min(1),
  orderId: z.string().min(1),
  sequence: z.enum(SEQUENCES),
  /** Base execution name; continuations add -g<n>. */
  name: z.string().min(1),
  plannedAt: z.string(),
  steps: z.array(plannedStepSchema),
  /** What this execution waits for: the steps due within its lifetime, then a hop if more remain. */
  wakes: z.array(wakeSchema),
  generation: z.number().int().min(0),
});
export type Run = z.infer<typeof runSchema>;

/** What the workflow's Task hands the step function: the run (as `state`, the ASL's name) and this wake. */
export const stepInputSchema = z.object({ state: runSchema, wake: wakeSchema });
export type StepInput = z.infer<typeof stepInputSchema>;

/** A run or step input that does not fit its schema: the message names the first field and what is wrong with it. */
export class InvalidRunError extends Error {
  override name = 'InvalidRunError';
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : '(root)';
  throw new InvalidRunError(`${what}: ${field}: ${issue?.message ?? 'invalid'}`);
}

/** The step function's input, checked where it arrives. */
export function parseStepInput(value: unknown): StepInput {
  return parseWith(stepInputSchema, value, 'step input');
}

/** A run rebuilt from what the table keeps (the keeper), checked before it starts an execution. */
export function parseRun(value: unknown): Run {
  return parseWith(runSchema, value, 'run');
}
