import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';

/**
 * SDK clients, created once per container on first use. Endpoints come from the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables, which the local cloud sets; on AWS they are unset.
 */
let dynamo: DynamoDBClient | undefined;
let ses: SESv2Client | undefined;
let sfn: SFNClient | undefined;

export type SdkService = 'dynamodb' | 'ses' | 'states';
export type SdkClient = DynamoDBClient | SESv2Client | SFNClient;
type ClientHook = (service: SdkService, client: SdkClient) => void;
let onCreate: ClientHook = () => undefined;

/** The local cloud sees every client created (it checks their calls against IAM); on AWS nothing is set. */
export function setClientHook(hook: ClientHook): void {
  onCreate = hook;
}

function created<T extends SdkClient>(service: SdkService, client: T): T {
  onCreate(service, client);
  return client;
}

export function dynamoClient(): DynamoDBClient {
  dynamo ??= created('dynamodb', new DynamoDBClient({ maxAttempts: 4 }));
  return dynamo;
}

export function sesClient(): SESv2Client {
  // Throttling is retried by the workflow (with backoff, visible in the history), not hidden in the SDK.
  ses ??= created('ses', new SESv2Client({ maxAttempts: 1 }));
  return ses;
}

export function sfnClient(): SFNClient {
  sfn ??= created('states', new SFNClient({ maxAttempts: 4 }));
  return sfn;
}

/** The local cloud calls this after pointing the endpoint variables somewhere new. */
export function resetClients(): void {
  for (const client of [dynamo, ses, sfn]) client?.destroy();
  dynamo = undefined;
  ses = undefined;
  sfn = undefined;
}
