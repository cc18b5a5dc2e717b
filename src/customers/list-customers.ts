// The customer list and the one search box: a single SQL query, served by indexes (see tables.ts):
// pg_trgm on phone/email/pinyin/initials, a GIN index on the name's 1-2 character grams for
// Chinese fragments, GIN on tags and custom; keyset pagination on (sort key, id), no total count.
import { and, asc, eq, sql, type Param, type Placeholder, type SQL, type SQLWrapper, type WithSubquery } from 'drizzle-orm';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { regionByCode } from '../platform/regions.ts';
import { territories, users } from '../platform/tables.ts';
import { decodeCursor, encodeCursor, TIMESTAMP_TEXT } from './cursor.ts';
import { digitsOnly, normalizeName, queryGrams } from './model/search-keys.ts';
import { maskEmail, maskPhone } from './model/masking.ts';
import { mustMask, regionName } from './present-customer.ts';
import type { CustomerListItem, listCustomersQuery } from './schemas.ts';
import { JsonText } from '../http/json-text.ts';
import { customerScopeSpec } from './scope.ts';
import { customers } from './tables.ts';
import { genericPlanDb, PreparedByShape } from '../db/open.ts';
import { customerValueSpecs, hasValueFilter } from '../analytics/customer-filters.ts';
import { customerValues } from '../analytics/tables.ts';
import { loadAnalyticsSettings } from '../analytics/settings.ts';
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
 * A condition of the customer list, described without building any SQL: `key` names its shape (two
 * conditions with equal keys differ only in their values), `values` holds its parameters, and
 * `build` writes the SQL with each value taken from `bind(name)`. The list caches one prepared
 * statement per shape and only binds values on later requests: building the query through the ORM
 * cost more CPU per request than PostgreSQL spent running it (measured with --cpu-prof).
 */
export interface CondSpec {
  key: string;
  values: Record<string, unknown>;
  build: (bind: Bind) => SQL;
  /**
   * A search that ORs several index paths (name grams, pinyin, initials, email) also lists them
   * apart: the list then takes each branch's first page on its own and merges them (see
   * `listCustomers`), since one OR'ed scan must fetch and sort every match of every branch.
   */
  branches?: SearchBranch[];
}

/** One index path of a search (see CondSpec.branches). */
export interface SearchBranch {
  /** The branch's condition, written for its index. */
  cond: (bind: Bind) => SQL;
  /**
   * For a branch that can match a large share of all customers (a prefix: "zh" starts 140,000 of a
   * million full pinyin names; an infix; one character): the same condition written so that no index
   * serves it. When the branch matches WALK_FROM or more customers of the organization, its page is
   * found by walking the sort's own index and testing this on each row, which stops at the page's
   * end, instead of reading and sorting every match (75 ms for "zh").
   */
  walk?: (bind: Bind) => SQL;
}

/**
 * Branches matching at least this many customers are walked in sort order (SearchBranch.walk).
 * Counting a branch's matches stops here; a walk at this share of a million customers reads about
 * limit × 1,000,000 / WALK_FROM index entries, and fewer the more common the text.
 */
export const WALK_FROM = 3000;

/** A value of a condition: an ordinary parameter, or a named placeholder of a prepared statement. */
export type Bind = (name: string) => Param | Placeholder;

/** SQL with the values inlined as ordinary parameters (for callers that run a query once). */
export function condSql(spec: CondSpec): SQL {
  return spec.build((name) => sql.param(spec.values[name]));
}

/**
 * The search condition for the one search box, or undefined for an empty query:
 * 4+ digits → phone; '@' → email; otherwise the name fragment (grams + LIKE recheck), and for
 * latin letters also full pinyin and pinyin initials (prefix), or for other latin text an email
 * fragment, combined with OR.
 */
