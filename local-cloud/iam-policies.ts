import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configFilePath } from '../functions/shared/config/file.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './account.ts';

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Principal?: { Service: string };
  Condition?: Record<string, unknown>;
}

/** One principal of the stack (a function or a state machine) and its role's identity policy, with local ARNs. */
export interface LocalPrincipal {
  /** The role's logical id stands in for the name CloudFormation would generate. */
  roleName: string;
  statements: PolicyStatement[];
  /** A function's resource-based policy: the services (API Gateway, EventBridge) allowed to invoke it. */
  invokers: PolicyStatement[];
  /** ARNs of the EventBridge rules that target this function. */
  eventRules: string[];
  /** Schedule expressions of those rules that run on a schedule (`rate(5 minutes)`). */
  schedules: string[];
  /**
   * The SES event types that reach this function: the `MatchingEventTypes` of the configuration sets' EventBridge
   * destinations (`send`, `delivery`, `bounce`, …), when a rule targeting it matches `source: aws.ses`.
   */
  sesEventTypes: string[];
}

/** By deployed name: `aftercare-apply`, `aftercare-follow-up-step`, `aftercare-follow-up` (the state machine). */
export type LocalPolicies = Record<string, LocalPrincipal>;

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'aftercare-iam');

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

/**
 * The role policies exactly as the CDK stack deploys them (synthesised without bundling), for `tableName`.
 * A synth costs about a second (plus ~2 s to load aws-cdk-lib), so the result is cached under node_modules/.cache,
 * keyed by a hash of everything that shapes the stack: infra/*.ts, infra/aws/*.ts, the table schema, the config.
 */
export async function localPolicies(tableName: string, configFile = configFilePath()): Promise<LocalPolicies> {
  const key = cacheKey(configFile);
  const cached = join(CACHE_DIR, `${key}.json`);
  let template: Template;
  try {
    template = JSON.parse(readFileSync(cached, 'utf8')) as Template;
  } catch {
    template = await synthesizeTemplate(configFile);
    mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${cached}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(template));
    renameSync(partial, cached); // atomic: test files starting in parallel never read half a file
  }
  return principalsOf(template, tableName);
}

function cacheKey(configFile: string): string {
  const hash = createHash('sha256');
  const sources = [
    ...listTs(join(ROOT, 'infra')),
    ...listTs(join(ROOT, 'infra', 'aws')),
    join(ROOT, 'functions', 'shared', 'store', 'schema.ts'),
    join(ROOT, 'functions', 'shared', 'store', 'keys.ts'),
    join(ROOT, 'functions', 'shared', 'config', 'schema.ts'),
    join(ROOT, 'functions', 'shared', 'domain', 'vocabulary.ts'),
    join(ROOT, 'node_modules', 'aws-cdk-lib', 'package.json'),
    configFile,
  ];
  for (const file of sources) hash.update(file).update(readFileSync(file));
  return hash.digest('hex').slice(0, 24);
}

const listTs = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => join(dir, name));

