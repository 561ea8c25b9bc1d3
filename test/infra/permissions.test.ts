import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEQUENCES } from '../../functions/shared/domain/vocabulary.ts';
import { TABLE_READ_WRITE_ACTIONS } from '../../infra/aws/access.ts';
import { functionDescriptors } from '../../infra/functions.ts';
import {
  actionsOf,
  arnText,
  resourcesOf,
  type Statement,
  type Synthesized,
  statementsOf,
  synthesize,
} from './support.ts';

const STATES_ARN = 'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>';
const SES_ARN = 'arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>';
const machineArn = (sequence: string) => `${STATES_ARN}:stateMachine:aftercare-${sequence}`;
/** The two stores' from-addresses and domains (test/infra/fixtures/two-stores.config.json) and the configuration set. */
const STORE_SENDER_ARNS = [
  `${SES_ARN}:configuration-set/aftercare`,
  `${SES_ARN}:identity/care@kitchen-world.example`,
  `${SES_ARN}:identity/kitchen-world.example`,
  `${SES_ARN}:identity/hello@mail.bikes.example`,
  `${SES_ARN}:identity/mail.bikes.example`,
].sort();

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const IAM_PREFIX: Record<string, string> = {
  dynamodb: 'dynamodb',
  sesv2: 'ses',
  sfn: 'states',
  'secrets-manager': 'secretsmanager',
};

/**
 * `service:Action` of every AWS SDK command the code of a function can send: the commands constructed in the
 * modules reachable from its entry (imports within functions/). A superset of what it sends at run time, which the
 * local cloud checks against the same grants on every call (test/integration/iam-strict.test.ts).
 */
function sdkActionsOf(entry: string): Set<string> {
  const actions = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const action of commandActionsIn(text)) actions.add(action);
    for (const target of importedFunctionFiles(file, text)) visit(target);
  };
  visit(join(ROOT, entry));
  return actions;
}

/** `service:Action` of each `new XCommand(` in a module, the service from the client package it imports X from. */
function commandActionsIn(text: string): string[] {
  const services = new Map<string, string>();
  for (const [, names, client] of text.matchAll(/import \{([^}]+)\} from '@aws-sdk\/client-([\w-]+)'/g))
    for (const name of String(names).split(',')) services.set(name.trim(), IAM_PREFIX[String(client)] ?? '?');
  return [...text.matchAll(/new (\w+)Command\(/g)].map(
    ([, command]) => `${services.get(`${command}Command`) ?? '?'}:${command}`,
  );
}

/** The modules under functions/ that a module imports by relative path (statically or dynamically). */
function importedFunctionFiles(file: string, text: string): string[] {
  return [...text.matchAll(/(?:from |import\()'(\.[^']+)'/g)]
    .map(([, path]) => resolve(dirname(file), String(path)))
    .filter((target) => target.startsWith(join(ROOT, 'functions')));
}

let synthesized: Synthesized;
let tableArn: string;

/** `{ action: [resources] }` of everything a function's role allows, except its logs and X-Ray. */
function grantsOf(fn: NodejsFunction): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  const statements: Statement[] = statementsOf(synthesized, synthesized.logicalId(fn.role as IConstruct));
  for (const statement of statements) {
    expect(statement.Effect).toBe('Allow');
    for (const action of actionsOf(statement)) {
      if (action.startsWith('logs:') || action.startsWith('xray:')) continue;
      grants[action] = [...(grants[action] ?? []), ...resourcesOf(statement).map(arnText)].sort();
    }
  }
  return grants;
}

const servicesOf = (grants: Record<string, string[]>) => [...new Set(Object.keys(grants).map((a) => a.split(':')[0]))];

beforeAll(() => {
  synthesized = synthesize();
  tableArn = `<${synthesized.logicalId(synthesized.stack.table.table)}.Arn>`;
});

