// The customer list and the one search box: a single SQL query, served by indexes (see tables.ts):
// pg_trgm on phone/email/pinyin/initials, a GIN index on the name's 1-2 character grams for
// Chinese fragments, GIN on tags and custom; keyset pagination on (sort key, id), no total count.
import { and, asc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { regionByCode } from '../platform/regions.ts';
import { territories, users } from '../platform/tables.ts';
import { decodeCursor, encodeCursor, TIMESTAMP_TEXT } from './cursor.ts';
import { digitsOnly, normalizeName, queryGrams } from './model/search-keys.ts';
import { customerColumns, mustMask, presentCustomer } from './present-customer.ts';
import type { CustomerOutput, listCustomersQuery } from './schemas.ts';
import { customerScopeCondition } from './scope.ts';
import { customers } from './tables.ts';
import { statementName } from '../db/open.ts';
import type { z } from 'zod';

type Query = z.output<typeof listCustomersQuery>;
export type ListCustomersParams = Query;
type SortName = Query['sort'];

/** Escapes LIKE wildcards so that a user typing % or _ searches for them literally. */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

const PHONE_LIKE = /^[\d\s\-+()]+$/;

/**
 * The search condition for the one search box, or undefined for an empty query:
 * 4+ digits → phone; '@' → email; otherwise the name fragment (grams + LIKE recheck), and for
 * latin letters also full pinyin and pinyin initials (prefix), or for other latin text an email
 * fragment, combined with OR.
 */
export function customerSearchCondition(raw: string | undefined): SQL | undefined {
  const q = (raw ?? '').trim();
  if (!q) return undefined;
  const digits = digitsOnly(q);
  if (PHONE_LIKE.test(q) && digits.length >= 4) return sql`${customers.phoneText} LIKE ${`%${digits}%`}`;
  const lower = q.toLowerCase();
  if (lower.includes('@')) return sql`${customers.emailText} LIKE ${`%${escapeLike(lower.replace(/\s+/g, ''))}%`}`;

  const norm = normalizeName(q);
  const alternatives: SQL[] = [
    sql`(${customers.nameGrams} @> ${sql.param(queryGrams(q))}::text[] AND lower(regexp_replace(${customers.name}, '\\s+', '', 'g')) LIKE ${`%${escapeLike(norm)}%`})`,
  ];
  const letters = norm.replace(/'/g, '');
  if (/^[a-z]+$/.test(letters)) {
    // pg_trgm indexes an anchored prefix even when it is short; an infix needs 3+ characters.
    alternatives.push(
      letters.length >= 3
        ? sql`${customers.namePinyin} LIKE ${`%${letters}%`}`
        : sql`${customers.namePinyin} LIKE ${`${letters}%`}`,
      sql`${customers.nameInitials} LIKE ${`${letters}%`}`,
    );
  }
  // Email fragments without '@' ("zhang.san", "zs2024"); not for pure letters, which pinyin answers
  // (emails often contain the name's pinyin, so those trigrams are the most common ones: measured 2×).
  else if (/^[a-z0-9._+-]{3,}$/.test(norm) && /[a-z]/.test(norm)) alternatives.push(sql`${customers.emailText} LIKE ${`%${escapeLike(norm)}%`}`);
  return alternatives.length === 1 ? alternatives[0] : sql`(${sql.join(alternatives, sql` OR `)})`;
}

function regionCondition(code: string): SQL {
  const r = regionByCode(code);
  if (!r) throw new Invalid([{ path: 'region', code: 'unknown_region', message: `unknown region code ${code}` }]);
  if (r.level === 'province') return eq(customers.provinceCode, code);
  if (r.level === 'city') return eq(customers.cityCode, code);
  return eq(customers.districtCode, code);
}

/**
 * Every condition of a customer list: data scope first, then search and filters. Shared with the
 * export so that it writes exactly the rows the list shows.
 */
export async function customerListConditions(ctx: Ctx, query: Omit<Query, 'sort' | 'cursor' | 'limit'>): Promise<SQL[]> {
  const conds: SQL[] = [customerScopeCondition(ctx.actor)];
  const search = customerSearchCondition(query.q);
  if (search) conds.push(search);
  if (query.tags.length) conds.push(sql`${customers.tags} @> ${sql.param(query.tags)}::text[]`);
  if (query.ownerId) conds.push(eq(customers.ownerId, query.ownerId));
  if (query.region) conds.push(regionCondition(query.region));
  if (query.territoryId) {
    const [territory] = await ctx.db
      .select({ codes: territories.regionCodes })
      .from(territories)
      .where(and(eq(territories.id, query.territoryId), eq(territories.orgId, ctx.actor.orgId)));
    if (!territory) throw new Invalid([{ path: 'territoryId', code: 'unknown_territory', message: 'unknown territory' }]);
    const codes = sql.param(territory.codes);
    conds.push(
      sql`(${customers.provinceCode} = ANY(${codes}::text[]) OR ${customers.cityCode} = ANY(${codes}::text[]) OR ${customers.districtCode} = ANY(${codes}::text[]))`,
    );
  }
  if (query.createdFrom) conds.push(gte(customers.createdAt, new Date(query.createdFrom)));
  if (query.createdTo) conds.push(lte(customers.createdAt, new Date(query.createdTo)));
  if (query.custom && Object.keys(query.custom).length) conds.push(sql`${customers.custom} @> ${JSON.stringify(query.custom)}::jsonb`);
  return conds;
}

interface SortSpec {
  /** The sort key as text, exactly (timestamps keep their microseconds). */
  key: SQL<string>;
  cast: SQL;
  column: typeof customers.createdAt | typeof customers.updatedAt | typeof customers.name;
  descending: boolean;
}

/**
 * ORDER BY matching the indexes exactly. drizzle-kit writes `DESC` index columns as
 * `DESC NULLS LAST`, while a bare `ORDER BY x DESC` means NULLS FIRST, and PostgreSQL only walks an
 * index whose null ordering matches (measured: a seq scan and a sort of the whole organization
 * otherwise). The columns are NOT NULL, so the null ordering changes nothing else.
 */
export function orderOf(spec: Pick<SortSpec, 'column' | 'descending'>): SQL[] {
  if (spec.column === customers.name) return spec.descending ? [sql`${spec.column} DESC`, sql`${customers.id} DESC`] : [asc(spec.column), asc(customers.id)];
  return spec.descending
    ? [sql`${spec.column} DESC NULLS LAST`, sql`${customers.id} DESC NULLS LAST`]
    : [sql`${spec.column} ASC NULLS FIRST`, sql`${customers.id} ASC NULLS FIRST`];
}

const sortSpecs: Record<SortName, SortSpec> = {
  '-created': { key: sql<string>`${customers.createdAt}::text`, cast: sql`timestamptz`, column: customers.createdAt, descending: true },
  created: { key: sql<string>`${customers.createdAt}::text`, cast: sql`timestamptz`, column: customers.createdAt, descending: false },
  '-updated': { key: sql<string>`${customers.updatedAt}::text`, cast: sql`timestamptz`, column: customers.updatedAt, descending: true },
  name: { key: sql<string>`${customers.name}`, cast: sql`text`, column: customers.name, descending: false },
};

/**
 * One page of customers. Takes the parsed query (the route's querystring schema parses it; other
 * callers use `listCustomersQuery.parse`), since parsing turns `tags` and `custom` into values.
 */
export async function listCustomers(ctx: Ctx, query: ListCustomersParams): Promise<{ items: CustomerOutput[]; nextCursor: string | null }> {
  assertCan(ctx.actor, 'customer.read');
  const spec = sortSpecs[query.sort];
  const conds = await customerListConditions(ctx, query);
  if (query.cursor) {
    const [, key, id] = decodeCursor(query.cursor, 3, query.sort);
    if (!isUuid(id) || (spec.column !== customers.name && !TIMESTAMP_TEXT.test(key))) {
      throw new Invalid([{ path: 'cursor', code: 'bad_cursor', message: 'invalid cursor' }], 'error.bad_cursor');
    }
    const cmp = spec.descending ? sql`<` : sql`>`;
    conds.push(sql`(${spec.column}, ${customers.id}) ${cmp} (${key}::${spec.cast}, ${id}::uuid)`);
  }
  const order = orderOf(spec);
  const select = ctx.db
    .select({ c: customerColumns, ownerName: users.name, sortKey: spec.key })
    .from(customers)
    .leftJoin(users, eq(users.id, customers.ownerId))
    .where(and(...conds))
    .orderBy(...order)
    .limit(query.limit + 1);
  // A named statement per query shape: PostgreSQL parses and plans it once per connection instead of
  // on every request (planning this query over the customers table's indexes cost more than running it).
  const found = await select.prepare(statementName('customer_list', select.toSQL().sql)).execute();
  const page = found.slice(0, query.limit);
  const masked = mustMask(ctx.actor);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => presentCustomer(r.c, r.ownerName, masked)),
    nextCursor: found.length > query.limit && last ? encodeCursor([query.sort, last.sortKey, last.c.id]) : null,
  };
}
