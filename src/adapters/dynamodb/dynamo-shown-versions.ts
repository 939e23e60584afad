/** `ShownVersions` on the incident table: one small item per Slack message (`INC#…`/`SHOWN#…`). */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ShownVersions } from '../../ports/shown-versions.js';
import { Entity, header } from './item-codec.js';
import { shownKey } from './keys.js';
import { errorName } from './transactions.js';

export class DynamoShownVersions implements ShownVersions {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(incidentId: string, message: string, version: number): Promise<boolean> {
    try {
      await this.client.send(new PutCommand({
        TableName: this.tableName,
        Item: { ...header(shownKey(incidentId, message), Entity.ShownVersion), version },
        // An older render may not claim the message: it would replace what is shown with the past.
        ConditionExpression: 'attribute_not_exists(pk) OR #version <= :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': version },
      }));
      return true;
    } catch (err) {
      if (errorName(err) === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async latest(incidentId: string, message: string): Promise<number | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: shownKey(incidentId, message), ConsistentRead: true }));
    return typeof Item?.version === 'number' ? Item.version : undefined;
  }
}
