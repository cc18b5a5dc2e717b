// Planner settings for statements that aggregate an organization's orders per customer (Pareto, RFM).
// PostgreSQL underestimates the number of customers among the orders (it sampled ~95,000 distinct
// among 10,000,000 orders of 1,000,000 customers) and so hashes them, spilling to disk at the default
// work_mem; the index on (org_id, customer_id, …, total_minor, currency) hands the same rows over in
// customer order, index-only, for a streaming GroupAggregate, and it reads only the organization's own
// range in a database shared by many. Measured at 1,000,000 customers / 10,188,579 orders under load:
// the Pareto curve took 12.4 s hashed and 6.1 s sorted from the index. The settings are LOCAL: they end
// with the transaction.
import { setLocal, type Db } from '../db/open.ts';

/** Prepares a transaction for a per-customer aggregation over orders (call first in the transaction). */
export async function planPerCustomerAggregation(tx: Db): Promise<void> {
  // work_mem: the ranking afterwards sorts one row per customer; keep a million of them in memory.
  await setLocal(tx, { enable_hashagg: 'off', work_mem: '256MB' });
}
