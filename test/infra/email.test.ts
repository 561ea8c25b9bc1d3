import { Match } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, arnText, resourcesOf, type Synthesized, statementsOf, synthesize } from './support.ts';

const DEPLOY_CONTEXT = {
  senderDomain: 'kitchen-world.example',
  alarmEmail: 'ops@kitchen-world.example',
  domainName: 'care.kitchen-world.example',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666',
  configurationSetName: 'kitchen-mail',
};

describe('email (default settings)', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthesize();
  });

  it('sends the SES events ses-events records (not Send: the step records `sent` itself) to the default bus', () => {
    synthesized.template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: {
        Enabled: true,
        EventBridgeDestination: { EventBusArn: Match.anyValue() },
        MatchingEventTypes: ['reject', 'bounce', 'complaint', 'delivery', 'renderingFailure'],
      },
    });
    const destination = Object.values(
      synthesized.template.findResources('AWS::SES::ConfigurationSetEventDestination'),
    )[0]?.Properties.EventDestination.EventBridgeDestination.EventBusArn;
    expect(arnText(destination)).toMatch(/:event-bus\/default$/);
  });

  it('routes the set’s events to ses-events, retried, then parked in its dead-letter queue', () => {
    const queue = synthesized.logicalId(synthesized.stack.failureQueues['ses-events']);
    synthesized.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.ses'], detail: { mail: { tags: { 'ses:configuration-set': ['aftercare'] } } } },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [synthesized.logicalId(synthesized.stack.functions.byName.sesEvents), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
        }),
      ],
    });
    synthesized.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
    });
  });

  it('creates no identity without senderDomain', () => {
    synthesized.template.resourceCountIs('AWS::SES::EmailIdentity', 0);
  });
});

describe('email and domain (deployment context)', () => {
  let synthesized: Synthesized;
  beforeAll(() => {
    synthesized = synthesize({ context: DEPLOY_CONTEXT });
  });

  it('verifies the sender domain with Easy DKIM and prints the three CNAME records', () => {
    synthesized.template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'kitchen-world.example',
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: Match.anyValue() } },
    });
    const outputs = Object.keys(synthesized.template.toJSON().Outputs);
    expect(outputs.filter((name) => name.startsWith('DkimRecord'))).toEqual([
      'DkimRecord1',
      'DkimRecord2',
      'DkimRecord3',
    ]);
  });

  it('names the configuration set as configured, in the rule and in the steps’ environment', () => {
    synthesized.template.hasResourceProperties('AWS::SES::ConfigurationSet', { Name: 'kitchen-mail' });
    synthesized.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ detail: { mail: { tags: { 'ses:configuration-set': ['kitchen-mail'] } } } }),
    });
    const step =
      synthesized.template.toJSON().Resources[synthesized.logicalId(synthesized.stack.functions.steps['follow-up'])]
        .Properties.Environment.Variables;
    expect(step.AFTERCARE_CONFIGURATION_SET).toBe('kitchen-mail');
  });

  it('serves links and webhooks from the custom domain', () => {
    synthesized.template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'care.kitchen-world.example',
    });
    synthesized.template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    synthesized.template.hasOutput('PublicUrl', { Value: 'https://care.kitchen-world.example' });
    synthesized.template.hasOutput('WebhookUrlBikesWoocommerce', {
      Value: 'https://care.kitchen-world.example/webhooks/woocommerce/bikes',
    });
    const step =
      synthesized.template.toJSON().Resources[synthesized.logicalId(synthesized.stack.functions.steps['upgrade-offer'])]
        .Properties.Environment.Variables;
    expect(step.AFTERCARE_PUBLIC_URL).toBe('https://care.kitchen-world.example');
  });

  it('subscribes the alarm email to the topic', () => {
    synthesized.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@kitchen-world.example',
      TopicArn: { Ref: synthesized.logicalId(synthesized.stack.alarms.topic) },
    });
  });
});

// https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html (sandbox: recipients must be verified)
describe('email while the SES account is in the sandbox (cdk context sesSandbox)', () => {
  const SES_ARN = 'arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>';

  function sendEmailResources(synthesized: Synthesized): string[] {
    const role = synthesized.logicalId(synthesized.stack.functions.steps['follow-up'].role as IConstruct);
    return statementsOf(synthesized, role)
      .filter((statement) => actionsOf(statement).includes('ses:SendEmail'))
      .flatMap((statement) => resourcesOf(statement).map(arnText))
      .sort();
  }

  it('lets the steps send to the verified recipients as well as from the stores, and to no one else', () => {
    // Act
    const synthesized = synthesize({
      context: { sesSandbox: 'true', sesSandboxRecipients: 'Tester@kitchen-world.example, qa.example' },
    });
    // Assess
    expect(sendEmailResources(synthesized)).toEqual(
      [
        `${SES_ARN}:configuration-set/aftercare`,
        `${SES_ARN}:identity/care@kitchen-world.example`,
        `${SES_ARN}:identity/kitchen-world.example`,
        `${SES_ARN}:identity/hello@mail.bikes.example`,
        `${SES_ARN}:identity/mail.bikes.example`,
        `${SES_ARN}:identity/tester@kitchen-world.example`,
        `${SES_ARN}:identity/qa.example`,
      ].sort(),
    );
  });

  it('refuses sesSandbox without the recipients it may send to, and recipients without sesSandbox', () => {
    expect(() => synthesize({ context: { sesSandbox: true } })).toThrow(/sesSandboxRecipients/);
    expect(() => synthesize({ context: { sesSandboxRecipients: 'qa.example' } })).toThrow(
      /only applies with sesSandbox/,
    );
  });
});
