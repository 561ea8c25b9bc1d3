/** The table actions behind each `FunctionAccess.table` level of infra/functions.ts (the functions' descriptors). */

/**
 * The run keeper's table actions: Query (GSI3 due runs, a purchase's decisions), GetItem (purchase, run item),
 * PutItem (run item, the purchase's runGenerations). No UpdateItem, DeleteItem or batch writes.
 */
export const RUN_KEEPER_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'];

/**
 * Item actions for `read-write`: the ones the functions' code calls (test/infra/permissions.test.ts checks it).
 * BatchGetItem: a step's wake reads its decision, purchase and survey answer, then the profile and suppression, in
 * two round trips. No ConditionCheckItem (no code uses it), no Scan, no table management.
 */
export const TABLE_READ_WRITE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
