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

export function dynamoClient(): DynamoDBClient {
  dynamo ??= new DynamoDBClient({ maxAttempts: 4 });
  return dynamo;
}

export function sesClient(): SESv2Client {
  // Throttling is retried by the workflow (with backoff, visible in the history), not hidden in the SDK.
  ses ??= new SESv2Client({ maxAttempts: 1 });
  return ses;
}

export function sfnClient(): SFNClient {
  sfn ??= new SFNClient({ maxAttempts: 4 });
  return sfn;
}

/** The local cloud calls this after pointing the endpoint variables somewhere new. */
export function resetClients(): void {
  for (const client of [dynamo, ses, sfn]) client?.destroy();
  dynamo = undefined;
  ses = undefined;
  sfn = undefined;
}
