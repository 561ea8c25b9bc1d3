import { request } from 'node:http';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDynamoDB, type StreamRecord } from '../../local-cloud/dynamodb.ts';
import { inProcessClient, type LocalRequest } from '../../local-cloud/in-process.ts';

// The local cloud's own callers reach the DynamoDB proxy without HTTP (local-cloud/in-process.ts); external clients
// use its public port. Both must get the same answers, dynalite's validation errors and conditional failures included
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html), and every write the same
// stream record (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html: NEW_AND_OLD_IMAGES).

const TABLE = 'paths';
const AUTH =
  'AWS4-HMAC-SHA256 Credential=local/20261202/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0';

/** A raw request over TCP to the public port: status, content type and the JSON answer. */
function overTcp(endpoint: string, { headers, body }: LocalRequest) {
  return new Promise<{ status: number; type: string | undefined; answer: unknown }>((resolve, reject) => {
    const call = request(endpoint, { method: 'POST', headers }, (reply) => {
      const parts: Buffer[] = [];
      reply.on('data', (chunk: Buffer) => parts.push(chunk));
      reply.on('end', () =>
        resolve({
          status: reply.statusCode ?? 0,
          type: reply.headers['content-type'],
          answer: JSON.parse(Buffer.concat(parts).toString('utf8')),
        }),
      );
    });
    call.on('error', reject);
    call.end(body);
  });
}

