import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { SdkClient } from '../functions/shared/clients.ts';
import type { FunctionName } from '../infra/functions.ts';
import { functionDescriptors } from '../infra/functions.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './account.ts';
import type { LocalPolicies, LocalPrincipal } from './iam-policies.ts';
import { type Authorization, authorizationsOf, type Service } from './iam-requests.ts';

/**
 * IAM in the local cloud: every SDK call a function makes is evaluated (by @cloud-copilot/iam-simulate, which ships
 * AWS's catalogue of actions and resource types) against that function's role policy as the CDK stack deploys it.
 * Calls made outside any function — tests, the operator CLI, the local cloud itself — are the operator's and are
 * not checked, as an administrator's would not be refused.
 */
const callers = new AsyncLocalStorage<string>();

/** `aftercare-<folder>`, as deployed; the step function is deployed once per workflow (`aftercare-<sequence>-step`). */
export function deployedFunctionName(name: FunctionName): string {
  return `aftercare-${functionDescriptors[name].entry.split('/').at(-2)}`;
}

/** Runs a function's handler as that function's role (a workflow's Task has already named its own step function). */
export function asCaller<T>(name: FunctionName, run: () => T): T {
  const outer = callers.getStore();
  const caller = name === 'step' && outer?.endsWith('-step') ? outer : deployedFunctionName(name);
  return callers.run(caller, run);
}

/** The function or state machine whose call this is; undefined for the operator's own calls (tests, CLI). */
export function currentCaller(): string | undefined {
  return callers.getStore();
}

/** Runs `run` as the principal `name` (a state machine, or the step function a workflow invokes). */
export function asPrincipal<T>(name: string, run: () => T): T {
  return callers.run(name, run);
}

export interface Denial {
  action: string;
  resource: string;
  message: string;
}

export class LocalIam {
  /** Actions each principal was allowed, as `action resource` (for "granted ⊇ observed" checks). */
  readonly observed = new Map<string, Set<string>>();
  /** Every refused call, in order (a test, or a developer wondering why a step failed, reads this). */
  readonly denials: (Denial & { principal: string })[] = [];
  private readonly decisions = new Map<string, Promise<string>>();
  private readonly deliveries = new Map<string, Promise<boolean>>();

  constructor(private readonly policies: LocalPolicies) {}

  /** The first of `authorizations` the principal's policy does not allow, or undefined when all are allowed. */
  async authorize(principal: string, authorizations: Authorization[]): Promise<Denial | undefined> {
    const role = this.policies[principal];
    if (!role) throw new Error(`local cloud: the stack defines no role for ${principal}`);
    for (const { action, resource } of authorizations) {
      const decision = await this.decide(principal, action, resource);
      if (decision !== 'Allowed') {
        const user = `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${role.roleName}/${principal}`;
        const why =
          decision === 'ExplicitlyDenied'
            ? 'with an explicit deny in an identity-based policy'
            : `because no identity-based policy allows the ${action} action`;
        const denial = {
          action,
          resource,
          message: `User: ${user} is not authorized to perform: ${action} on resource: ${resource} ${why}`,
        };
        this.denials.push({ principal, ...denial });
        return denial;
      }
      const seen = this.observed.get(principal) ?? new Set<string>();
      this.observed.set(principal, seen.add(`${action} ${resource}`));
    }
    return undefined;
  }

  /**
   * Whether EventBridge may deliver to `functionName`: a rule of the stack targets it and the function's
   * resource-based policy lets events.amazonaws.com invoke it for that rule. On AWS a refused delivery goes to the
   * rule target's dead-letter queue; the function never runs.
   * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-lambda-permissions
   */
  async deliversEvents(functionName: string): Promise<boolean> {
    const target = this.policies[functionName];
    if (!target) throw new Error(`local cloud: the stack defines no function ${functionName}`);
    const functionArn = `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`;
    let allowed = this.deliveries.get(functionName);
    if (!allowed) {
      allowed = this.anyRuleMayInvoke(target, functionArn);
      this.deliveries.set(functionName, allowed);
    }
    if (await allowed) return true;
    this.denials.push({
      principal: 'events.amazonaws.com',
      action: 'lambda:InvokeFunction',
      resource: functionArn,
      message: `No EventBridge rule of the stack may invoke ${functionArn} (rules targeting it: ${target.eventRules.join(', ') || 'none'})`,
    });
    return false;
  }

  /** The SES event types the stack's configuration sets send to `functionName` through EventBridge. */
  sesEventTypesOf(functionName: string): readonly string[] {
    return this.policies[functionName]?.sesEventTypes ?? [];
  }