export function customerSearchSpec(raw: string | undefined): CondSpec | undefined {
  const q = (raw ?? '').trim();
  if (!q) return undefined;
  const digits = digitsOnly(q);
  if (PHONE_LIKE.test(q) && digits.length >= 4) {
    return { key: 'q:phone', values: { qPhone: `%${digits}%` }, build: (b) => sql`${customers.phoneText} LIKE ${b('qPhone')}` };
  }
  const lower = q.toLowerCase();
  if (lower.includes('@')) {
    return {
      key: 'q:email',
      values: { qEmail: `%${escapeLike(lower.replace(/\s+/g, ''))}%` },
      build: (b) => sql`${customers.emailText} LIKE ${b('qEmail')}`,
    };
  }
  const norm = normalizeName(q);
  // One or two characters are one gram: containing it is containing the text, so the LIKE recheck
  // (a regular expression on each of the hundreds of names with a common pair such as 张新, half the
  // statement's time) is left out; longer text needs it, since its grams may appear apart.
  const oneGram = [...norm].length <= 2;
  const values: Record<string, unknown> = { qGrams: queryGrams(q), ...(oneGram ? {} : { qName: `%${escapeLike(norm)}%` }) };
  const nameCond = oneGram
    ? (b: Bind) => sql`${customers.nameGrams} @> ${b('qGrams')}::text[]`
    : (b: Bind) => sql`(${customers.nameGrams} @> ${b('qGrams')}::text[] AND lower(regexp_replace(${customers.name}, '\\s+', '', 'g')) LIKE ${b('qName')})`;
  // A single character can be common (张: 70,000 of a million) and is walked like a common prefix;
  // `= ANY` is the same test as the containment of its one gram, but no index serves it. (Pairs of
  // characters are rarer, and counting a GIN match costs a row visit, which would double their time.)
  const oneChar = [...norm].length === 1;
  const name: SearchBranch = oneChar ? { cond: nameCond, walk: (b) => sql`(${b('qGrams')}::text[])[1] = ANY(${customers.nameGrams})` } : { cond: nameCond };
  const gram = oneChar ? ':char' : oneGram ? ':gram' : '';
  const letters = norm.replace(/'/g, '');
  if (/^[a-z]+$/.test(letters)) {
    // A prefix is a range of the btree on (org, initials|pinyin) in byte order (text_pattern_ops):
    // written as a range, not LIKE 'zs%', so that the list's prepared statement (a generic plan) still
    // walks the index; a pinyin infix (3+ letters) goes to the trigram index.
    values.qPrefixFrom = letters;
    values.qPrefixTo = prefixEnd(letters);
    const prefixOf = (column: typeof customers.nameInitials | typeof customers.namePinyin): SearchBranch => ({
      cond: (b) => sql`(${column} ~>=~ ${b('qPrefixFrom')} AND ${column} ~<~ ${b('qPrefixTo')})`,
      walk: (b) => sql`left(${column}, length(${b('qPrefixFrom')})) = ${b('qPrefixFrom')}`,
    });
    const infix = letters.length >= 3;
    if (infix) values.qPinyin = `%${letters}%`;
    // A common infix ("ang": zhang, wang, yang …) is walked too; strpos is LIKE '%ang%' unindexed.
    const pinyin: SearchBranch = infix
      ? { cond: (b) => sql`${customers.namePinyin} LIKE ${b('qPinyin')}`, walk: (b) => sql`strpos(${customers.namePinyin}, ${b('qPrefixFrom')}) > 0` }
      : prefixOf(customers.namePinyin);
    return anyOf(infix ? `q:name+pinyin-infix${gram}` : `q:name+pinyin-prefix${gram}`, values, [name, pinyin, prefixOf(customers.nameInitials)]);
  }
  // Email fragments without '@' ("zhang.san", "zs2024"); not for pure letters, which pinyin answers
  // (emails often contain the name's pinyin, so those trigrams are the most common ones: measured 2×).
  if (/^[a-z0-9._+-]{3,}$/.test(norm) && /[a-z]/.test(norm)) {
    values.qEmail = `%${escapeLike(norm)}%`;
    return anyOf(`q:name+email${gram}`, values, [name, { cond: (b) => sql`${customers.emailText} LIKE ${b('qEmail')}` }]);
  }
  // One character alone is a branch of its own, so that it too is walked when common.
  return oneChar ? anyOf('q:name:char', values, [name]) : { key: `q:name${gram}`, values, build: nameCond };
}

/** A search matching any of several index paths: their OR, and the paths apart (see CondSpec.branches). */
function anyOf(key: string, values: Record<string, unknown>, branches: SearchBranch[]): CondSpec {
  return { key, values, branches, build: (b) => sql`(${sql.join(branches.map((branch) => branch.cond(b)), sql` OR `)})` };
}

/** The first string after every string that starts with `prefix`, in byte order (ASCII letters here). */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** The search condition as SQL with parameters, or undefined for an empty query. */
export function customerSearchCondition(raw: string | undefined): SQL | undefined {
  const spec = customerSearchSpec(raw);
  return spec && condSql(spec);
}

function regionSpec(code: string): CondSpec {
  const r = regionByCode(code);
  if (!r) throw new Invalid([fieldError('region', 'unknown_region', 'field.customers.unknown_region', { code })]);
  const column = r.level === 'province' ? customers.provinceCode : r.level === 'city' ? customers.cityCode : customers.districtCode;
  return { key: `region:${r.level}`, values: { region: code }, build: (b) => sql`${column} = ${b('region')}` };
}

/**
 * Every condition of a customer list: data scope first, then search and filters. Shared with the
 * export so that it writes exactly the rows the list shows.
 */
export async function customerListSpecs(ctx: Ctx, query: Omit<Query, 'sort' | 'cursor' | 'limit'>): Promise<CondSpec[]> {
  const specs: CondSpec[] = [customerScopeSpec(ctx.actor)];
  const search = customerSearchSpec(query.q);
  if (search) specs.push(search);
  if (query.tags.length) specs.push({ key: 'tags', values: { tags: query.tags }, build: (b) => sql`${customers.tags} @> ${b('tags')}::text[]` });
  if (query.ownerId) specs.push({ key: 'owner', values: { ownerId: query.ownerId }, build: (b) => sql`${customers.ownerId} = ${b('ownerId')}` });
  if (query.region) specs.push(regionSpec(query.region));
  if (query.territoryId) {
    const [territory] = await ctx.db
      .select({ codes: territories.regionCodes })
      .from(territories)
      .where(and(eq(territories.id, query.territoryId), eq(territories.orgId, ctx.actor.orgId)));
    if (!territory) throw new Invalid([fieldError('territoryId', 'unknown_territory', 'field.customers.unknown_territory')]);
    specs.push({
      key: 'territory',
      values: { territoryCodes: territory.codes },
      build: (b) =>
        sql`(${customers.provinceCode} = ANY(${b('territoryCodes')}::text[]) OR ${customers.cityCode} = ANY(${b('territoryCodes')}::text[]) OR ${customers.districtCode} = ANY(${b('territoryCodes')}::text[]))`,
    });
  }
  if (query.createdFrom) specs.push({ key: 'createdFrom', values: { createdFrom: new Date(query.createdFrom).toISOString() }, build: (b) => sql`${customers.createdAt} >= ${b('createdFrom')}::timestamptz` });
  if (query.createdTo) specs.push({ key: 'createdTo', values: { createdTo: new Date(query.createdTo).toISOString() }, build: (b) => sql`${customers.createdAt} <= ${b('createdTo')}::timestamptz` });
  if (query.custom && Object.keys(query.custom).length) {
    specs.push({ key: 'custom', values: { custom: JSON.stringify(query.custom) }, build: (b) => sql`${customers.custom} @> ${b('custom')}::jsonb` });
  }
  specs.push(...(await customerValueSpecs(ctx, query)));
  return specs;
}

/** The list's conditions as SQL with parameters. */
export async function customerListConditions(ctx: Ctx, query: Omit<Query, 'sort' | 'cursor' | 'limit'>): Promise<SQL[]> {
  return (await customerListSpecs(ctx, query)).map(condSql);
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
 * One page of customers as the response's JSON text. PostgreSQL writes each customer's JSON
 * (json_build_object) and Node only adds what the database does not know: the region's name (from the
 * GB/T 2260 package) and, for callers without `customer.pii`, the masked phones and emails. Parsing
 * 50 rows into objects and stringifying them again cost more CPU than the query (measured: 1.2 ms of
 * Node per page against 0.5 ms this way). Takes the parsed query (the route's querystring schema
 * parses it; other callers use `listCustomersQuery.parse`), since parsing turns `tags` and `custom` into values.
 */
export async function listCustomersJson(ctx: Ctx, query: ListCustomersParams): Promise<JsonText> {
  assertCan(ctx.actor, 'customer.read');
  const spec = sortSpecs[query.sort];
  const specs = await customerListSpecs(ctx, query);
  if (query.cursor) {
    const [, key, id] = decodeCursor(query.cursor, 3, query.sort);
    if (!isUuid(id) || (spec.column !== customers.name && !TIMESTAMP_TEXT.test(key))) {
      throw new Invalid([fieldError('cursor', 'bad_cursor', 'field.bad_cursor')], 'error.bad_cursor');
    }
    const cmp = spec.descending ? sql`<` : sql`>`;
    specs.push({
      key: 'cursor',
      values: { cursorKey: key, cursorId: id },
      build: (b) => sql`(${spec.column}, ${customers.id}) ${cmp} (${b('cursorKey')}::${spec.cast}, ${b('cursorId')}::uuid)`,
    });
  }
  // Filtered by value: each row also carries its measures (one primary-key lookup per listed row).
  const withValue = hasValueFilter(query);
  const masked = mustMask(ctx.actor);
  const shape = `${query.sort}|${withValue ? 'v|' : ''}${masked ? 'm|' : ''}${specs.map((c) => c.key).join('|')}`;
  const values: Record<string, unknown> = { limit: query.limit + 1 };
  for (const c of specs) Object.assign(values, c.values);
  // A search runs on connections that keep its generic plan (see genericPlanDb): its branches are
  // written so that one plan serves every value.
  const db = specs.some((c) => c.key.startsWith('q:')) ? genericPlanDb(ctx.db) : ctx.db;
  const prepared = preparedLists.get(db, shape, () => {
    const ph: Bind = (name) => sql.placeholder(name);
    const branched = specs.find((c) => c.branches);
    let where: SQL | undefined;
    // The match counts of walkable branches, each computed once for the two pages that test it.
    const gates: WithSubquery[] = [];
    if (branched?.branches) {
      // Each branch of the search takes its own first page (by its own best index: an index-only
      // walk of the initials, a GIN bitmap of the name grams …) and the page is the best of those:
      // an OR'ed scan must fetch and sort every match (4,600 customers for the initials "zs" of
      // 1,000,000), while a branch stops at the page's end. The other conditions go into every branch.
      const others = specs.filter((c) => c !== branched).map((c) => c.build(ph));
      const order = sql.join(orderOf(spec), sql`, `);
      // A branch's matches read through its own index, then sorted. OFFSET 0 keeps the LIMIT out of
      // the scan's planning: told that the first rows suffice, a generic plan would rather walk the
      // sort's index (which carries the pinyin) and test each customer, a whole-table walk for a rare infix.
      const sortable = sql`${customers.id}, ${customers.createdAt}, ${customers.updatedAt}, ${customers.name}`;
      const readAll = (cond: SQL) =>
        sql`(SELECT ${customers.id} FROM (SELECT ${sortable} FROM ${customers} WHERE ${and(...others, cond)} OFFSET 0) ${customers} ORDER BY ${order} LIMIT ${ph('limit')})`;
      const walk = (cond: SQL) => sql`(SELECT ${customers.id} FROM ${customers} WHERE ${and(...others, cond)} ORDER BY ${order} LIMIT ${ph('limit')})`;
      const T = sql.raw(String(WALK_FROM));
      const pages = branched.branches.flatMap((branch) => {
        const cond = branch.cond(ph);
        if (!branch.walk) return [readAll(cond)];
        // Read when the branch has fewer than WALK_FROM customers, else walked in sort order. The
        // count (through the branch's index, stopping at WALK_FROM) is a CTE that both pages test as
        // an InitPlan before their scans, which do not run at all when the test is false.
        const gate = db.$with(`gate${gates.length}`, {}).as(
          sql`SELECT count(*) AS n FROM (SELECT 1 FROM (SELECT 1 FROM ${customers} WHERE ${customers.orgId} = ${ph('scopeOrg')}::uuid AND ${cond} OFFSET 0) f LIMIT ${T}) g`,
        );
        gates.push(gate);
        const count = sql`(SELECT n FROM ${gate})`;
        return [readAll(sql`${cond} AND ${count} < ${T}`), walk(sql`${branch.walk(ph)} AND ${count} >= ${T}`)];
      });
      where = sql`${customers.id} IN (${sql.join(pages, sql` UNION ALL `)})`;
    } else {
      where = and(...specs.map((c) => c.build(ph)));
    }
    const fields = {
      j: customerJson(masked, withValue),
      sortKey: spec.key,
      id: customers.id,
      phones: masked ? customers.phones : sql<null>`NULL`,
      emails: masked ? customers.emails : sql<null>`NULL`,
      provinceCode: customers.provinceCode,
      cityCode: customers.cityCode,
      districtCode: customers.districtCode,
    };
    const base = (gates.length ? db.with(...gates) : db).select(fields).from(customers).leftJoin(users, eq(users.id, customers.ownerId));
    return (withValue ? base.leftJoin(customerValues, and(eq(customerValues.orgId, customers.orgId), eq(customerValues.customerId, customers.id))) : base)
      .where(where)
      .orderBy(...orderOf(spec))
      .limit(sql.placeholder('limit'));
  });
  const found = await prepared.execute(values);
  const n = Math.min(found.length, query.limit);
  const items: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = found[i];
    // The row's JSON starts with '{"id" : …': the leading fields go in front of it.
    let head = `{"regionName":${JSON.stringify(regionName(r))},"masked":${masked}`;
    if (masked) head += `,"phones":${JSON.stringify((r.phones ?? []).map(maskPhone))},"emails":${JSON.stringify((r.emails ?? []).map(maskEmail))}`;
    items[i] = `${head},${r.j.slice(1)}`;
  }
  const last = found.length > query.limit ? found[n - 1] : undefined;
  let text = `{"items":[${items.join(',')}],"nextCursor":${last ? JSON.stringify(encodeCursor([query.sort, last.sortKey, last.id])) : 'null'}`;
  if (withValue) text += `,"valueCurrency":${JSON.stringify((await loadAnalyticsSettings(ctx.db, ctx.actor.orgId)).settings.currency)}`;
  return new JsonText(`${text}}`);
}