function raw(operation: string, body: string): LocalRequest {
  return {
    method: 'POST',
    path: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${operation}`,
      'x-amz-date': '20261202T000000Z',
      authorization: AUTH,
    },
    body: Buffer.from(body),
  };
}

/** What a caller sees of an SDK call: its output without request metadata, or the error's name, message and item. */
async function outcome(send: () => Promise<{ $metadata: unknown }>) {
  try {
    const { $metadata: _metadata, ...output } = await send();
    return { output };
  } catch (error) {
    const { name, message, $fault } = error as { name: string; message: string; $fault: string };
    const item = error instanceof ConditionalCheckFailedException ? error.Item : undefined;
    return { error: { name, message, $fault, item } };
  }
}

describe('the local DynamoDB, in-process and on its public port', () => {
  const dynamodb = new LocalDynamoDB({ tableName: TABLE });
  const records: StreamRecord[] = [];
  let inProcess: DynamoDBClient;
  let external: DynamoDBClient;
  beforeAll(async () => {
    await dynamodb.start();
    dynamodb.subscribe(
      () => true,
      async (batch) => {
        records.push(...batch);
        return {};
      },
    );
    const settings = { endpoint: dynamodb.endpoint, region: 'us-east-1', maxAttempts: 1 };
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    inProcess = new DynamoDBClient({ ...settings, credentials });
    inProcessClient(inProcess);
    external = new DynamoDBClient({ ...settings, credentials });
  });
  afterAll(async () => {
    inProcess?.destroy();
    external?.destroy();
    await dynamodb.stop();
  });

  it.each([
    ['a body that is not JSON', raw('PutItem', 'not json')],
    ['an unknown operation', raw('Frobnicate', '{}')],
    ['a PutItem without an item', raw('PutItem', `{"TableName":"${TABLE}"}`)],
    ['a GetItem of a table that does not exist', raw('GetItem', '{"TableName":"nope","Key":{"PK":{"S":"a"}}}')],
    [
      'a PutItem whose condition fails',
      raw(
        'PutItem',
        `{"TableName":"${TABLE}","Item":{"PK":{"S":"raw"},"SK":{"S":"x"}},"ConditionExpression":"attribute_exists(PK)"}`,
      ),
    ],
    ['a GetItem of nothing', raw('GetItem', `{"TableName":"${TABLE}","Key":{"PK":{"S":"raw"},"SK":{"S":"x"}}}`)],
  ])('answers %s the same way', async (_what, call) => {
    // Act
    const overHttp = await overTcp(dynamodb.endpoint, call);
    const direct = await dynamodb.handle(call);
    // Assess
    expect(overHttp.status).toBeGreaterThanOrEqual(200);
    expect({
      status: direct.status,
      type: direct.headers['content-type'],
      answer: JSON.parse(direct.body.toString('utf8')),
    }).toEqual(overHttp);
  });

  it('gives an SDK client the same outputs and errors in-process as over TCP', async () => {
    // Prepare
    const item = { PK: { S: 'ORDER#1' }, SK: { S: 'PURCHASE' }, total: { N: '12.5' } };
    const put = () => new PutItemCommand({ TableName: TABLE, Item: item });
    const conditional = () =>
      new PutItemCommand({
        TableName: TABLE,
        Item: item,
        ConditionExpression: 'attribute_not_exists(PK)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    const invalid = () => new GetItemCommand({ TableName: TABLE, Key: { PK: { S: 'ORDER#1' } } });
    const get = () => new GetItemCommand({ TableName: TABLE, Key: { PK: item.PK, SK: item.SK } });
    // Act
    const answers = [];
    for (const command of [put, conditional, invalid, get])
      answers.push([
        await outcome(() => inProcess.send(command() as PutItemCommand)),
        await outcome(() => external.send(command() as PutItemCommand)),
      ]);
    // Assess
    for (const [direct, tcp] of answers) expect(direct).toEqual(tcp);
    // (dynalite does not return the item of ReturnValuesOnConditionCheckFailure; both paths agree on that too)
    expect(answers[1]?.[0]?.error).toMatchObject({ name: 'ConditionalCheckFailedException', $fault: 'client' });
    expect(answers[2]?.[0]?.error).toMatchObject({ name: 'ValidationException', $fault: 'client' });
    expect(answers[3]?.[0]?.output).toEqual({ Item: item });
  });

  it('records INSERT, MODIFY and REMOVE with the images before and after, in order, and nothing for a write that changed nothing', async () => {
    // Prepare
    records.length = 0;
    const key = { PK: { S: 'ORDER#2' }, SK: { S: 'PURCHASE' } };
    // Act
    await inProcess.send(new PutItemCommand({ TableName: TABLE, Item: { ...key, status: { S: 'paid' } } }));
    await inProcess
      .send(new PutItemCommand({ TableName: TABLE, Item: key, ConditionExpression: 'attribute_not_exists(PK)' }))
      .catch(() => undefined);
    await inProcess.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: key,
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: 'refunded' } },
      }),
    );
    await inProcess.send(new DeleteItemCommand({ TableName: TABLE, Key: key }));
    await inProcess.send(new DeleteItemCommand({ TableName: TABLE, Key: key }));
    await dynamodb.drained(5_000);
    // Assess
    expect(records.map((r) => [r.eventName, r.dynamodb.OldImage?.status?.S, r.dynamodb.NewImage?.status?.S])).toEqual([
      ['INSERT', undefined, 'paid'],
      ['MODIFY', 'paid', 'refunded'],
      ['REMOVE', 'refunded', undefined],
    ]);
    const sequence = records.map((r) => Number(r.dynamodb.SequenceNumber));
    expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
  });
  it("answers each write with the ReturnValues its caller asked for, and records the images the proxy took from dynalite's own answers", async () => {
    // Prepare: the proxy asks dynalite for the old item (ALL_OLD) to build the stream record; a caller that asked for
    // nothing must still get nothing back, and one that asked for something exactly that.
    records.length = 0;
    const key = { PK: { S: 'ORDER#rv' }, SK: { S: 'PURCHASE' } };
    const update = (status: string, ReturnValues?: 'ALL_NEW' | 'UPDATED_OLD' | 'ALL_OLD') =>
      new UpdateItemCommand({
        TableName: TABLE,
        Key: key,
        UpdateExpression: 'SET #s = :s',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': { S: status } },
        ...(ReturnValues ? { ReturnValues } : {}),
      });
    const attributes = async (send: Promise<{ Attributes?: Record<string, { S?: string }> }>) =>
      (await send).Attributes?.status?.S ?? 'none';
    // Act
    const answers = [
      await attributes(inProcess.send(new PutItemCommand({ TableName: TABLE, Item: { ...key, status: { S: 'a' } } }))),
      await attributes(
        inProcess.send(
          new PutItemCommand({ TableName: TABLE, Item: { ...key, status: { S: 'b' } }, ReturnValues: 'ALL_OLD' }),
        ),
      ),
      await attributes(inProcess.send(update('c'))),
      await attributes(inProcess.send(update('d', 'ALL_NEW'))),
      await attributes(inProcess.send(update('e', 'UPDATED_OLD'))),
      await attributes(inProcess.send(update('f', 'ALL_OLD'))),
      await attributes(inProcess.send(new DeleteItemCommand({ TableName: TABLE, Key: key }))),
    ];
    await dynamodb.drained(5_000);
    // Assess
    expect(answers).toEqual(['none', 'a', 'none', 'd', 'd', 'e', 'none']);
    expect(records.map((r) => [r.eventName, r.dynamodb.OldImage?.status?.S, r.dynamodb.NewImage?.status?.S])).toEqual([
      ['INSERT', undefined, 'a'],
      ['MODIFY', 'a', 'b'],
      ['MODIFY', 'b', 'c'],
      ['MODIFY', 'c', 'd'],
      ['MODIFY', 'd', 'e'],
      ['MODIFY', 'e', 'f'],
      ['REMOVE', 'f', undefined],
    ]);
  });

  it('sorts string keys by their UTF-8 bytes, as DynamoDB does, and pages a limited Query to the end', async () => {
    // Prepare: UTF-16 order (JavaScript's) puts the emoji (a surrogate pair, 0xD83D…) before U+FF01; UTF-8 order
    // (DynamoDB's: F0 9F… against EF BC 81) puts it after. dynalite's store keeps keys as text now (local-cloud/dynalite.ts).
    const sortKeys = ['b', 'a\uFF01', 'a😀', 'a', 'Z', 'a\u00E9'];
    for (const SK of sortKeys)
      await inProcess.send(new PutItemCommand({ TableName: TABLE, Item: { PK: { S: 'ORDER#sort' }, SK: { S: SK } } }));
    const byBytes = [...sortKeys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    // Act: two items a page, each page's iterator closed when its page is full
    const seen: string[] = [];
    let startKey: QueryCommand['input']['ExclusiveStartKey'];
    do {
      const page = await inProcess.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': { S: 'ORDER#sort' } },
          Limit: 2,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      seen.push(...(page.Items ?? []).map((item) => item.SK?.S ?? ''));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    // Assess
    expect(byBytes.indexOf('a😀')).toBeGreaterThan(byBytes.indexOf('a\uFF01'));
    expect(seen).toEqual(byBytes);
  });
});

describe('the local DynamoDB after it stopped', () => {
  it('answers a late in-process write with a 500, as a refused connection, and does not bring the process down', async () => {
    // Prepare: a function still running when the cloud stops (the end of a simulate run) writes once more.
    const dynamodb = new LocalDynamoDB({ tableName: TABLE });
    await dynamodb.start();
    await dynamodb.stop();
    // Act
    const late = await dynamodb.handle(
      raw('UpdateItem', `{"TableName":"${TABLE}","Key":{"PK":{"S":"late"},"SK":{"S":"x"}}}`),
    );
    // Assess
    expect(late.status).toBe(500);
    expect(JSON.parse(late.body.toString('utf8')).__type).toContain('InternalServerError');
  });
});