  /** The schedule expressions of the stack's rules that invoke `functionName` (synthesised template). */
  schedulesOf(functionName: string): string[] {
    return this.policies[functionName]?.schedules ?? [];
  }

  private async anyRuleMayInvoke(target: LocalPrincipal, functionArn: string): Promise<boolean> {
    for (const rule of target.eventRules) {
      const result = await runSimulation(
        {
          identityPolicies: [],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          resourcePolicy: { Version: '2012-10-17', Statement: target.invokers },
          request: {
            action: 'lambda:InvokeFunction',
            principal: 'events.amazonaws.com',
            resource: { accountId: LOCAL_ACCOUNT, resource: functionArn },
            contextVariables: { 'aws:SourceArn': rule },
          },
        },
        {},
      );
      if (result.resultType !== 'error' && result.overallResult === 'Allowed') return true;
    }
    return false;
  }

  /** `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`; one simulation per principal, action and resource. */
  private decide(principal: string, action: string, resource: string): Promise<string> {
    const key = `${principal} ${action} ${resource}`;
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = this.simulate(principal, action, resource);
      this.decisions.set(key, decision);
    }
    return decision;
  }

  private async simulate(principal: string, action: string, resource: string): Promise<string> {
    const role = this.policies[principal];
    const result = await runSimulation(
      {
        identityPolicies: [
          { name: role?.roleName ?? principal, policy: { Version: '2012-10-17', Statement: role?.statements ?? [] } },
        ],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        request: {
          action,
          principal: `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${role?.roleName}/${principal}`,
          resource: { accountId: LOCAL_ACCOUNT, resource },
          contextVariables: {},
        },
      },
      {},
    );
    // An action with no resource type (ListStreams, ListTables…) is authorised on "*", as AWS does.
    if (result.resultType === 'error' && result.errors.message === 'must.use.wildcard' && resource !== '*')
      return this.simulate(principal, action, '*');
    if (result.resultType === 'error')
      throw new Error(`IAM simulation of ${action} on ${resource}: ${JSON.stringify(result.errors)}`);
    return result.overallResult;
  }
}

/**
 * Checks every call of `client` made inside a function. Innermost, after signing: a denied call never leaves the
 * process, and the SDK parses the same error response AWS would send (so callers see `AccessDeniedException`).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 */
export function enforceIam(iam: LocalIam, service: Service, client: SdkClient): void {
  // The three clients share one middleware stack type; DynamoDB's names it.
  (client.middlewareStack as DynamoDBClient['middlewareStack']).add(
    (next, context) => async (args) => {
      const caller = callers.getStore();
      if (!caller) return next(args);
      const operation = String(context.commandName).replace(/Command$/, '');
      const denial = await iam.authorize(caller, authorizationsOf(service, operation, args.input as never));
      return denial ? { response: accessDenied(service, denial.message), output: {} as never } : next(args);
    },
    { step: 'deserialize', priority: 'low', name: 'localIamMiddleware' },
  );
}

/**
 * What Lambda checks when the stream's event source mapping is created: CloudFormation fails the deployment when the
 * function's role cannot read the stream, so the local cloud does not start either.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/iam-policy-example-lamda-process-dynamodb-streams.html
 */
export async function checkStreamMapping(iam: LocalIam, functionName: string, streamArn: string): Promise<void> {
  // Not ListStreams: it has no resource type, and the stack (CDK's TableV2) grants it on the stream ARN only.
  const actions = ['GetRecords', 'GetShardIterator', 'DescribeStream'];
  const authorizations = actions.map((action) => ({ action: `dynamodb:${action}`, resource: streamArn }));
  if (await iam.authorize(functionName, authorizations)) {
    throw new Error(
      `Cannot access stream ${streamArn}. Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions on your stream in IAM.`,
    );
  }
}

/** AWS JSON 1.0 services (DynamoDB, Step Functions) answer 400; REST JSON ones (SES v2) 403. */
function accessDenied(service: Service, message: string) {
  const restJson = service === 'ses';
  return {
    statusCode: restJson ? 403 : 400,
    reason: restJson ? 'Forbidden' : 'Bad Request',
    headers: {
      'content-type': restJson ? 'application/json' : 'application/x-amz-json-1.0',
      'x-amzn-errortype': 'AccessDeniedException',
      'x-amzn-requestid': crypto.randomUUID(),
    },
    body: Buffer.from(
      JSON.stringify(
        restJson ? { message } : { __type: 'com.amazon.coral.service#AccessDeniedException', Message: message },
      ),
    ),
  };
}