/** One page of customers as objects (the same page as `listCustomersJson`, for callers inside the server). */
export async function listCustomers(ctx: Ctx, query: ListCustomersParams): Promise<{ items: CustomerListItem[]; nextCursor: string | null; valueCurrency?: string }> {
  return JSON.parse((await listCustomersJson(ctx, query)).text);
}

/** ISO 8601 in UTC with milliseconds, exactly as Date.prototype.toISOString writes it (both truncate the microseconds). */
export const iso = (column: SQLWrapper) => sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A customer's JSON as presentCustomer writes it, less regionName, masked and (for masked callers)
 * phones and emails, which Node adds. Consent keeps only its true/false answers, as presentCustomer does.
 */
function customerJson(masked: boolean, withValue: boolean): SQL<string> {
  const c = customers;
  const consent = sql`CASE WHEN jsonb_path_exists(${c.consent}, 'strict $.* ? (@.type() != "boolean")')
    THEN (SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb) FROM jsonb_each(${c.consent}) e WHERE jsonb_typeof(e.value) = 'boolean')
    ELSE ${c.consent} END`;
  const v = customerValues;
  const value = sql`CASE WHEN num_nonnulls(${v.rfmClass}, ${v.rScore}, ${v.fScore}, ${v.mScore}, ${v.monetaryMinor}, ${v.clvMinor}, ${v.pAlive}) = 0 THEN NULL
    ELSE json_build_object('rfmClass', ${v.rfmClass}, 'rScore', ${v.rScore}, 'fScore', ${v.fScore}, 'mScore', ${v.mScore},
      'monetaryMinor', ${v.monetaryMinor}, 'clvMinor', ${v.clvMinor}, 'pAlive', ${v.pAlive}) END`;
  return sql<string>`json_build_object(
    'id', ${c.id}, 'kind', CASE WHEN ${c.kind} = 'company' THEN 'company' ELSE 'person' END, 'name', ${c.name},
    ${masked ? sql`` : sql`'phones', ${c.phones}, 'emails', ${c.emails},`}
    'provinceCode', ${c.provinceCode}, 'cityCode', ${c.cityCode}, 'districtCode', ${c.districtCode}, 'street', ${c.street},
    'tags', ${c.tags}, 'custom', ${c.custom}, 'ownerId', ${c.ownerId}, 'ownerName', ${users.name}, 'source', ${c.source},
    'consent', ${consent}, 'version', ${c.version}, 'createdAt', ${iso(c.createdAt)}, 'updatedAt', ${iso(c.updatedAt)}
    ${withValue ? sql`, 'value', ${value}` : sql``})::text`;
}

interface ListRow {
  j: string;
  sortKey: string;
  id: string;
  phones: string[] | null;
  emails: string[] | null;
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
}
/**
 * A named statement per query shape (see CondSpec): PostgreSQL parses and plans it once per connection
 * instead of on every request (planning this query over the customers table's indexes took 3.5–6 ms,
 * more than running it). Searches too: each branch's generic plan walks its own index.
 */
const preparedLists = new PreparedByShape<ListRow>('customer_list');
