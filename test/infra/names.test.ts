import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../functions/shared/config/file.ts';
import { parseSettings } from '../../infra/aws/settings.ts';
import { AftercareStack } from '../../infra/aws/stack.ts';
import { arnText, NO_BUNDLING, readJson, synthesize, TWO_STORES_CONFIG, tempDir } from './support.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Both stacks in one account and region, as production and staging would be. */
const ENV = { account: '111122223333', region: 'eu-west-1' };

interface Deployed {
  stack: AftercareStack;
  template: Template;
}

function deployBoth(): { production: Deployed; staging: Deployed } {
  const app = new App({ context: NO_BUNDLING, outdir: tempDir() });
  const config = loadConfigFile(TWO_STORES_CONFIG);
  const build = (id: string, context: Record<string, unknown>) =>
    new AftercareStack(app, id, { config, settings: parseSettings(context), env: ENV });
  const stacks = {
    production: build('Aftercare', {}),
    staging: build('AftercareStaging', { namePrefix: 'aftercare-staging' }),
  };
  const deployed = (stack: AftercareStack): Deployed => ({ stack, template: Template.fromStack(stack) });
  return { production: deployed(stacks.production), staging: deployed(stacks.staging) };
}

/** The property that names each resource type per account and region (where a second stack could collide). */
const NAME_PROPERTY: Record<string, string> = {
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SES::ConfigurationSet': 'Name',
  'AWS::SES::EmailIdentity': 'EmailIdentity',
  'AWS::ApiGatewayV2::Api': 'Name',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::Events::Rule': 'Name',
};

/** `Type.Property=value` for every resource named by the stack rather than by CloudFormation. */
function physicalNamesOf({ template }: Deployed): string[] {
  const resources = Object.values(template.toJSON().Resources as Record<string, { Type: string; Properties?: object }>);
  return resources.flatMap((resource) => {
    const property = NAME_PROPERTY[resource.Type];
    const value = property ? (resource.Properties as Record<string, unknown> | undefined)?.[property] : undefined;
    return typeof value === 'string' ? [`${resource.Type}.${property}=${value}`] : [];
  });
}

const environmentOf = ({ template }: Deployed, functionName: string): Record<string, unknown> => {
  const [fn] = Object.values(
    template.findResources('AWS::Lambda::Function', { Properties: { FunctionName: functionName } }),
  );
  return fn?.Properties.Environment.Variables;
};

let production: Deployed;
let staging: Deployed;
beforeAll(() => {
  ({ production, staging } = deployBoth());
});

describe('a second stack in the same account (namePrefix)', () => {
  it('shares no physical name with the first: functions, state machines, log groups, configuration set, stack', () => {
    const names = { production: physicalNamesOf(production), staging: physicalNamesOf(staging) };
    const kinds = (list: string[]) => new Set(list.map((name) => name.slice(0, name.indexOf('='))));
    for (const kind of [
      'AWS::Lambda::Function.FunctionName',
      'AWS::StepFunctions::StateMachine.StateMachineName',
      'AWS::Logs::LogGroup.LogGroupName',
      'AWS::SES::ConfigurationSet.Name',
    ])
      expect(kinds(names.staging)).toContain(kind);
    expect(names.staging.filter((name) => names.production.includes(name))).toEqual([]);
    expect(staging.stack.stackName).not.toBe(production.stack.stackName);
  });

  it('keeps the names existing deployments have under the default prefix', () => {
    expect(production.stack.stackName).toBe('Aftercare');
    expect(physicalNamesOf(production)).toEqual(
      expect.arrayContaining([
        'AWS::Lambda::Function.FunctionName=aftercare-webhook',
        'AWS::Lambda::Function.FunctionName=aftercare-ses-events',
        'AWS::Lambda::Function.FunctionName=aftercare-follow-up-step',
        'AWS::StepFunctions::StateMachine.StateMachineName=aftercare-follow-up',
        'AWS::SES::ConfigurationSet.Name=aftercare',
      ]),
    );
  });

  it('names every staging resource with its prefix and tells the functions where their state machines are', () => {
    expect(staging.stack.stackName).toBe('Aftercare-staging');
    const names = physicalNamesOf(staging).map((name) => name.slice(name.indexOf('=') + 1));
    expect(names.filter((name) => !/^(\/aws\/vendedlogs\/states\/)?aftercare-staging(-|$)/.test(name))).toEqual([]);
    const apply = environmentOf(staging, 'aftercare-staging-apply');
    expect(arnText(apply?.AFTERCARE_STATE_MACHINE_PREFIX)).toBe(
      'arn:<AWS::Partition>:states:eu-west-1:111122223333:stateMachine:aftercare-staging-',
    );
    const step = environmentOf(staging, 'aftercare-staging-follow-up-step');
    expect(step?.AFTERCARE_CONFIGURATION_SET).toBe('aftercare-staging');
    expect(step?.POWERTOOLS_SERVICE_NAME).toBe('aftercare-staging');
  });

  it("alarms on its own business metrics only, not on the other stack's", () => {
    const serviceOf = ({ template }: Deployed) =>
      Object.values(template.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'EmailsRejected' } }))
        .flatMap((alarm) => alarm.Properties.Dimensions as { Name: string; Value: string }[])
        .filter((dimension) => dimension.Name === 'service')
        .map((dimension) => dimension.Value);
    expect(new Set(serviceOf(production))).toEqual(new Set(['aftercare']));
    expect(new Set(serviceOf(staging))).toEqual(new Set(['aftercare-staging']));
  });

  // A quoted search term matches the whole value only:
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/search-expression-syntax.html
  it("graphs its own business metrics on its dashboard, not the other stack's", () => {
    const searchedServices = ({ template }: Deployed) => {
      const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
      const body = arnText(dashboard?.Properties.DashboardBody);
      return new Set([...body.matchAll(/service=\\"([^"\\]+)\\"/g)].map((match) => match[1]));
    };
    expect(searchedServices(production)).toEqual(new Set(['aftercare']));
    expect(searchedServices(staging)).toEqual(new Set(['aftercare-staging']));
  });
});

describe('the cdk context of the repository (cdk.json)', () => {
  it('lets `-c namePrefix=…` rename everything, the configuration set included', () => {
    const { context } = readJson(join(root, 'cdk.json')) as { context: Record<string, unknown> };
    const { stack, template } = synthesize({ context: { ...context, namePrefix: 'aftercare-staging' } });
    template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'aftercare-staging' });
    expect(stack.stackName).toBe('Aftercare-staging');
  });
});

describe('namePrefix is refused before anything is built', () => {
  // Lambda function names: 64 characters at most, https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
  // The longest is <prefix>-satisfaction-survey-step: a 40-character prefix makes it 65.
  it('when a name it makes is longer than AWS allows', () => {
    expect(() => parseSettings({ namePrefix: 'a'.repeat(40) })).toThrow(
      /namePrefix: makes the Lambda function name a{40}-satisfaction-survey-step 65 characters long; AWS allows 64/,
    );
    expect(parseSettings({ namePrefix: 'a'.repeat(39) }).namePrefix).toHaveLength(39);
  });

  // Stack names: letters, digits and hyphens, starting with a letter,
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html; state machines with logging:
  // 0-9, A-Z, a-z, - and _, https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html
  it.each(['Aftercare_Staging', '9aftercare', 'aftercare-', 'after care'])('when it is %j', (namePrefix) => {
    expect(() => parseSettings({ namePrefix })).toThrow(/namePrefix: must be lower-case letters, digits and -/);
  });
});
