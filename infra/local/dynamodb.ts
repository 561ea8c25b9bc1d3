import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AttributeValue,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { tableSchema } from '../../functions/shared/store/schema.ts';

export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventSource: 'aws:dynamodb';
  eventSourceARN: string;
  dynamodb: {
    Keys: Record<string, AttributeValue>;
    NewImage?: Record<string, AttributeValue>;
    OldImage?: Record<string, AttributeValue>;
    SequenceNumber: string;
    StreamViewType: 'NEW_AND_OLD_IMAGES';
  };
}

export type StreamConsumer = (
  records: StreamRecord[],
) => Promise<{ batchItemFailures?: { itemIdentifier: string }[] } | undefined>;

const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);
const MAX_STREAM_ATTEMPTS = 5;

/**
 * dynalite (the DynamoDB API) behind a thin pass-through proxy that adds what dynalite lacks: a table stream.
 * Every successful write produces NEW_AND_OLD_IMAGES records, delivered in order, in batches, to the consumer
 * the way a Lambda event source mapping does (partial batch failures retried, then dropped to `failedRecords`).
 */
export class LocalDynamoDB {
  readonly failedRecords: StreamRecord[] = [];
  /** Requests by operation (GetItem, PutItem…): the "AWS calls" figure of benchmarks. */
  readonly requestCounts: Record<string, number> = {};
  private faults: { operation: string; remaining: number; contains: string[] }[] = [];
  /** Stream records still being read after their write was answered. */
  private recording = new Set<Promise<void>>();
  private consumer: { filter: (record: StreamRecord) => boolean; handle: StreamConsumer } | undefined;
  private queue: StreamRecord[] = [];
  private delivering: Promise<void> | undefined;
  private sequence = 0;
  private proxy: Server | undefined;
  private backend: Server | undefined;
  private backendPort = 0;
  private reader: DynamoDBClient | undefined;
  endpoint = '';

  constructor(private readonly options: { path?: string; port?: number; tableName: string }) {}

