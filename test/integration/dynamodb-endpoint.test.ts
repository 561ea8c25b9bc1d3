import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../local-cloud/cloud.ts';
import { purchase, startTestCloud, tableItems, waitFor } from '../support/local.ts';

// DynamoDB answers a body that is not JSON with SerializationException and an unknown x-amz-target with
// UnknownOperationException (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html),
// and refuses requests beyond its 16 MB request size
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html).

const AUTH =
  'AWS4-HMAC-SHA256 Credential=local/20261202/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';

function post(endpoint: string, target: string, body: string | Buffer): Promise<{ status: number; type: string }> {
  return new Promise((resolve, reject) => {
    const call = request(
      endpoint,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': target,
          'x-amz-date': '20261202T000000Z',
          authorization: AUTH,
        },
      },
      (reply) => {
        const parts: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => parts.push(chunk));
        reply.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          let type = '';
          try {
            type = String(JSON.parse(text).__type ?? '').split('#')[1] ?? '';
          } catch {}
          resolve({ status: reply.statusCode ?? 0, type });
        });
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}

/** Sends the start of a request, then drops the connection. */
function abort(endpoint: string): Promise<void> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(
        'POST / HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-amz-json-1.0\r\n' +
          'x-amz-target: DynamoDB_20120810.PutItem\r\ncontent-length: 1000\r\n\r\n{"TableName":',
      );
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 50);
    });
    socket.on('error', () => resolve());
  });
}

describe('the local DynamoDB endpoint', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it.each([
    ['PutItem with a body that is not JSON', 'DynamoDB_20120810.PutItem', 'not json', 400, 'SerializationException'],
    ['an empty target', '', '{}', 400, 'UnknownOperationException'],
    ['a PutItem without an item', 'DynamoDB_20120810.PutItem', '{"TableName":"aftercare"}', 400, 'ValidationException'],
    [
      'a PutItem whose item is a string',
      'DynamoDB_20120810.PutItem',
      '{"TableName":"aftercare","Item":"x"}',
      400,
      'SerializationException',
    ],
    ['a body of JSON null', 'DynamoDB_20120810.GetItem', 'null', 400, 'SerializationException'],
    [
      'a BatchWriteItem with a null write',
      'DynamoDB_20120810.BatchWriteItem',
      '{"RequestItems":{"aftercare":[null]}}',
      400,
      'ValidationException',
    ],
    [
      'a GetItem with a null key attribute',
      'DynamoDB_20120810.GetItem',
      '{"TableName":"aftercare","Key":{"PK":null,"SK":{"S":"x"}}}',
      400,
      'ValidationException',
    ],
    [
      'a Query with a null start key',
      'DynamoDB_20120810.Query',
      '{"TableName":"aftercare","KeyConditionExpression":"PK = :p","ExpressionAttributeValues":{":p":{"S":"a"}},"ExclusiveStartKey":{"PK":null}}',
      400,
      'ValidationException',
    ],
  ])('answers %s as DynamoDB does, and keeps working', async (_what, target, body, status, type) => {
    // Act
    const reply = await post(cloud.dynamodb.endpoint, target, body);
    // Assess
    expect(reply).toEqual({ status, type });
    const orderId = await purchase(cloud);
    await waitFor('the purchase', async () =>
      (await tableItems()).some((i) => i.orderId === orderId && i.SK === 'PURCHASE'),
    );
  });

  it('refuses a body beyond 16 MB and survives a dropped connection, then keeps working', async () => {
    // Act
    const huge = await post(cloud.dynamodb.endpoint, 'DynamoDB_20120810.PutItem', Buffer.alloc(17 * 1024 * 1024, 'a'));
    await abort(cloud.dynamodb.endpoint);
    // Assess
    expect(huge.status).toBe(413);
    const orderId = await purchase(cloud);
    await waitFor('the purchase', async () =>
      (await tableItems()).some((i) => i.orderId === orderId && i.SK === 'PURCHASE'),
    );
  });
});
