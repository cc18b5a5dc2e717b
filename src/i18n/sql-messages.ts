// A server message rendered by the database, for set-based writes (INSERT … SELECT) that would
// otherwise load every row into Node just to call t(): the same template, with each `{name}`
// placeholder filled from a SQL expression. A missing parameter renders as '' (as t() does).
import { sql, type SQL } from 'drizzle-orm';
import { messageTemplate, type Locale } from './messages.ts';

export function sqlMessage(locale: Locale, key: string, params: Record<string, SQL>): SQL {
  const template = messageTemplate(locale, key) ?? key;
  const parts: SQL[] = [];
  let last = 0;
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    parts.push(sql`${template.slice(last, m.index)}::text`);
    const value = params[m[1]];
    parts.push(value ? sql`COALESCE((${value})::text, '')` : sql`''::text`);
    last = m.index + m[0].length;
  }
  parts.push(sql`${template.slice(last)}::text`);
  return sql`(${sql.join(parts, sql` || `)})`;
}

/** The message in the locale stored in `localeColumn` ('en' → English, anything else → Chinese). */
export function sqlMessageIn(localeColumn: SQL, key: string, params: Record<string, SQL>): SQL {
  return sql`(CASE WHEN ${localeColumn} = 'en' THEN ${sqlMessage('en', key, params)} ELSE ${sqlMessage('zh-CN', key, params)} END)`;
}
