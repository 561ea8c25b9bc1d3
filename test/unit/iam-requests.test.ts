import { afterEach, describe, expect, it } from 'vitest';
import { authorizationsOf, sesIdentities } from '../../local-cloud/iam-requests.ts';

const TABLE = 'arn:aws:dynamodb:us-east-1:000000000000:table/aftercare';
const SES = 'arn:aws:ses:us-east-1:000000000000';

describe('the IAM checks of an API call', () => {
  // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/api-permissions-reference.html
  it('authorises a transaction item by item, as the item actions, on each item’s table', () => {
    const checks = authorizationsOf('dynamodb', 'TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'aftercare' } },
        { Update: { TableName: 'aftercare' } },
        { ConditionCheck: { TableName: 'other' } },
      ],
    });

    expect(checks).toEqual([
      { action: 'dynamodb:PutItem', resource: TABLE },
      { action: 'dynamodb:UpdateItem', resource: TABLE },
      { action: 'dynamodb:ConditionCheckItem', resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/other' },
    ]);
  });

  it('authorises a batch once per table, and a query of an index on the index', () => {
    expect(authorizationsOf('dynamodb', 'BatchWriteItem', { RequestItems: { aftercare: [], other: [] } })).toEqual([
      { action: 'dynamodb:BatchWriteItem', resource: TABLE },
      { action: 'dynamodb:BatchWriteItem', resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/other' },
    ]);
    expect(authorizationsOf('dynamodb', 'Query', { TableName: 'aftercare', IndexName: 'GSI1' })).toEqual([
      { action: 'dynamodb:Query', resource: `${TABLE}/index/GSI1` },
    ]);
  });

  it('authorises stopping an execution on the execution, and starting one on its state machine', () => {
    const machine = 'arn:aws:states:us-east-1:000000000000:stateMachine:aftercare-follow-up';
    const execution = 'arn:aws:states:us-east-1:000000000000:execution:aftercare-follow-up:order-1';

    expect(authorizationsOf('states', 'StopExecution', { executionArn: execution })).toEqual([
      { action: 'states:StopExecution', resource: execution },
    ]);
    expect(authorizationsOf('states', 'StartExecution', { stateMachineArn: machine, name: 'order-1' })).toEqual([
      { action: 'states:StartExecution', resource: machine },
    ]);
  });

  describe('SES v2 SendEmail', () => {
    const { sender, recipients } = sesIdentities;
    afterEach(() => Object.assign(sesIdentities, { sender, recipients }));
    const email = {
      FromEmailAddress: 'Kitchen World <care@kitchen-world.example>',
      Destination: { ToAddresses: ['anna@example.com'] },
      ConfigurationSetName: 'aftercare',
    };

    // https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html
    it('is authorised on the sender’s identity (without its display name) and on the configuration set', () => {
      expect(authorizationsOf('ses', 'SendEmail', email)).toEqual([
        { action: 'ses:SendEmail', resource: `${SES}:identity/care@kitchen-world.example` },
        { action: 'ses:SendEmail', resource: `${SES}:configuration-set/aftercare` },
      ]);
    });

    it('is also authorised on each recipient’s identity when the sandbox names them', () => {
      sesIdentities.sender = (address) => address.split('@')[1] ?? address; // only the domain is verified
      sesIdentities.recipients = (addresses) => addresses;

      expect(authorizationsOf('ses', 'SendEmail', email).map((check) => check.resource)).toEqual([
        `${SES}:identity/kitchen-world.example`,
        `${SES}:identity/anna@example.com`,
        `${SES}:configuration-set/aftercare`,
      ]);
    });
  });
});
