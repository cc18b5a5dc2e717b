// A call's priority from its caller (来电优先级). Today: the customer's tags mapped to a priority in the
// queue's settings (`settings.tagPriorities`, the highest matching tag wins; 0 without a match or an
// unknown caller). When the customer-value domain lands, `getCustomerTier(db, orgId, customerId)`
// returns `{ routingPriority }`: plug it in here, in both forms below (the SQL form is what set-based
// ingestion uses; join the tier table there the same way the tags are read).
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';

/**
 * SQL expression of the priority, for set-based statements. `customerTags` is a text[] expression
 * (NULL for an unknown caller), `queueSettings` the queue's settings jsonb (NULL for no queue).
 */
export function callerPrioritySql(customerTags: SQL, queueSettings: SQL): SQL {
  return sql`COALESCE((SELECT max((${queueSettings} -> 'tagPriorities' ->> tag)::int)
    FROM unnest(${customerTags}) AS tag WHERE ${queueSettings} -> 'tagPriorities' ? tag), 0)`;
}

/** The priority of one caller (a customer, or null when unknown) calling one queue. */
export async function callerPriority(db: Db, orgId: string, customerId: string | null, queueId: string | null): Promise<number> {
  if (!customerId || !queueId) return 0;
  const [r] = await rows<{ p: number }>(db, sql`SELECT ${callerPrioritySql(sql`c.tags`, sql`q.settings`)} AS p
    FROM customers c, cc_queues q WHERE c.org_id = ${orgId} AND c.id = ${customerId} AND q.org_id = ${orgId} AND q.id = ${queueId}`);
  return r ? Number(r.p) : 0;
}