describe('function permissions', () => {
  it('never allows a DynamoDB, SES or Step Functions action on a wildcard resource', () => {
    const granted = synthesized.stack.functions
      .all()
      .flatMap(({ fn }) =>
        Object.entries(grantsOf(fn)).flatMap(([action, resources]) =>
          resources.map((resource) => ({ where: `${fn.node.path} ${action}`, action, resource })),
        ),
      )
      .filter(({ action }) => /^(dynamodb|ses|states):/.test(action));
    expect(granted.length).toBeGreaterThan(0);
    for (const { where, resource } of granted) {
      expect(resource, where).not.toBe('*');
      // The only wildcard: execution names (run time) of one named state machine.
      if (resource.includes('*')) expect(resource).toMatch(/:execution:aftercare-[a-z-]+:\*$/);
    }
  });

  it('lets the webhook function only store items (PutItem on the table) and read the secret', () => {
    const grants = grantsOf(synthesized.stack.functions.byName.webhook);
    expect(grants['dynamodb:PutItem']).toEqual([tableArn]);
    expect(Object.keys(grants).filter((action) => action.startsWith('dynamodb:'))).toEqual(['dynamodb:PutItem']);
    expect(servicesOf(grants).sort()).toEqual(['dynamodb', 'secretsmanager']);
  });

  it('lets apply start every sequence, stop their executions and send the data export as the stores, without secrets', () => {
    const grants = grantsOf(synthesized.stack.functions.byName.apply);
    expect(grants['states:StartExecution']).toEqual(SEQUENCES.map(machineArn).sort());
    expect(grants['states:StopExecution']).toEqual(
      SEQUENCES.map((sequence) => `${STATES_ARN}:execution:aftercare-${sequence}:*`).sort(),
    );
    // The GDPR data export (customers/data_request) is an email to the store: same identities as the steps.
    expect(grants['ses:SendEmail']).toEqual(STORE_SENDER_ARNS);
    expect(servicesOf(grants).sort()).toEqual(['dynamodb', 'ses', 'sqs', 'states']);
    expect(grants['dynamodb:ListStreams']).toEqual([
      `<${synthesized.logicalId(synthesized.stack.table.table)}.StreamArn>`,
    ]);
  });

  it('lets each step function restart only its own state machine and send only as the stores', () => {
    for (const sequence of SEQUENCES) {
      const grants = grantsOf(synthesized.stack.functions.steps[sequence]);
      expect(grants['states:StartExecution']).toEqual([machineArn(sequence)]);
      expect(grants['ses:SendEmail']).toEqual(STORE_SENDER_ARNS);
      expect(servicesOf(grants).sort()).toEqual(['dynamodb', 'secretsmanager', 'ses', 'states']);
    }
  });

  it('lets the run keeper start and describe the sequences’ executions and only get, query and put table items', () => {
    const grants = grantsOf(synthesized.stack.functions.byName.keeper);
    expect(grants['states:StartExecution']).toEqual(SEQUENCES.map(machineArn).sort());
    expect(grants['states:DescribeExecution']).toEqual(
      SEQUENCES.map((sequence) => `${STATES_ARN}:execution:aftercare-${sequence}:*`).sort(),
    );
    expect(grants['states:StopExecution']).toBeUndefined();
    expect(
      Object.keys(grants)
        .filter((action) => action.startsWith('dynamodb:'))
        .sort(),
    ).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    expect(grants['dynamodb:Query']?.some((arn) => arn.endsWith('/index/GSI3'))).toBe(true);
    expect(servicesOf(grants).sort()).toEqual(['dynamodb', 'states']);
    const calls = sdkActionsOf(functionDescriptors.keeper.entry);
    for (const action of Object.keys(grants)) expect(calls, `keeper is granted ${action}`).toContain(action);
  });

  it('lets the survey function start only the satisfaction survey', () => {
    const grants = grantsOf(synthesized.stack.functions.byName.survey);
    expect(grants['states:StartExecution']).toEqual([machineArn('satisfaction-survey')]);
    expect(grants['states:StopExecution']).toBeUndefined();
  });

  it('gives read-write functions the table and its three indexes, and nothing like Scan', () => {
    const grants = grantsOf(synthesized.stack.functions.byName.sesEvents);
    expect(grants['dynamodb:Query']).toHaveLength(4);
    expect(grants['dynamodb:Query']?.filter((arn) => /\/index\/GSI[123]$/.test(arn))).toHaveLength(3);
    expect(grants['dynamodb:Scan']).toBeUndefined();
    expect(servicesOf(grants).sort()).toEqual(['dynamodb', 'sqs']);
  });

  it('lets only webhook, step, survey and unsubscribe read the secret', () => {
    const readers = synthesized.stack.functions
      .all()
      .filter(({ fn }) => grantsOf(fn)['secretsmanager:GetSecretValue'])
      .map(({ name }) => name);
    expect([...new Set(readers)].sort()).toEqual(['step', 'survey', 'unsubscribe', 'webhook']);
  });
});