async function synthesizeTemplate(configFile: string): Promise<Template> {
  const { createAftercareApp } = await import('../infra/aws/aftercare-app.ts');
  const outdir = mkdtempSync(join(tmpdir(), 'aftercare-iam-'));
  try {
    const { app, stack } = createAftercareApp({
      configPath: configFile,
      context: { 'aws:cdk:bundling-stacks': [] },
      outdir,
      cloudFormationValidation: false,
    });
    return app.synth().getStackByName(stack.stackName).template as Template;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Functions and state machines by their physical name, each with its role's statements resolved to local ARNs. */
export function principalsOf(template: Template, tableName: string): LocalPolicies {
  const resources = template.Resources;
  const resolve = resolver(resources, tableName);
  const principals: LocalPolicies = {};
  for (const [id, resource] of Object.entries(resources)) {
    const properties = resource.Properties ?? {};
    const name =
      resource.Type === 'AWS::Lambda::Function'
        ? properties.FunctionName
        : resource.Type === 'AWS::StepFunctions::StateMachine'
          ? properties.StateMachineName
          : undefined;
    if (typeof name !== 'string') continue;
    const roleName = ((properties.Role ?? properties.RoleArn) as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const statements = Object.values(resources)
      .filter((policy) => policy.Type === 'AWS::IAM::Policy')
      .filter((policy) => ((policy.Properties?.Roles ?? []) as { Ref: string }[]).some((role) => role.Ref === roleName))
      .flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: unknown[] } | undefined)?.Statement ?? [])
      .map((statement) => resolve(statement) as PolicyStatement);
    const arn = resolve({ 'Fn::GetAtt': [id, 'Arn'] }) as string;
    principals[name] = {
      roleName,
      statements,
      invokers: invokersOf(arn),
      eventRules: rulesTargeting(arn),
      schedules: rulesTargeting(arn, true),
      sesEventTypes: sesEventTypesReaching(arn),
    };
  }
  return principals;

  function invokersOf(functionArn: string): PolicyStatement[] {
    return Object.values(resources)
      .filter((permission) => permission.Type === 'AWS::Lambda::Permission')
      .map((permission) => resolve(permission.Properties) as Record<string, string>)
      .filter((permission) => permission.FunctionName === functionArn)
      .map((permission) => ({
        Effect: 'Allow',
        Principal: { Service: String(permission.Principal) },
        Action: String(permission.Action),
        Resource: functionArn,
        ...(permission.SourceArn ? { Condition: { ArnLike: { 'AWS:SourceArn': permission.SourceArn } } } : {}),
      }));
  }

  function sesEventTypesReaching(functionArn: string): string[] {
    const fromSes = rulesOf(functionArn).some(([, rule]) =>
      ((rule.Properties?.EventPattern as { source?: string[] } | undefined)?.source ?? []).includes('aws.ses'),
    );
    if (!fromSes) return [];
    const types = Object.values(resources)
      .filter((destination) => destination.Type === 'AWS::SES::ConfigurationSetEventDestination')
      .map((destination) => destination.Properties?.EventDestination as Record<string, unknown> | undefined)
      .filter((destination) => destination?.EventBridgeDestination && destination.Enabled !== false)
      .flatMap((destination) => (destination?.MatchingEventTypes ?? []) as string[]);
    return [...new Set(types)];
  }

  /** The EventBridge rules (logical id, resource) with a target that is this function. */
  function rulesOf(functionArn: string) {
    return Object.entries(resources)
      .filter(([, rule]) => rule.Type === 'AWS::Events::Rule')
      .filter(([, rule]) =>
        (resolve(rule.Properties?.Targets) as { Arn: string }[]).some((t) => t.Arn === functionArn),
      );
  }

  function rulesTargeting(functionArn: string, schedules = false): string[] {
    return rulesOf(functionArn)
      .filter(([, rule]) => !schedules || typeof rule.Properties?.ScheduleExpression === 'string')
      .map(([id, rule]) =>
        schedules ? String(rule.Properties?.ScheduleExpression) : (resolve({ 'Fn::GetAtt': [id, 'Arn'] }) as string),
      );
  }
}

/** Fn::Join, Ref and Fn::GetAtt to local values; resources the local cloud does not run keep a named placeholder. */
function resolver(resources: Template['Resources'], tableName: string) {
  const arn = (service: string, resource: string) => `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': LOCAL_REGION,
    'AWS::AccountId': LOCAL_ACCOUNT,
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const ref = (id: string): string => {
    const pseudoValue = pseudo[id];
    if (pseudoValue) return pseudoValue;
    const resource = resources[id];
    const properties = resource?.Properties ?? {};
    if (resource?.Type === 'AWS::DynamoDB::GlobalTable') return tableName;
    if (resource?.Type === 'AWS::Lambda::Function') return String(properties.FunctionName ?? id);
    return `local-${id}`;
  };
  const getAtt = (id: string, attribute: string): string => {
    const resource = resources[id];
    const properties = resource?.Properties ?? {};
    if (resource?.Type === 'AWS::DynamoDB::GlobalTable')
      return attribute === 'StreamArn'
        ? arn('dynamodb', `table/${tableName}/stream/local`)
        : arn('dynamodb', `table/${tableName}`);
    if (resource?.Type === 'AWS::Lambda::Function') return arn('lambda', `function:${ref(id)}`);
    if (resource?.Type === 'AWS::StepFunctions::StateMachine')
      return arn('states', `stateMachine:${String(properties.StateMachineName ?? id)}`);
    if (resource?.Type === 'AWS::Events::Rule') return arn('events', `rule/${String(properties.Name ?? id)}`);
    return arn('local', `${id}/${attribute}`);
  };
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (!value || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    if (typeof object.Ref === 'string') return ref(object.Ref);
    const att = object['Fn::GetAtt'] as [string, string] | undefined;
    if (att) return getAtt(att[0], att[1]);
    const join = object['Fn::Join'] as [string, unknown[]] | undefined;
    if (join) return join[1].map(resolve).join(join[0]);
    return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, resolve(v)]));
  };
  return resolve;
}