  async start(): Promise<void> {
    this.backend = dynalite({ createTableMs: 0, ...(this.options.path ? { path: this.options.path } : {}) });
    this.backendPort = await listen(this.backend, 0);
    this.proxy = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on(
        'end',
        () => void this.forward(request.headers, Buffer.concat(chunks), request.method ?? 'POST', response),
      );
    });
    this.proxy.keepAliveTimeout = 60_000;
    const port = await listen(this.proxy, this.options.port ?? 0);
    this.endpoint = `http://127.0.0.1:${port}`;
    this.reader = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${this.backendPort}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await this.createTable();
  }

  /**
   * The next `count` requests of `operation` ('*' for any) — optionally only those whose body contains every one of `contains`
   * — fail with a 500 InternalServerError, as on a bad day. (The SDK retries each call up to 4 times.)
   */
  injectFaults(operation: string, count: number, ...contains: string[]): void {
    this.faults.push({ operation, remaining: count, contains });
  }

  /** True while stream records are being produced or delivered. */
  busy(): boolean {
    return this.recording.size > 0 || this.queue.length > 0 || this.delivering !== undefined;
  }

  /** How many injected faults have not fired yet. */
  faultsLeft(): number {
    return this.faults.reduce((sum, fault) => sum + fault.remaining, 0);
  }

  /** Same as the Lambda event source mapping's filter + function in the CDK stack. */
  subscribe(filter: (record: StreamRecord) => boolean, handle: StreamConsumer): void {
    this.consumer = { filter, handle };
  }

  /** Resolves once every stream record written so far has been delivered (or dropped after retries). */
  async drained(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.recording.size > 0 || this.queue.length > 0 || this.delivering) {
      if (Date.now() > deadline) throw new Error(`stream not drained after ${timeoutMs} ms`);
      await Promise.race([
        Promise.allSettled([...this.recording, this.delivering]),
        new Promise((r) => setTimeout(r, 5)),
      ]);
    }
  }

  async stop(): Promise<void> {
    await this.drained(10_000).catch(() => undefined);
    this.reader?.destroy();
    await Promise.all([close(this.proxy), close(this.backend)]);
  }

  private async forward(
    headers: IncomingHttpHeaders,
    body: Buffer,
    method: string,
    response: import('node:http').ServerResponse,
  ) {
    const operation = String(headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    this.requestCounts[operation] = (this.requestCounts[operation] ?? 0) + 1;
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.operation === '*' || f.operation === operation) &&
        f.contains.every((part) => body.includes(part)),
    );
    if (fault) {
      fault.remaining -= 1;
      response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(
        JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Injected fault' }),
      );
      return;
    }
    const keys = WRITE_OPERATIONS.has(operation) ? writtenKeys(operation, body) : [];
    const before = await Promise.all(keys.map((key) => this.read(key)));
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: this.backendPort,
        method,
        path: '/',
        headers: { ...headers, host: `127.0.0.1:${this.backendPort}` },
      },
      (reply) => {
        const parts: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => parts.push(chunk));
        reply.on('end', () => {
          response.writeHead(reply.statusCode ?? 500, reply.headers);
          response.end(Buffer.concat(parts));
          if (reply.statusCode === 200 && keys.length > 0) {
            const recorded = this.record(keys, before).finally(() => this.recording.delete(recorded));
            this.recording.add(recorded);
          }
        });
      },
    );
    upstream.on('error', (error) => {
      response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(
        JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: error.message }),
      );
    });
    upstream.end(body);
  }

  private async read(key: Record<string, AttributeValue>) {
    if (!this.consumer) return undefined;
    const result = await this.reader?.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: key, ConsistentRead: true }),
    );
    return result?.Item;
  }

  private async record(keys: Record<string, AttributeValue>[], before: (Record<string, AttributeValue> | undefined)[]) {
    if (!this.consumer) return;
    const after = await Promise.all(keys.map((key) => this.read(key)));
    keys.forEach((key, index) => {
      const oldImage = before[index];
      const newImage = after[index];
      if (!oldImage && !newImage) return;
      this.sequence += 1;
      const record: StreamRecord = {
        eventID: String(this.sequence),
        eventName: !oldImage ? 'INSERT' : !newImage ? 'REMOVE' : 'MODIFY',
        eventSource: 'aws:dynamodb',
        eventSourceARN: `arn:aws:dynamodb:us-east-1:000000000000:table/${this.options.tableName}/stream/local`,
        dynamodb: {
          Keys: key,
          ...(newImage ? { NewImage: newImage } : {}),
          ...(oldImage ? { OldImage: oldImage } : {}),
          SequenceNumber: String(this.sequence).padStart(21, '0'),
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      };
      if (this.consumer?.filter(record)) this.queue.push(record);
    });
    this.delivering ??= this.deliver().finally(() => {
      this.delivering = undefined;
    });
  }

  private async deliver(): Promise<void> {
    let attempts = 0;
    while (this.queue.length > 0 && this.consumer) {
      const batch = this.queue.slice(0, 100);
      let failedFrom = -1;
      try {
        const result = await this.consumer.handle(structuredClone(batch));
        const failures = new Set(result?.batchItemFailures?.map((f) => f.itemIdentifier) ?? []);
        failedFrom = batch.findIndex((r) => failures.has(r.dynamodb.SequenceNumber));
      } catch {
        failedFrom = 0;
      }
      if (failedFrom === -1) {
        this.queue.splice(0, batch.length);
        attempts = 0;
        continue;
      }
      this.queue.splice(0, failedFrom);
      attempts += 1;
      if (attempts >= MAX_STREAM_ATTEMPTS) {
        // Like an on-failure destination: the record is set aside, the shard moves on.
        this.failedRecords.push(...this.queue.splice(0, 1));
        attempts = 0;
      } else {
        await new Promise((r) => setTimeout(r, 20 * 2 ** attempts));
      }
    }
  }

  private async createTable(): Promise<void> {
    const client = this.reader as DynamoDBClient;
    const attributes = new Set<string>([tableSchema.partitionKey, tableSchema.sortKey]);
    for (const index of tableSchema.globalSecondaryIndexes) attributes.add(index.partitionKey).add(index.sortKey);
    try {
      await client.send(
        new CreateTableCommand({
          TableName: this.options.tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
          KeySchema: [
            { AttributeName: tableSchema.partitionKey, KeyType: 'HASH' },
            { AttributeName: tableSchema.sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: tableSchema.globalSecondaryIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
        }),
      );
      await client
        .send(
          new UpdateTimeToLiveCommand({
            TableName: this.options.tableName,
            TimeToLiveSpecification: { AttributeName: tableSchema.ttlAttribute, Enabled: true },
          }),
        )
        .catch(() => undefined); // dynalite does not implement TTL; AWS does (see the CDK stack)
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await client.send(new DescribeTableCommand({ TableName: this.options.tableName }));
  }
}

function writtenKeys(operation: string, body: Buffer): Record<string, AttributeValue>[] {
  const request = JSON.parse(body.toString('utf8'));
  const keyOf = (item: Record<string, AttributeValue>) => ({
    [tableSchema.partitionKey]: item[tableSchema.partitionKey] as AttributeValue,
    [tableSchema.sortKey]: item[tableSchema.sortKey] as AttributeValue,
  });
  switch (operation) {
    case 'PutItem':
      return [keyOf(request.Item)];
    case 'UpdateItem':
    case 'DeleteItem':
      return [keyOf(request.Key)];
    case 'TransactWriteItems':
      return request.TransactItems.flatMap((t: Record<string, { Item?: never; Key?: never }>) => {
        const write = t.Put ?? t.Update ?? t.Delete;
        return write ? [keyOf(write.Item ?? write.Key ?? {})] : [];
      });
    case 'BatchWriteItem':
      return Object.values(
        request.RequestItems as Record<string, { PutRequest?: { Item: never }; DeleteRequest?: { Key: never } }[]>,
      )
        .flat()
        .map((w) => keyOf(w.PutRequest?.Item ?? w.DeleteRequest?.Key ?? {}));
    default:
      return [];
  }
}

export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function close(server: Server | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!server?.listening) return resolve();
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}
