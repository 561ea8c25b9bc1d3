import { createHash } from 'node:crypto';
import type { SequenceName } from '../functions/shared/domain/vocabulary.ts';
import {
  allStates,
  readWorkflow,
  type StateMachineDefinition,
  substitute,
  workflowSubstitutions,
  workflows,
} from '../infra/workflows.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './account.ts';
import { loadEngine } from './asl-engine.ts';
import type { LocalReply, LocalRequest } from './in-process.ts';
import { LambdaServiceError } from './lambda-runtime.ts';
import { PerSecond } from './observations.ts';
import {
  historyEventsFor,
  STEP_FUNCTIONS_LIMITS,
  type StepFunctionsLimits,
  TerminalStatesError,
  TokenBucket,
} from './sfn-limits.ts';
import type { VirtualClock } from './virtual-clock.ts';

export type TaskHandler = (input: unknown) => Promise<unknown>;

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  status: Status;
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  transitions: number;
  historyEvents: number;
  abort: () => void;
  done: Promise<void>;
}

/** An execution that ended FAILED or TIMED_OUT: what benchmarks report (a lost step shows up here first). */
export interface ExecutionFailure {
  name: string;
  status: 'FAILED' | 'TIMED_OUT';
  error?: string;
  cause?: string;
}

const failureOf = (execution: Execution): ExecutionFailure | undefined =>
  execution.status === 'FAILED' || execution.status === 'TIMED_OUT'
    ? {
        name: execution.name,
        status: execution.status,
        ...(execution.error ? { error: execution.error } : {}),
        ...(execution.cause ? { cause: execution.cause.slice(0, 300) } : {}),
      }
    : undefined;

export class StepFunctionsError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export function localStateMachineArn(sequence: SequenceName): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:aftercare-${sequence}`;
}

export function localFunctionArn(name: string): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:aftercare-${name}`;
}

/**
 * The part of the Step Functions API Aftercare uses (StartExecution with Standard name idempotency,
 * StopExecution, DescribeExecution, ListExecutions), running workflows/sequence.asl.json unchanged with
 * aws-local-stepfunctions on a virtual clock. Task states call the same handler modules in-process.
 * Standard workflows' rules apply (sfn-limits.ts): names taken for 90 days after an execution closes, the
 * open-executions quota, the StartExecution token bucket, 256 KiB data, one year, 25,000 history events.
 */
/**
 * The Task handlers of one execution, which refuse once it has closed. The interpreter starts a Map's queued
 * iterations even after the Map has failed (its concurrency limiter still holds them); on AWS a failed Map stops
 * them all, so a failed, stopped or timed-out execution never wakes its function again.
 */
function whileOpen(
  handlers: Record<string, TaskHandler>,
  execution: () => Execution | undefined,
): Record<string, TaskHandler> {
  return Object.fromEntries(
    Object.entries(handlers).map(([state, handler]) => [
      state,
      (input: unknown) => {
        const status = execution()?.status ?? 'RUNNING';
        if (status !== 'RUNNING')
          return Promise.reject(new TerminalStatesError('States.Runtime', `The execution is ${status}.`));
        return handler(input);
      },
    ]),
  );
}