describe('function permissions against the code', () => {
  // Not called by the function's code: logs and X-Ray (the runtime), the stream and the on-failure queue (the event
  // source mapping, with the function's role), DescribeSecret (CDK's grantRead adds it beside GetSecretValue).
  const byTheService =
    /^(logs|xray|sqs):|^dynamodb:(GetRecords|GetShardIterator|DescribeStream|ListStreams)$|^secretsmanager:DescribeSecret$/;

  it('grants each function only the SES, Step Functions and Secrets Manager actions its own code sends', () => {
    for (const { name, fn } of synthesized.stack.functions.all()) {
      const calls = sdkActionsOf(functionDescriptors[name].entry);
      const granted = Object.keys(grantsOf(fn)).filter((action) => !byTheService.test(action));
      for (const action of granted.filter((granted) => !granted.startsWith('dynamodb:')))
        expect(calls, `${name} is granted ${action}`).toContain(action);
    }
  });

  it('grants the read-write functions only table actions that some function’s code sends', () => {
    const sent = new Set(Object.values(functionDescriptors).flatMap(({ entry }) => [...sdkActionsOf(entry)]));

    expect(TABLE_READ_WRITE_ACTIONS.filter((action) => !sent.has(action))).toEqual([]);
    expect(sdkActionsOf(functionDescriptors.webhook.entry)).toContain('dynamodb:PutItem');
  });
});

describe('function environment', () => {
  const environmentOf = (fn: NodejsFunction): Record<string, unknown> =>
    synthesized.template.toJSON().Resources[synthesized.logicalId(fn)].Properties.Environment.Variables;

  it('names the state machine prefix for apply, survey and the steps', () => {
    const { byName, steps } = synthesized.stack.functions;
    for (const fn of [byName.apply, byName.survey, ...Object.values(steps)]) {
      expect(arnText(environmentOf(fn).AFTERCARE_STATE_MACHINE_PREFIX)).toBe(`${STATES_ARN}:stateMachine:aftercare-`);
    }
  });

  it('names the configuration set for the functions that send email (apply’s data export and the steps) only', () => {
    for (const { name, fn } of synthesized.stack.functions.all()) {
      expect(environmentOf(fn).AFTERCARE_CONFIGURATION_SET, name).toBe(
        name === 'apply' || name === 'step' ? 'aftercare' : undefined,
      );
    }
  });

  it('gives the public URL only to the step functions, which sit behind no route', () => {
    for (const { name, fn } of synthesized.stack.functions.all()) {
      expect(environmentOf(fn).AFTERCARE_PUBLIC_URL !== undefined, name).toBe(name === 'step');
    }
  });

  it('runs every function on nodejs24.x arm64 with tracing, and each step with its sequence and a concurrency cap', () => {
    for (const { name, fn } of synthesized.stack.functions.all()) {
      const properties = synthesized.template.toJSON().Resources[synthesized.logicalId(fn)].Properties;
      expect(properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
      });
      expect(properties.Environment.Variables).toMatchObject({
        AFTERCARE_STAGE: 'aws',
        POWERTOOLS_SERVICE_NAME: 'aftercare',
      });
      if (name === 'step') expect(properties.ReservedConcurrentExecutions).toBe(2);
    }
    for (const sequence of SEQUENCES) {
      const step = synthesized.stack.functions.steps[sequence];
      expect(environmentOf(step).AFTERCARE_SEQUENCE).toBe(sequence);
      const properties = synthesized.template.toJSON().Resources[synthesized.logicalId(step)].Properties;
      expect(properties.FunctionName).toBe(`aftercare-${sequence}-step`);
    }
  });
});
