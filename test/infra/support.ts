import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll } from 'vitest';
import { createAftercareApp } from '../../infra/aws/aftercare-app.ts';
import type { AftercareStack } from '../../infra/aws/stack.ts';

const here = dirname(fileURLToPath(import.meta.url));
export const TWO_STORES_CONFIG = join(here, 'fixtures', 'two-stores.config.json');

const tempDirs: string[] = [];
/** A fresh temporary directory, removed after the test file. */
export function tempDir(prefix = 'aftercare-cdk-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Skips esbuild: functions get placeholder code, so a synth takes seconds (one test bundles for real). */
export const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

export interface Synthesized {
  stack: AftercareStack;
  template: Template;
  outdir: string;
  /** Logical id of a construct's CloudFormation resource. */
  logicalId(construct: IConstruct): string;
}

export interface SynthesizeOptions {
  context?: Record<string, unknown>;
  configPath?: string;
  /** The built-in CloudFormation schema check: seconds per synth, so only where a test is about validation. */
  cloudFormationValidation?: boolean;
}

export function synthesize(options: SynthesizeOptions = {}): Synthesized {
  const outdir = tempDir();
  const { app, stack } = createAftercareApp({
    configPath: options.configPath ?? TWO_STORES_CONFIG,
    context: { ...NO_BUNDLING, ...options.context },
    outdir,
    cloudFormationValidation: options.cloudFormationValidation ?? false,
  });
  app.synth();
  return {
    stack,
    template: Template.fromStack(stack),
    outdir,
    logicalId: (construct) => stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement),
  };
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every statement of the IAM policies attached to a function's role. */
export function statementsOf(synthesized: Synthesized, roleLogicalId: string): Statement[] {
  const policies = synthesized.template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleLogicalId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

export const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
export const resourcesOf = (statement: Statement): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

/** Renders an ARN expression readably: `Fn::Join` joined, `Ref` as `<AWS::Region>`, `Fn::GetAtt` as `<Table.Arn>`. */
export function arnText(value: unknown): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, unknown>;
  if (object.Ref) return `<${String(object.Ref)}>`;
  if (object['Fn::GetAtt']) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
  if (object['Fn::Join']) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(arnText).join(separator);
  }
  return JSON.stringify(value);
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}