export class LocalStepFunctions {
  private readonly machines = new Map<string, { definition: object; taskStates: Record<string, TaskHandler> }>();
  private readonly executions = new Map<string, Execution>();
  /** Closed executions in the order they closed (the virtual clock only moves forward), for forgetting them. */
  private readonly closed: Execution[] = [];
  private closedForgotten = 0;
  /** What executions forgotten 90 days after closing still count for: stats(), lifetimes(), failures. */
  private readonly forgotten = {
    byStatus: {} as Record<string, number>,
    transitions: 0,
    lifetimes: [] as { stateMachineArn: string; name: string; startDate: number; stopDate: number }[],
    failures: [] as ExecutionFailure[],
  };
  private readonly engine;
  /** The quotas enforced (sfn-limits.ts); tests lower one to reach it. */
  readonly limits: StepFunctionsLimits = { ...STEP_FUNCTIONS_LIMITS };
  private readonly startBucket: TokenBucket;
  /** What benchmarks read (bench:capacity): calls, starts, wakes and transitions on the virtual clock; read-only. */
  readonly observed = {
    /** Every StartExecution call, refused or not. */
    startCalls: new PerSecond(),
    /** StartExecution refusals by error type (ExecutionLimitExceeded, ThrottlingException…). */
    startRefusals: {} as Record<string, number>,
    /** Executions actually started. */
    started: 0,
    peakOpen: 0,
    transitions: new PerSecond(),
    /** Task invocations of the step functions (retries included), by state machine ARN. */
    wakes: new Map<string, PerSecond>(),
  };

  constructor(
    private readonly clock: VirtualClock,
    /** Resolves a Task state's Resource ARN to the handler behind it. */
    resolveTask: (resourceArn: string) => TaskHandler,
  ) {
    this.engine = loadEngine(clock);
    this.startBucket = new TokenBucket(
      () => ({ burst: this.limits.startExecutionBurst, perSecond: this.limits.startExecutionPerSecond }),
      () => clock.now(),
    );
    for (const workflow of workflows) {
      const text = substitute(
        readWorkflow(workflow),
        workflowSubstitutions(workflow.sequence, localFunctionArn(`${workflow.sequence}-step`)),
      );
      const definition = JSON.parse(text) as StateMachineDefinition;
      const taskStates: Record<string, TaskHandler> = {};
      const arn = localStateMachineArn(workflow.sequence);
      const wakes = new PerSecond();
      this.observed.wakes.set(arn, wakes);
      for (const [stateName, state] of allStates(definition)) {
        if (state.Type === 'Task' && state.Resource)
          taskStates[stateName] = this.guard(resolveTask(state.Resource), wakes);
      }
      // Validated once here, as CreateStateMachine does on AWS; executions then skip the (slow) validation.
      new this.engine.StateMachine(definition as never, { validationOptions: { checkArn: false } });
      this.machines.set(arn, { definition, taskStates });
    }
  }

