import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { LocalReply, LocalRequest } from './in-process.ts';

const require = createRequire(import.meta.url);
type Item = Record<string, AttributeValue>;
interface DynaliteError {
  statusCode?: number;
  body?: unknown;
}
/** dynalite's store (db/index.js `create`): the LevelDB it keeps the tables in; opaque here. */
type DynaliteStore = object;
/**
 * dynalite's in-memory tables live in memory-level; two of its ways of using it would grow without bound over a long
 * run, so the store is built a little differently (before dynalite's db module loads: it reads `MemoryLevel` once):
 * - memory-level's default store encoding is Buffer: every key and JSON value becomes a small Buffer, a slice of
 *   Node's shared 8 KiB pool, and each one kept keeps its whole slab alive (about 0.9 MB per simulated purchase).
 *   Stored as strings instead: dynalite's keys are hex of the UTF-8 bytes (ASCII), so the sort order is the byte
 *   order DynamoDB uses; the values are the same JSON text.
 * - dynalite's read streams end by calling `iterator.return()`, which abstract-level iterators do not have, so no
 *   Query's iterator was ever closed: each stayed open, holding the tree as it was (every old version of every item).
 *   Here an iterator closes when its stream is done.
 */
interface LevelIterator {
  close(): Promise<void>;
  return?: () => Promise<void>;
}
interface MemoryLevelStore {
  keys(options?: object): LevelIterator;
  values(options?: object): LevelIterator;
}
const memoryLevel = require('memory-level') as { MemoryLevel: new (options?: object) => MemoryLevelStore };
const closable = (iterator: LevelIterator): LevelIterator =>
  Object.assign(iterator, { return: () => iterator.close() });
memoryLevel.MemoryLevel = class DynaliteMemoryLevel extends memoryLevel.MemoryLevel {
  constructor(options?: object) {
    super({ ...options, storeEncoding: 'utf8' });
  }
  override keys(options?: object): LevelIterator {
    return closable(super.keys(options));
  }
  override values(options?: object): LevelIterator {
    return closable(super.values(options));
  }
};
const dynalite = require('dynalite') as (options: object) => Server;
const dynaliteDb = require('dynalite/db') as { create: (options: object) => DynaliteStore };
/** dynalite's own GetItem action (what its HTTP handler runs after validation): the store's item, no HTTP. */
const getItemAction = require('dynalite/actions/getItem') as (
  store: DynaliteStore,
  data: { TableName: string; Key: Item },
  callback: (error: DynaliteError | null, result?: { Item?: Item }) => void,
) => void;

/**
 * dynalite, with its request listener callable without HTTP and its store readable in-process. The server is
 * dynalite's own (its HTTP handler does every validation and answers every error as today); only the store is
 * caught on its way to that handler, since dynalite does not expose it.
 */
export interface Dynalite {
  server: Server;
  /** dynalite's HTTP handler called with a minimal request and response: the same answer, no bytes parsed. */
  answer(request: LocalRequest): Promise<LocalReply>;
  /** The item as a ConsistentRead GetItem returns it (dynalite has one copy: every read is consistent). */
  getItem(tableName: string, key: Item): Promise<Item | undefined>;
}

export function startDynalite(options: { createTableMs: number; path?: string }): Dynalite {
  const create = dynaliteDb.create;
  let store: DynaliteStore | undefined;
  dynaliteDb.create = (storeOptions) => {
    store = create(storeOptions);
    return store;
  };
  let server: Server;
  try {
    server = dynalite(options);
  } finally {
    dynaliteDb.create = create;
  }
  const caught = store;
  if (!caught) throw new Error('dynalite did not create its store through dynalite/db');
  const listener = server.listeners('request')[0] as (request: IncomingMessage, response: ServerResponse) => void;
  // Once its server is closed (its store closes next), a call is refused as a connection to a closed port is: dynalite
  // throws (and would take the process down) when an action finds its store closed.
  const refused = () =>
    Object.assign(new Error('connect ECONNREFUSED: dynalite is closed'), { code: 'ECONNREFUSED', name: 'Error' });
  return {
    server,
    answer: (request) => (server.listening ? callListener(listener, request) : Promise.reject(refused())),
    getItem: (tableName, key) =>
      new Promise((resolve, reject) => {
        if (!server.listening) return reject(refused());
        getItemAction(caught, { TableName: tableName, Key: key }, (error, result) =>
          error ? reject(Object.assign(new Error('dynalite GetItem failed'), error)) : resolve(result?.Item),
        );
      }),
  };
}

/** The request and response objects dynalite's handler uses: events data/end, headers, setHeader, statusCode, end. */
function callListener(
  listener: (request: IncomingMessage, response: ServerResponse) => void,
  { method, path, headers, body }: LocalRequest,
): Promise<LocalReply> {
  return new Promise((resolve, reject) => {
    const request = Object.assign(new EventEmitter(), { method, url: path, headers });
    const replyHeaders: Record<string, string> = {};
    const response = {
      statusCode: 200,
      setHeader(name: string, value: string | number) {
        replyHeaders[name.toLowerCase()] = String(value);
      },
      end(data?: string | Buffer) {
        delete replyHeaders['transfer-encoding']; // no chunks without HTTP
        resolve({ status: response.statusCode, headers: replyHeaders, body: Buffer.from(data ?? '') });
      },
    };
    try {
      listener(request as unknown as IncomingMessage, response as unknown as ServerResponse);
      if (body.length > 0) request.emit('data', body);
      request.emit('end');
    } catch (error) {
      reject(error); // an error dynalite throws while answering (over HTTP it would escape the server)
    }
  });
}
