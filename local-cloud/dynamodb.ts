import { createServer, request as httpRequest, type Server } from 'node:http';
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
import { tableSchema } from '../functions/shared/store/schema.ts';
import { applyStreamMapping } from '../infra/functions.ts';
import { type Dynalite, startDynalite } from './dynalite.ts';
import {
  dynamoError,
  type Key,
  MAX_REQUEST_BYTES,
  PARTITION_WRITE_UNITS_PER_SECOND,
  parseBody,
  refusal,
  splitBatchGet,
  splitBatchWrite,
  WRITE_OPERATIONS,
  writtenKeys,
} from './dynamodb-requests.ts';
import {
  httpListener,
  inProcessAgent,
  inProcessClient,
  type LocalReply,
  type LocalRequest,
  localPath,
  serveDirect,
  serveInProcess,
  stopServing,
} from './in-process.ts';
import { HottestKey, PerSecond } from './observations.ts';
import {
  LocalStreamMapping,
  type MappingSettings,
  type OnFailureRecord,
  type StreamConsumer,
  type StreamRecord,
} from './stream-mapping.ts';

export type { OnFailureRecord, StreamConsumer, StreamRecord } from './stream-mapping.ts';

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';

interface Fault {
  operation: string;
  remaining: number;
  contains: string[];
  kind: 'error' | 'unprocessed';
}

/**
 * dynalite (the DynamoDB API) behind a thin pass-through proxy that adds what dynalite lacks: a table stream.
 * Every successful write produces NEW_AND_OLD_IMAGES records, delivered to the subscribed function by a local
 * event source mapping with Lambda's documented semantics (stream-mapping.ts); what it discards leaves its
 * metadata in `onFailureQueue`. No request, however malformed, can bring the proxy down: dynalite answers it.
 */
export class LocalDynamoDB {
  /** The stack's on-failure queue of the apply mapping (an SQS queue on AWS): metadata of discarded records. */
  readonly onFailureQueue: OnFailureRecord[] = [];
  /** Requests by operation (GetItem, PutItem…): the "AWS calls" figure of benchmarks. */
  readonly requestCounts: Record<string, number> = {};
  /** Requests per virtual second and the busiest partition key's writes in one second (bench:capacity); read-only. */
  readonly observed = { reads: new PerSecond(), writes: new PerSecond(), hottestPartitionWrites: new HottestKey() };
  private faults: Fault[] = [];
  /** Stream records still being read after their write was answered. */
  private recording = new Set<Promise<void>>();
  private consumer: { filter: (record: StreamRecord) => boolean; mapping: LocalStreamMapping } | undefined;
  private readonly watchers: ((image: Record<string, AttributeValue>) => void)[] = [];
  private sequence = 0;
  private proxy: Server | undefined;
  private backend: Server | undefined;
  private backendPort = 0;
  private direct: Dynalite | undefined;
  private reader: DynamoDBClient | undefined;
  /** Write units used by each partition key in the current virtual second. */
  private readonly partitionWrites = new Map<string, { second: number; units: number }>();
  endpoint = '';

  /** dynalite itself, behind no proxy (benchmarks: the physical minimum of a durable write). */
  get bareEndpoint(): string {
    return `http://127.0.0.1:${this.backendPort}`;
  }

  constructor(
    private readonly options: {
      path?: string;
      port?: number;
      tableName: string;
      /** Virtual time (stream record ages); the wall clock by default. */
      now?: () => number;
      hold?: () => () => void;
    },
  ) {}