  startExecution(request: { stateMachineArn?: string; name?: string; input?: string }) {
    this.observed.startCalls.record(this.clock.now());
    try {
      return this.start(request);
    } catch (error) {
      if (error instanceof StepFunctionsError)
        this.observed.startRefusals[error.type] = (this.observed.startRefusals[error.type] ?? 0) + 1;
      throw error;
    }
  }

  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the local Step Functions API's request checks, one after another as AWS documents them
  private start(request: { stateMachineArn?: string; name?: string; input?: string }) {
    const stateMachineArn = request.stateMachineArn ?? '';
    const machine = this.machines.get(stateMachineArn);
    if (!machine)
      throw new StepFunctionsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    const name = request.name ?? crypto.randomUUID();
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new StepFunctionsError('InvalidName', `Invalid Name: '${name}'`);
    const input = request.input ?? '{}';
    if (Buffer.byteLength(input) > this.limits.maxPayloadBytes) {
      throw new StepFunctionsError(
        'ValidationException',
        `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${this.limits.maxPayloadBytes}`,
      );
    }
    let parsedInput: unknown;
    try {
      parsedInput = JSON.parse(input);
    } catch {
      throw new StepFunctionsError('InvalidExecutionInput', 'Invalid State Machine Execution Input');
    }
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.executions.get(executionArn);
    const startDate = this.clock.now();
    // A closed execution's name is free again once its 90 days of history are gone.
    const expired = existing?.stopDate !== undefined && startDate - existing.stopDate >= this.limits.nameRetentionMs;
    if (existing && !expired) {
      // Standard workflows: same name and input while still running returns the original execution.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: existing.startDate / 1000 };
      }
      throw new StepFunctionsError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    if (this.openExecutions >= this.limits.maxOpenExecutions) {
      throw new StepFunctionsError(
        'ExecutionLimitExceeded',
        `Maximum number of running executions (${this.limits.maxOpenExecutions}) reached`,
      );
    }
    if (!this.startBucket.take()) throw new StepFunctionsError('ThrottlingException', 'Rate exceeded');
    if (expired) this.forget(existing);
    this.forgetExpired(startDate);
    const stateMachine = new this.engine.StateMachine(machine.definition as never, {
      validationOptions: { noValidate: true },
    });
    let registered: Execution | undefined;
    const run = stateMachine.run(parsedInput as never, {
      noThrowOnAbort: true,
      overrides: { taskResourceLocalHandlers: whileOpen(machine.taskStates, () => registered) as never },
      context: {
        Execution: { Id: executionArn, Name: name, StartTime: new Date(startDate).toISOString() },
        StateMachine: { Id: stateMachineArn, Name: stateMachineArn.split(':').pop() },
      } as never,
    });
    const execution: Execution = {
      executionArn,
      stateMachineArn,
      name,
      input,
      status: 'RUNNING',
      startDate,
      transitions: 0,
      historyEvents: 0,
      abort: run.abort,
      done: Promise.resolve(),
    };
    registered = execution;
    this.executions.set(executionArn, execution);
    this.openExecutions += 1;
    this.observed.started += 1;
    this.observed.peakOpen = Math.max(this.observed.peakOpen, this.openExecutions);
    const countTransitions = (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered') {
          execution.transitions += 1;
          this.observed.transitions.record(this.clock.now());
        }
        execution.historyEvents += historyEventsFor(event as never);
        if (execution.historyEvents > this.limits.maxHistoryEvents && execution.status === 'RUNNING') {
          this.close(execution, 'FAILED', {
            error: 'States.Runtime',
            cause: `The execution reached the maximum number of history events (${this.limits.maxHistoryEvents}).`,
          });
          run.abort();
        }
      }
    })();
    // One year at most (virtual time): then the execution times out, wherever it is.
    const maxDuration = this.clock.setTimeout(() => {
      if (execution.status !== 'RUNNING') return;
      this.close(execution, 'TIMED_OUT', {
        error: 'States.Timeout',
        cause: 'The execution reached the maximum duration of one year.',
      });
      run.abort();
    }, this.limits.maxDurationMs);
    execution.done = run.result.then(
      (output) => {
        if (execution.status !== 'RUNNING') return;
        const text = JSON.stringify(output);
        if (Buffer.byteLength(text) > this.limits.maxPayloadBytes) {
          this.close(execution, 'FAILED', dataLimit('execution output'));
          return;
        }
        this.close(execution, 'SUCCEEDED', {});
        execution.output = text;
      },
      (error: Error & { cause?: unknown }) => {
        if (execution.status !== 'RUNNING') return;
        const root = (error.cause as Error | undefined) ?? error;
        this.close(execution, error.name === 'ExecutionTimeoutError' ? 'TIMED_OUT' : 'FAILED', {
          error: root.name,
          cause: root.message,
        });
      },
    );
    execution.done = execution.done
      .then(() => countTransitions)
      .catch(() => undefined)
      .finally(() => {
        this.clock.clearTimeout(maxDuration);
        // The interpreter's state is no longer needed once the run has ended; only the record stays.
        execution.abort = () => undefined;
      });
    return { executionArn, startDate: startDate / 1000 };
  }

  stopExecution(request: { executionArn?: string; error?: string; cause?: string }) {
    const execution = this.find(request.executionArn);
    if (execution.status === 'RUNNING') {
      this.close(execution, 'ABORTED', { error: request.error, cause: request.cause });
      execution.abort();
    }
    return { stopDate: (execution.stopDate ?? this.clock.now()) / 1000 };
  }

  describeExecution(request: { executionArn?: string }) {
    const execution = this.find(request.executionArn);
    return {
      ...this.summary(execution),
      input: execution.input,
      output: execution.output,
      error: execution.error,
      cause: execution.cause,
    };
  }

  listExecutions(request: {
    stateMachineArn?: string;
    statusFilter?: Status;
    maxResults?: number;
    nextToken?: string;
  }) {
    if (!this.machines.has(request.stateMachineArn ?? '')) {
      throw new StepFunctionsError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${request.stateMachineArn}'`,
      );
    }
    const all = [...this.executions.values()]
      .filter((e) => e.stateMachineArn === request.stateMachineArn)
      .filter((e) => !request.statusFilter || e.status === request.statusFilter)
      .sort((a, b) => b.startDate - a.startDate);
    const offset = request.nextToken ? Number(Buffer.from(request.nextToken, 'base64url').toString()) : 0;
    const pageSize = Math.min(Math.max(request.maxResults || 100, 1), 1000);
    const page = all.slice(offset, offset + pageSize);
    const nextOffset = offset + page.length;
    return {
      executions: page.map((e) => this.summary(e)),
      nextToken: nextOffset < all.length ? Buffer.from(String(nextOffset)).toString('base64url') : undefined,
    };
  }

  /** Totals for benchmarks and tests: executions by status and state transitions. */
  stats() {
    const byStatus: Record<string, number> = { ...this.forgotten.byStatus };
    let transitions = this.forgotten.transitions;
    for (const execution of this.executions.values()) {
      byStatus[execution.status] = (byStatus[execution.status] ?? 0) + 1;
      transitions += execution.transitions;
    }
    return { executions: this.executions.size + this.forgotten.lifetimes.length, byStatus, transitions };
  }

  /** Each execution's start, stop (while open: none) and input (forgotten ones: none), for benchmarks; read-only. */
  lifetimes(): { stateMachineArn: string; name: string; startDate: number; stopDate?: number; input?: string }[] {
    return [
      ...this.forgotten.lifetimes,
      ...[...this.executions.values()].map(({ stateMachineArn, name, startDate, stopDate, input }) => ({
        stateMachineArn,
        name,
        startDate,
        input,
        ...(stopDate === undefined ? {} : { stopDate }),
      })),
    ];
  }

  /**
   * Closed executions 90 days past their stop date are gone, as on AWS (their name is free again); the local cloud
   * keeps only their counts, so a two-year run holds the last 90 days of executions, not every one ever started.
   */
  private forgetExpired(now: number): void {
    while (this.closedForgotten < this.closed.length) {
      const oldest = this.closed[this.closedForgotten] as Execution;
      if (now - (oldest.stopDate ?? now) < this.limits.nameRetentionMs) break;
      this.closedForgotten += 1;
      if (this.executions.get(oldest.executionArn) === oldest) this.forget(oldest);
    }
    // Drop the forgotten prefix now and then, so the queue stays as long as 90 days of closings.
    if (this.closedForgotten > 1024 && this.closedForgotten * 2 > this.closed.length) {
      this.closed.splice(0, this.closedForgotten);
      this.closedForgotten = 0;
    }
  }

  private forget(execution: Execution): void {
    this.executions.delete(execution.executionArn);
    this.forgotten.byStatus[execution.status] = (this.forgotten.byStatus[execution.status] ?? 0) + 1;
    this.forgotten.transitions += execution.transitions;
    this.forgotten.lifetimes.push({
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      startDate: execution.startDate,
      stopDate: execution.stopDate ?? execution.startDate,
    });
    const failure = failureOf(execution);
    if (failure) this.forgotten.failures.push(failure);
  }

  /** Every execution that failed or timed out since this cloud started, forgotten ones included; read-only. */
  failures(): ExecutionFailure[] {
    return [
      ...this.forgotten.failures,
      ...[...this.executions.values()].flatMap((execution) => failureOf(execution) ?? []),
    ];
  }

  /** Resolves when no execution is running, or after `timeoutMs` real milliseconds (then rejects). */
  async idle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const running = [...this.executions.values()].filter((e) => e.status === 'RUNNING');
      if (running.length === 0) return;
      if (Date.now() > deadline) throw new Error(`${running.length} executions still running after ${timeoutMs} ms`);
      await Promise.race([Promise.all(running.map((e) => e.done)), new Promise((r) => setTimeout(r, 50))]);
    }
  }

  stopAll(): void {
    for (const execution of this.executions.values()) {
      if (execution.status === 'RUNNING')
        this.stopExecution({ executionArn: execution.executionArn, error: 'LocalCloudStopped' });
    }
  }

  private openExecutions = 0;

  /** Ends an execution once: its status, stop date and error; it no longer counts as open. */
  private close(execution: Execution, status: Status, ending: { error?: string; cause?: string }): void {
    if (execution.status !== 'RUNNING') return;
    execution.status = status;
    execution.error = ending.error;
    execution.cause = ending.cause;
    execution.stopDate = this.clock.now();
    this.openExecutions -= 1;
    this.closed.push(execution);
  }

  /**
   * A Task's Lambda call as Step Functions makes it: a Lambda service error is reported as `Lambda.<name>` (what
   * Retry matches), and a state input or result over 256 KiB fails the execution with `States.DataLimitExceeded`.
   */
  private guard(task: TaskHandler, wakes: PerSecond): TaskHandler {
    return async (input) => {
      wakes.record(this.clock.now());
      if (Buffer.byteLength(JSON.stringify(input ?? null)) > this.limits.maxPayloadBytes) {
        const { error, cause } = dataLimit('Task input');
        throw new TerminalStatesError(error, cause);
      }
      let result: unknown;
      try {
        result = await task(input);
      } catch (error) {
        if (error instanceof LambdaServiceError) {
          const reported = new Error(error.message);
          reported.name = `Lambda.${error.name}`;
          throw reported;
        }
        throw error;
      }
      if (Buffer.byteLength(JSON.stringify(result ?? null)) > this.limits.maxPayloadBytes) {
        const { error, cause } = dataLimit('Task result');
        throw new TerminalStatesError(error, cause);
      }
      return result;
    };
  }

  private find(executionArn: string | undefined): Execution {
    const execution = this.executions.get(executionArn ?? '');
    if (!execution)
      throw new StepFunctionsError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    return execution;
  }

  private summary(execution: Execution) {
    return {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate / 1000,
      stopDate: execution.stopDate === undefined ? undefined : execution.stopDate / 1000,
    };
  }

  /** The AWS JSON 1.0 protocol, as @aws-sdk/client-sfn speaks it (over HTTP or in-process alike). */
  async handle({ headers, body }: LocalRequest): Promise<LocalReply> {
    const target = String(headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
    const send = (status: number, answer: unknown): LocalReply => ({
      status,
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId(body) },
      body: Buffer.from(JSON.stringify(answer)),
    });
    try {
      const input = body.length ? JSON.parse(body.toString('utf8')) : {};
      const operations: Record<string, (b: never) => unknown> = {
        StartExecution: (b) => this.startExecution(b),
        StopExecution: (b) => this.stopExecution(b),
        DescribeExecution: (b) => this.describeExecution(b),
        ListExecutions: (b) => this.listExecutions(b),
      };
      const operation = operations[target];
      if (!operation) throw new StepFunctionsError('UnknownOperationException', `${target} is not supported locally`);
      return send(200, operation(input as never));
    } catch (error) {
      if (error instanceof StepFunctionsError) return send(400, { __type: error.type, message: error.message });
      return send(500, { __type: 'InternalServerError', message: (error as Error).message });
    }
  }
}

function dataLimit(what: string) {
  return {
    error: 'States.DataLimitExceeded',
    cause: `The ${what} has exceeded the maximum number of bytes Step Functions allows (256 KiB).`,
  };
}

function requestId(body: Buffer): string {
  return createHash('sha1').update(body).update(String(Math.random())).digest('hex').slice(0, 32);
}
