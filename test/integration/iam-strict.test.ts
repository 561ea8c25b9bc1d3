import { GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dynamoClient, sesClient, sfnClient } from '../../functions/shared/clients.ts';
import { keys } from '../../functions/shared/store/keys.ts';
import { getItem } from '../../functions/shared/store/table.ts';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { asPrincipal } from '../../local-cloud/iam.ts';
import type { LocalPolicies } from '../../local-cloud/iam-policies.ts';
import { samplePurchase } from '../../local-cloud/sign.ts';
import { localStateMachineArn } from '../../local-cloud/stepfunctions.ts';
import { emailsTo, postWebhook, startTestCloud, tableItems, waitFor } from '../support/local.ts';

// The message AWS gives for a call no identity-based policy allows:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
const denied = (role: string, action: string, resource: string) =>
  new RegExp(
    `^User: arn:aws:sts::000000000000:assumed-role/\\w+/${role} is not authorized to perform: ${action} on resource: ${resource.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} because no identity-based policy allows the ${action} action$`,
  );
const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/aftercare';

/** A copy of the stack's policies in which `principal` lacks `action` (the deliberately broken policy). */
const without =
  (principal: string, action: string) =>
  (policies: LocalPolicies): LocalPolicies => {
    const role = policies[principal];
    if (!role) throw new Error(`no principal ${principal}`);
    role.statements = role.statements
      .map((statement) => ({
        ...statement,
        Action: [statement.Action].flat().filter((granted) => granted !== action),
      }))
      .filter((statement) => statement.Action.length > 0);
    return policies;
  };

async function rejection(call: Promise<unknown>) {
  const error = (await call.then(
    () => undefined,
    (reason: unknown) => reason,
  )) as { name: string; message: string; $metadata: { httpStatusCode: number } } | undefined;
  if (!error) throw new Error('the call was allowed');
  return { name: error.name, status: error.$metadata.httpStatusCode, message: error.message };
}

describe('IAM on the stack’s own policies', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  // DynamoDB actions and resources: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
  it('refuses the webhook function a read: it may only store events', async () => {
    const key = { PK: { S: 'PURCHASE#demo#1' }, SK: { S: 'PURCHASE' } };

    const read = await rejection(
      asPrincipal('aftercare-webhook', () =>
        dynamoClient().send(new GetItemCommand({ TableName: 'aftercare', Key: key })),
      ),
    );

    expect(read).toEqual({
      name: 'AccessDeniedException',
      status: 400,
      message: expect.stringMatching(denied('aftercare-webhook', 'dynamodb:GetItem', TABLE)),
    });
  });

  it('refuses every function a Scan of the table, and lets the operator scan it', async () => {
    const scan = await rejection(
      asPrincipal('aftercare-ses-events', () => dynamoClient().send(new ScanCommand({ TableName: 'aftercare' }))),
    );

    expect(scan.name).toBe('AccessDeniedException');
    expect(scan.message).toMatch(denied('aftercare-ses-events', 'dynamodb:Scan', TABLE));
    // Calls made outside any function are the operator's (tests, the CLI): not checked.
    await expect(tableItems()).resolves.toBeInstanceOf(Array);
  });

  // SES v2 SendEmail is authorised on the identity and the configuration set:
  // https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html
  it('refuses a step function sending as an address the stack did not grant', async () => {
    const send = await rejection(
      asPrincipal('aftercare-follow-up-step', () =>
        sesClient().send(
          new SendEmailCommand({
            FromEmailAddress: 'someone@elsewhere.example',
            Destination: { ToAddresses: ['customer@example.com'] },
            Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'Hi' } } } },
            ConfigurationSetName: 'aftercare',
          }),
        ),
      ),
    );

    expect(send).toEqual({
      name: 'AccessDeniedException',
      status: 403,
      message: expect.stringMatching(
        denied(
          'aftercare-follow-up-step',
          'ses:SendEmail',
          'arn:aws:ses:us-east-1:000000000000:identity/someone@elsewhere.example',
        ),
      ),
    });
  });

  // Step Functions actions: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html
  it('refuses the survey function starting any state machine but the satisfaction survey', async () => {
    const start = await rejection(
      asPrincipal('aftercare-survey', () =>
        sfnClient().send(
          new StartExecutionCommand({ stateMachineArn: localStateMachineArn('follow-up'), name: 'x', input: '{}' }),
        ),
      ),
    );

    expect(start).toEqual({
      name: 'AccessDeniedException',
      status: 400,
      message: expect.stringMatching(
        denied('aftercare-survey', 'states:StartExecution', localStateMachineArn('follow-up')),
      ),
    });
  });
});