  get streamArn(): string {
    return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${this.options.tableName}/stream/1970-01-01T00:00:00.000`;
  }

  async start(): Promise<void> {
    const backend = startDynalite({ createTableMs: 0, ...(this.options.path ? { path: this.options.path } : {}) });
    this.backend = backend.server;
    this.backendPort = await listen(this.backend, 0);
    // In-process callers (the SDK clients, the stream capture) reach dynalite without HTTP on the direct path.
    if (localPath === 'direct') this.direct = backend;
    serveDirect(this.backend, backend.answer);
    const service = (request: LocalRequest) => this.handle(request);
    this.proxy = createServer(httpListener(service, { maxBytes: MAX_REQUEST_BYTES, tooLarge: TOO_LARGE }));
    this.proxy.keepAliveTimeout = 60_000;
    const port = await listen(this.proxy, this.options.port ?? 0);
    serveDirect(this.proxy, service);
    this.endpoint = `http://127.0.0.1:${port}`;
    this.reader = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${this.backendPort}`,
      region: REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    inProcessClient(this.reader);
    await this.createTable();
  }

  /**
   * The next `count` requests of `operation` ('*' for any) — optionally only those whose body contains every one of `contains`
   * — fail with a 500 InternalServerError, as on a bad day. (The SDK retries each call up to 4 times.)
   */
  injectFaults(operation: string, count: number, ...contains: string[]): void {
    this.faults.push({ operation, remaining: count, contains, kind: 'error' });
  }

  /**
   * Test hook: the next `count` BatchWriteItem requests (optionally only those containing every one of `contains`)
   * write only the first half of their items and answer the rest as `UnprocessedItems` (HTTP 200), as DynamoDB may
   * under throttling (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html).
   */
  injectUnprocessedItems(count: number, ...contains: string[]): void {
    this.faults.push({ operation: 'BatchWriteItem', remaining: count, contains, kind: 'unprocessed' });
  }

  /**
   * Test hook: the next `count` BatchGetItem requests (optionally only those containing every one of `contains`)
   * read only the first half of their keys and answer the rest as `UnprocessedKeys` (HTTP 200), as DynamoDB may
   * under throttling (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html).
   */
  injectUnprocessedKeys(count: number, ...contains: string[]): void {
    this.faults.push({ operation: 'BatchGetItem', remaining: count, contains, kind: 'unprocessed' });
  }

  /** True while stream records are being produced or delivered. */
  busy(): boolean {
    return this.recording.size > 0 || this.consumer?.mapping.busy() === true;
  }

  /** How many injected faults have not fired yet. */
  faultsLeft(): number {
    return this.faults.reduce((sum, fault) => sum + fault.remaining, 0);
  }

  /**
   * The Lambda event source mapping's filter + function of the CDK stack, with its settings (infra/functions.ts
   * `applyStreamMapping` unless given).
   */
  subscribe(
    filter: (record: StreamRecord) => boolean,
    handle: StreamConsumer,
    settings: MappingSettings = applyStreamMapping,
  ): void {
    const mapping = new LocalStreamMapping(settings, handle, {
      now: this.options.now ?? Date.now,
      ...(this.options.hold ? { hold: this.options.hold } : {}),
      functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:aftercare-apply`,
      streamArn: this.streamArn,
      shardId: 'shardId-00000000000000000000-00000001',
      onFailureQueue: this.onFailureQueue,
    });
    this.consumer = { filter, mapping };
  }

  /** The local cloud's own view of writes (not a stream consumer): each item as written, e.g. a run's due time. */
  watch(listener: (image: Record<string, AttributeValue>) => void): void {
    this.watchers.push(listener);
  }

  /** The emulator's own read of the table (no IAM, no proxy): the local cloud's bookkeeping only. */
  get backendClient(): DynamoDBClient | undefined {
    return this.reader;
  }

  /**
   * Test hook: holds stream records back, as a disabled event source mapping does, until the returned resume is
   * called; then they are delivered in batches of up to the mapping's batch size.
   */
  pauseStream(): () => void {
    const mapping = this.consumer?.mapping;
    if (!mapping) throw new Error('no stream consumer subscribed');
    return mapping.pause();
  }

  /** Resolves once every stream record written so far has been delivered (or discarded after retries). */
  async drained(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.busy()) {
      if (Date.now() > deadline) throw new Error(`stream not drained after ${timeoutMs} ms`);
      await Promise.race([
        Promise.allSettled([...this.recording, this.consumer?.mapping.idle()]),
        new Promise((r) => setTimeout(r, 5)),
      ]);
    }
  }

  async stop(): Promise<void> {
    await this.drained(10_000).catch(() => undefined);
    this.reader?.destroy();
    await Promise.all([close(this.proxy), close(this.backend)]);
  }

  /** Counts a request on the virtual clock: writes by the items they touch (≈ write units for items under 1 KB). */
  private observe(operation: string, request: Record<string, unknown> | undefined): void {
    const now = (this.options.now ?? Date.now)();
    if (!WRITE_OPERATIONS.has(operation)) {
      this.observed.reads.record(now);
      return;
    }
    const keys = writtenKeys(operation, request);
    this.observed.writes.record(now, Math.max(1, keys.length));
    for (const key of keys) this.observed.hottestPartitionWrites.record(now, key[tableSchema.partitionKey]?.S ?? '');
  }

  /**
   * One request to the proxy, as the public port's HTTP server and the in-process callers both send it: the
   * refusals and faults the local cloud adds, then dynalite's answer, then the write's stream record.
   */
  async handle(request: LocalRequest): Promise<LocalReply> {
    if (request.body.length > MAX_REQUEST_BYTES) return TOO_LARGE;
    try {
      return await this.forward(request);
    } catch (error) {
      return reply(500, dynamoError('InternalServerError', (error as Error).message));
    }
  }

  private async forward(request: LocalRequest): Promise<LocalReply> {
    const body = request.body;
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    this.requestCounts[operation] = (this.requestCounts[operation] ?? 0) + 1;
    const parsed = parseBody(body);
    this.observe(operation, parsed);
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (f.operation === '*' || f.operation === operation) &&
        f.contains.every((part) => body.includes(part)),
    );
    const refused = refusal(body, parsed);
    if (refused) return reply(400, refused);
    const hot = this.hotPartition(operation, parsed, body.length);
    if (hot) return reply(400, hot);
    if (fault?.kind === 'error') {
      fault.remaining -= 1;
      return reply(500, dynamoError('InternalServerError', 'Injected fault'));
    }
    if (fault?.kind === 'unprocessed' && parsed) {
      fault.remaining -= 1;
      const held = holdBack(operation, parsed);
      if (!held.forwarded) return reply(200, held.answer);
      return this.write(request, operation, held.forwarded, Buffer.from(JSON.stringify(held.forwarded)), held);
    }
    return this.write(request, operation, parsed, body, undefined);
  }

  /** dynalite's answer to the request as forwarded, and a successful write's stream records. */
  private async write(
    request: LocalRequest,
    operation: string,
    parsed: Record<string, unknown> | undefined,
    forwarded: Buffer,
    unprocessed: Unprocessed | undefined,
  ): Promise<LocalReply> {
    const keys = writtenKeys(operation, parsed);
    const plan = this.consumer && keys.length === 1 && parsed ? imagePlan(operation, parsed) : undefined;
    const body = plan?.ask ? Buffer.from(JSON.stringify({ ...parsed, ReturnValues: plan.ask })) : forwarded;
    const before = plan?.old === 'returned' ? [] : await Promise.all(keys.map((key) => this.read(key)));
    const answer = await this.send({ ...request, body });
    let replyBody = unprocessed ? withUnprocessed(answer.body, unprocessed) : answer.body;
    if (answer.status === 200 && keys.length > 0) {
      // A one-item write's answer is parsed once: for the images it returned and to strip what only the proxy asked.
      const replied = plan ? parseBody(answer.body) : undefined;
      if (plan?.ask && !plan.callerAsked && replied) replyBody = withoutAttributes(replied, answer.body);
      const images = plan ? imagesOf(plan, parsed, replied?.Attributes as Item | undefined, before[0]) : undefined;
      const recorded = this.record(keys, before, images)
        .catch(() => undefined) // the write stands; only its stream record is lost (never the process)
        .finally(() => this.recording.delete(recorded));
      this.recording.add(recorded);
    }
    const { 'content-length': _length, 'x-amz-crc32': _crc, ...headers } = answer.headers;
    return { status: answer.status, headers, body: replyBody };
  }

  /**
   * DynamoDB's partition limit: 1,000 write units a second per partition, in on-demand mode too; one partition key
   * value can never exceed it. Every write counts (a failed conditional write consumes units as well), 1 KB a unit.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/throttling-key-range-limit-exceeded-mitigation.html
   */
  private hotPartition(operation: string, request: Record<string, unknown> | undefined, bytes: number) {
    const keys = writtenKeys(operation, request);
    if (keys.length === 0) return undefined;
    const second = Math.floor((this.options.now ?? Date.now)() / 1000);
    const units = Math.max(1, Math.ceil(bytes / keys.length / 1024));
    const partitions = keys.map((key) => key[tableSchema.partitionKey]?.S ?? '');
    for (const partition of partitions) {
      const used = this.partitionWrites.get(partition);
      if (used && used.second === second && used.units + units > PARTITION_WRITE_UNITS_PER_SECOND) {
        return dynamoError(
          'ProvisionedThroughputExceededException',
          'Throughput exceeds the current capacity for one or more partitions of your table.',
          { ThrottlingReasons: [{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: this.tableArn }] },
        );
      }
    }
    if (this.partitionWrites.size > 10_000) this.partitionWrites.clear(); // only the current second matters
    for (const partition of partitions) {
      const used = this.partitionWrites.get(partition);
      const current = used && used.second === second ? used.units : 0;
      this.partitionWrites.set(partition, { second, units: current + units });
    }
    return undefined;
  }

  private get tableArn(): string {
    return `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${this.options.tableName}`;
  }

  /** The request, as received, to dynalite: its handler called in-process, or over HTTP on the other paths. */
  private send(request: LocalRequest): Promise<LocalReply> {
    if (this.direct) return this.direct.answer(request);
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          host: '127.0.0.1',
          port: this.backendPort,
          method: request.method,
          path: request.path,
          agent: inProcessAgent,
          headers: {
            ...request.headers,
            host: `127.0.0.1:${this.backendPort}`,
            'content-length': String(request.body.length),
          },
        },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('error', reject);
          answer.on('end', () =>
            resolve({
              status: answer.statusCode ?? 500,
              headers: answer.headers as Record<string, string>,
              body: Buffer.concat(parts),
            }),
          );
        },
      );
      upstream.on('error', reject);
      upstream.end(request.body);
    });
  }

  /** The item's ConsistentRead image: from dynalite's store on the direct path, else a GetItem over HTTP. */
  private async read(key: Key) {
    if (!this.consumer) return undefined;
    if (this.direct) return this.direct.getItem(this.options.tableName, key);
    const result = await this.reader?.send(
      new GetItemCommand({ TableName: this.options.tableName, Key: key, ConsistentRead: true }),
    );
    return result?.Item;
  }

  /**
   * The write's stream records: each key's images read before and after it, or (one item) those `images` the
   * write itself returned, read only where it could not return them.
   */
  private async record(keys: Key[], before: (Item | undefined)[], images?: Images) {
    const consumer = this.consumer;
    if (!consumer) return;
    const after = images
      ? [images.readNew ? await this.read(keys[0] as Key) : images.new]
      : await Promise.all(keys.map((key) => this.read(key)));
    const olds = images ? [images.old] : before;
    const now = (this.options.now ?? Date.now)();
    // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the stream proxy's per-request path: parse, forward, capture the images; kept in one place to read against AWS's
    keys.forEach((key, index) => {
      const oldImage = olds[index];
      const newImage = after[index];
      if (!oldImage && !newImage) return;
      if (newImage) for (const watcher of this.watchers) watcher(newImage);
      this.sequence += 1;
      const record: StreamRecord = {
        eventID: String(this.sequence),
        eventName: !oldImage ? 'INSERT' : !newImage ? 'REMOVE' : 'MODIFY',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: REGION,
        eventSourceARN: this.streamArn,
        dynamodb: {
          ApproximateCreationDateTime: Math.floor(now / 1000),
          Keys: key,
          ...(newImage ? { NewImage: newImage } : {}),
          ...(oldImage ? { OldImage: oldImage } : {}),
          SequenceNumber: String(this.sequence).padStart(21, '0'),
          SizeBytes: JSON.stringify([key, newImage, oldImage]).length,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
      };
      if (consumer.filter(record)) consumer.mapping.push(record);
    });
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

function reply(status: number, body: string): LocalReply {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(body) };
}

/** DynamoDB's answer to a body beyond its 16 MB request limit. */
const TOO_LARGE: LocalReply = { status: 413, headers: {}, body: Buffer.alloc(0) };

type Item = Record<string, AttributeValue>;
/** A one-item write's stream images: as it returned them, from its request, or read (`readNew`) after it. */
interface Images {
  old: Item | undefined;
  new: Item | undefined;
  readNew: boolean;
}

interface ImagePlan {
  /** The ReturnValues the proxy asks for when the caller asked for none. */
  ask?: 'ALL_OLD';
  callerAsked: boolean;
  old: 'returned' | 'read';
  new: 'returned' | 'request' | 'read' | 'none';
}

/**
 * Where a one-item write's stream images come from, so that the proxy reads the item around it as little as it can:
 * dynalite returns the old item when asked (`ReturnValues` ALL_OLD, or ALL_NEW for an update that asked for it), a
 * PutItem's new image is its item, a DeleteItem has none. The caller's own `ReturnValues` is kept: a write that asked
 * for nothing is answered without the attributes asked for here. Any other `ReturnValues` (dynalite judges invalid
 * ones) keeps both reads.
 */
function imagePlan(operation: string, request: Record<string, unknown>): ImagePlan | undefined {
  const asked = request.ReturnValues;
  const none = asked === undefined || asked === 'NONE';
  if (operation === 'UpdateItem' && asked === 'ALL_NEW') return { callerAsked: true, old: 'read', new: 'returned' };
  if (!none && asked !== 'ALL_OLD') return undefined;
  const returnsOld = { ...(none ? { ask: 'ALL_OLD' as const } : {}), callerAsked: !none, old: 'returned' as const };
  if (operation === 'PutItem') return { ...returnsOld, new: 'request' };
  if (operation === 'DeleteItem') return { ...returnsOld, new: 'none' };
  if (operation === 'UpdateItem') return { ...returnsOld, new: 'read' };
  return undefined;
}

function imagesOf(
  plan: ImagePlan,
  request: Record<string, unknown> | undefined,
  returned: Item | undefined,
  before: Item | undefined,
): Images {
  const fromRequest = plan.new === 'request' ? (request?.Item as Item | undefined) : undefined;
  return {
    old: plan.old === 'returned' ? returned : before,
    new: plan.new === 'returned' ? returned : fromRequest,
    readNew: plan.new === 'read',
  };
}

function withoutAttributes(reply: Record<string, unknown>, body: Buffer): Buffer {
  if (!('Attributes' in reply)) return body;
  const { Attributes: _asked, ...rest } = reply;
  return Buffer.from(JSON.stringify(rest));
}

/**
 * A batch request as a throttled DynamoDB answers it: the first half forwarded (`forwarded`, or none: then `answer`
 * is the whole reply), the rest answered as unprocessed.
 */
function holdBack(
  operation: string,
  request: Record<string, unknown>,
): Unprocessed & { forwarded?: Record<string, unknown>; answer: string } {
  const reads = operation === 'BatchGetItem';
  const split = reads ? splitBatchGet(request) : splitBatchWrite(request);
  const field = reads ? 'UnprocessedKeys' : 'UnprocessedItems';
  const answer = JSON.stringify({ ...(reads ? { Responses: {} } : {}), [field]: split.unprocessed });
  const forwarded = Object.keys(split.processed).length > 0 ? { ...request, RequestItems: split.processed } : undefined;
  return { field, requests: split.unprocessed, answer, ...(forwarded ? { forwarded } : {}) };
}

/** The part of a batch a fault held back: a BatchWriteItem's UnprocessedItems, a BatchGetItem's UnprocessedKeys. */
interface Unprocessed {
  field: 'UnprocessedItems' | 'UnprocessedKeys';
  requests: Record<string, unknown>;
}

/** dynalite's answer to the forwarded half, with what the fault held back as UnprocessedItems or UnprocessedKeys. */
function withUnprocessed(body: Buffer, unprocessed: Unprocessed): Buffer {
  const reply = parseBody(body);
  if (!reply) return body;
  return Buffer.from(JSON.stringify({ ...reply, [unprocessed.field]: unprocessed.requests }));
}

export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      serveInProcess(bound, server);
      resolve(bound);
    });
  });
}

export function close(server: Server | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!server?.listening) return resolve();
    stopServing(server);
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}
