import type { SdkService } from '../functions/shared/clients.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './account.ts';

/** One IAM check of an API call: every one must be allowed for the call to go through. */
export interface Authorization {
  action: string;
  resource: string;
}

export type Service = SdkService;

/**
 * SES v2 authorises SendEmail on the sending identity (the address, or its domain when only the domain is
 * verified) and, in the sandbox, on each recipient's identity. The SES rules replace this hook with their
 * verified identities; by default the From address itself is the identity, and recipients are not checked.
 * https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html
 */
export const sesIdentities = {
  sender: (address: string): string => address,
  recipients: (_addresses: string[]): string[] => [],
};

const arn = (service: string, resource: string) => `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${resource}`;
const tableArn = (name: string) => (name.startsWith('arn:') ? name : arn('dynamodb', `table/${name}`));

type Input = Record<string, unknown>;

/**
 * The actions and resource ARNs an API call is authorised on, per the services' authorization references:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsesv2.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html
 */
export function authorizationsOf(service: Service, operation: string, input: Input): Authorization[] {
  if (service === 'dynamodb') return dynamodb(operation, input);
  if (service === 'ses') return ses(operation, input);
  return states(operation, input);
}

function dynamodb(operation: string, input: Input): Authorization[] {
  const action = `dynamodb:${operation}`;
  switch (operation) {
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys((input.RequestItems ?? {}) as Input).map((table) => ({ action, resource: tableArn(table) }));
    case 'TransactWriteItems':
    case 'TransactGetItems': {
      // Transactions are authorised per item, as the item action (there is no TransactWriteItems action).
      const items = (input.TransactItems ?? []) as Record<string, { TableName?: string }>[];
      return items.flatMap((item) =>
        Object.entries(item).map(([kind, request]) => ({
          action: `dynamodb:${kind === 'ConditionCheck' ? 'ConditionCheckItem' : `${kind}Item`}`,
          resource: tableArn(String(request.TableName)),
        })),
      );
    }
    default: {
      if (typeof input.TableName !== 'string') return [{ action, resource: '*' }];
      const table = tableArn(input.TableName);
      const index = typeof input.IndexName === 'string' ? `${table}/index/${input.IndexName}` : undefined;
      return [{ action, resource: index ?? table }];
    }
  }
}

/** `Name <care@shop.example>` → `care@shop.example`. */
const addressOf = (from: string) => /<([^>]+)>\s*$/.exec(from)?.[1] ?? from.trim();

function ses(operation: string, input: Input): Authorization[] {
  const action = `ses:${operation}`;
  if (operation !== 'SendEmail') return [{ action, resource: '*' }];
  const destination = (input.Destination ?? {}) as Record<string, string[] | undefined>;
  const recipients = [
    ...(destination.ToAddresses ?? []),
    ...(destination.CcAddresses ?? []),
    ...(destination.BccAddresses ?? []),
  ].map(addressOf);
  const identities = [
    sesIdentities.sender(addressOf(String(input.FromEmailAddress ?? ''))),
    ...sesIdentities.recipients(recipients),
  ];
  return [
    ...[...new Set(identities)].map((identity) => ({ action, resource: arn('ses', `identity/${identity}`) })),
    ...(typeof input.ConfigurationSetName === 'string'
      ? [{ action, resource: arn('ses', `configuration-set/${input.ConfigurationSetName}`) }]
      : []),
  ];
}

function states(operation: string, input: Input): Authorization[] {
  const action = `states:${operation}`;
  const resource = input.executionArn ?? input.stateMachineArn;
  return [{ action, resource: typeof resource === 'string' ? resource : '*' }];
}
