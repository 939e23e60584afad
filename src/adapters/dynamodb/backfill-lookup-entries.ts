/**
 * One-off migration: incidents written before lookups by key id and the resolved list existed
 * get their key entry and, when resolved, their resolved-list entry. Runs in the background at
 * start-up until a marker says it finished once; any number of processes may run it at once,
 * because every entry it writes is the very item the repository would write.
 */
import { GetCommand, paginateScan, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { IncidentStatus } from '../../domain/incident/incident.js';
import { Entity, header } from './item-codec.js';
import { migrationMarkerKey } from './keys.js';
import { fromIncidentItem, toKeyIncidentItem, toResolvedIndexItem } from './mapper.js';

/** The marker's name: bump it only for a new migration. */
export const LOOKUP_ENTRIES_MIGRATION = 'lookup-entries-v1';

/** Writes the missing entries; resolves with the number of incidents seen (0 when done before). */
export async function backfillLookupEntries(client: DynamoDBDocumentClient, tableName: string): Promise<number> {
  const marker = migrationMarkerKey(LOOKUP_ENTRIES_MIGRATION);
  const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: marker, ConsistentRead: true }));
  if (Item !== undefined) return 0;
  let seen = 0;
  // The one scan of the bot, once per table, never in a request: old incidents can be found no other way.
  const pages = paginateScan({ client }, {
    TableName: tableName,
    FilterExpression: '#entity = :incident',
    ExpressionAttributeNames: { '#entity': 'entity' },
    ExpressionAttributeValues: { ':incident': Entity.Incident },
  });
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const incident = fromIncidentItem(item);
      const resolved = incident.status === IncidentStatus.Resolved ? toResolvedIndexItem(incident) : undefined;
      // A resolution reopened since is left stale here at worst: the list's reads skip such entries.
      for (const entry of [toKeyIncidentItem(incident), resolved]) {
        if (entry) await client.send(new PutCommand({ TableName: tableName, Item: entry }));
      }
      seen += 1;
    }
  }
  await client.send(new PutCommand({ TableName: tableName, Item: { ...header(marker, Entity.MigrationMarker), incidents: seen } }));
  return seen;
}