describe('IAM with a deliberately broken policy', () => {
  let cloud: LocalCloud | undefined;
  afterEach(async () => {
    await cloud?.stop();
    cloud = undefined;
  });

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
  it('a webhook whose function lost dynamodb:PutItem is refused, stores nothing, and is answered with a 5xx', async () => {
    cloud = await startTestCloud({ editPolicies: without('aftercare-webhook', 'dynamodb:PutItem') });
    const purchase = samplePurchase({ orderId: 'IAM-1', email: 'denied@example.com' });

    const response = await postWebhook(cloud, 'generic', JSON.stringify(purchase));

    expect(response.status).toBeGreaterThanOrEqual(500);
    expect((await tableItems()).filter((item) => JSON.stringify(item).includes('IAM-1'))).toEqual([]);
  });

  // The event source mapping reads the stream with the function's role; without these CloudFormation fails:
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/iam-policy-example-lamda-process-dynamodb-streams.html
  it('a stack whose apply function cannot read the table stream does not start', async () => {
    const start = startTestCloud({ editPolicies: without('aftercare-apply', 'dynamodb:GetRecords') });

    await expect(start).rejects.toThrow(
      /^Cannot access stream arn:aws:dynamodb:us-east-1:000000000000:table\/aftercare\/stream\/local\. Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions/,
    );
  });

  // A state machine's role must allow lambda:InvokeFunction on the function its Task names:
  // https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html
  it('a workflow whose state machine lost lambda:InvokeFunction fails and sends nothing', async () => {
    cloud = await startTestCloud({
      timeScale: 2_592_000,
      editPolicies: without('aftercare-follow-up', 'lambda:InvokeFunction'),
    });
    const purchase = samplePurchase({
      orderId: 'IAM-2',
      email: 'never@example.com',
      createdAt: new Date(cloud.clock.now()).toISOString(),
    });

    expect((await postWebhook(cloud, 'generic', JSON.stringify(purchase))).status).toBe(200);
    const failed = await waitFor('the follow-up execution to fail', async () => {
      const { executions } = cloud?.stepFunctions.listExecutions({
        stateMachineArn: localStateMachineArn('follow-up'),
        statusFilter: 'FAILED',
      }) ?? { executions: [] };
      return executions[0];
    });

    expect(cloud.stepFunctions.describeExecution({ executionArn: failed.executionArn }).error).toBe(
      'Aftercare.StepFailed',
    );
    // The Task saw Lambda.AWSLambdaException, which the Lambda retrier matches: the first call and its 6 retries.
    const refused = cloud.iam.denials.filter((denial) => denial.principal === 'aftercare-follow-up');
    expect(refused.map((denial) => denial.action)).toEqual(Array(7).fill('lambda:InvokeFunction'));
    expect(refused[0]?.resource).toBe('arn:aws:lambda:us-east-1:000000000000:function:aftercare-follow-up-step');
    expect(await emailsTo(cloud, 'never@example.com')).toEqual([]);
  });

  // EventBridge invokes a target only if the function's resource-based policy allows the rule:
  // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-lambda-permissions
  it('SES events are not delivered when the ses-events function does not let the rule invoke it', async () => {
    cloud = await startTestCloud({
      timeScale: 2_592_000,
      editPolicies: (policies) => {
        const sesEvents = policies['aftercare-ses-events'];
        if (sesEvents) sesEvents.invokers = [];
        return policies;
      },
    });
    const purchase = samplePurchase({
      orderId: 'IAM-3',
      email: 'undelivered@example.com',
      createdAt: new Date(cloud.clock.now()).toISOString(),
    });

    expect((await postWebhook(cloud, 'generic', JSON.stringify(purchase))).status).toBe(200);
    const [first] = await waitFor('the first email', async () => {
      const emails = await emailsTo(cloud as LocalCloud, 'undelivered@example.com');
      return emails.length > 0 ? emails : undefined;
    });
    await waitFor('a refused event delivery', async () =>
      cloud?.iam.denials.some((denial) => denial.principal === 'events.amazonaws.com'),
    );

    const message = await getItem<{ state: string }>(keys.message(String(first?.messageId)));
    expect(message?.state).not.toBe('delivered');
  });
});

// In the SES sandbox, SendEmail is authorised on each recipient's identity too (defect A5): a step policy that names
// only the senders is refused for every customer. https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html
describe('IAM while the SES account is in the sandbox', () => {
  let cloud: LocalCloud | undefined;
  afterEach(async () => {
    await cloud?.stop();
    cloud = undefined;
  });

  it('refuses a send to a recipient the step policy does not name, even though SES has verified it', async () => {
    cloud = await startTestCloud({ ses: { sandbox: true, verifiedRecipients: ['verified@example.com'] } });

    const send = await rejection(
      asPrincipal('aftercare-follow-up-step', () =>
        sesClient().send(
          new SendEmailCommand({
            FromEmailAddress: 'care@demo-appliances.example',
            Destination: { ToAddresses: ['verified@example.com'] },
            Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'Hi' } } } },
            ConfigurationSetName: 'aftercare',
          }),
        ),
      ),
    );

    expect(send).toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringMatching(
        denied(
          'aftercare-follow-up-step',
          'ses:SendEmail',
          'arn:aws:ses:us-east-1:000000000000:identity/verified@example.com',
        ),
      ),
    });
  });
});
