/**
 * The one DynamoDB table: key schema, indexes and TTL. The CDK stack and the local cloud both build the table
 * from these constants, so what is tested locally is what is deployed.
 *
 * Access patterns (see README "Data model"):
 *  - purchase by store and order id            PK = PURCHASE#<store>#<order>  SK = PURCHASE
 *  - raw webhook events of a purchase (dedupe)  PK = PURCHASE#<store>#<order>  SK = EVENT#<platform>#<eventId>
 *  - decisions of a purchase (why trail)        PK = PURCHASE#<store>#<order>  SK = STEP#<sequence>#<step>
 *  - survey answer of a purchase                PK = PURCHASE#<store>#<order>  SK = SURVEY
 *  - customer preferences and send cap          PK = CUSTOMER#<store>#<customerKey>  SK = PROFILE
 *  - purchases of a customer                    GSI1: GSI1PK = CUSTOMER#<store>#<customerKey>  GSI1SK = <purchasedAt>#<order>
 *  - purchases of a store by date (reports)     GSI2: GSI2PK = STORE#<store>  GSI2SK = <purchasedAt>#<order>
 *  - suppressed address, all stores             PK = SUPPRESSED#<emailHash>  SK = SUPPRESSED
 *  - delivery state of a sent message           PK = MESSAGE#<messageId>  SK = MESSAGE
 *  - a single-use discount code of an offer     PK = CODES#<store>#<offerSku>  SK = CODE#<code>
 *  - its codes not yet claimed (sparse)         GSI1: GSI1PK = CODES#<store>#<offerSku>  GSI1SK = <code>
 *  - the code one send claimed (idempotency)    PK = PURCHASE#<store>#<order>  SK = CODECLAIM#<sequence>#<step>
 *  - wakes claimed in one second, account-wide  PK = WAKES#<epochSecond>  SK = WAKES  (count; TTL a day after)
 *  - a sequence run: what it waits for next     PK = PURCHASE#<store>#<order>  SK = RUN#<run name>
 *  - runs due for the run keeper (sparse)       GSI3: GSI3PK = RUNS#<shard 0..RUN_SHARDS-1>  GSI3SK = <dueAt>#<run name>
 *    (only `live` and `parked` runs carry GSI3 keys; a `done` run leaves the index)
 *  - a step's wake: its decision, purchase and survey answer in one BatchGetItem, then profile and suppression
 */
export const TABLE_NAME_DEFAULT = 'aftercare';

export const tableSchema = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
    { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
    { indexName: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK' },
  ],
} as const;

export type IndexName = (typeof tableSchema.globalSecondaryIndexes)[number]['indexName'];

/** Partition keys of GSI3: the keeper reads each with one Query; a few spread its writes (runs.ts). */
export const RUN_SHARDS = 4;
