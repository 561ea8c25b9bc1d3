import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, Billing, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableSchema } from '../../functions/shared/store/schema.ts';

const stringKey = (name: string) => ({ name, type: AttributeType.STRING });

/**
 * The one table, built from the schema the local cloud also uses. Its stream (new and old images) feeds the apply
 * function. Deletion protection and RETAIN keep purchases through a mistaken `cdk destroy`.
 */
export class AftercareTable extends Construct {
  readonly table: TableV2;
  /** The table and each index: what a function that reads or writes purchases may touch, and nothing wider. */
  readonly dataArns: string[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: stringKey(tableSchema.partitionKey),
      sortKey: stringKey(tableSchema.sortKey),
      globalSecondaryIndexes: tableSchema.globalSecondaryIndexes.map((index) => ({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
      })),
      timeToLiveAttribute: tableSchema.ttlAttribute,
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryptionV2.dynamoOwnedKey(),
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stack = Stack.of(this);
    this.dataArns = [
      this.table.tableArn,
      ...tableSchema.globalSecondaryIndexes.map((index) =>
        stack.formatArn({
          service: 'dynamodb',
          resource: 'table',
          resourceName: `${this.table.tableName}/index/${index.indexName}`,
        }),
      ),
    ];
  }
}
