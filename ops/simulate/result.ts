import type { Tally } from './customers.ts';

/** What one simulation measured (one shard's, or the shards' merged). */
export interface SimulationResult {
  purchases: number;
  months: number;
  seed: number;
  timeScale: number;
  realSeconds: number;
  tally: Tally;
  emails: number;
  executions: number;
  byStatus: Record<string, number>;
  transitions: number;
  invocations: Record<string, number>;
  /** Real milliseconds spent in each function (sum): the local stand-in for Lambda's billed duration. */
  invocationMs: Record<string, number>;
  /** DynamoDB requests by operation, without the simulator's own probes. */
  dynamodb: Record<string, number>;
}
