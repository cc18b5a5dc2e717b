// The error report of one import run (导入错误报告), for download after an upload.
import { and, eq } from 'drizzle-orm';
import { assertCan, type Ctx } from '../platform/context.ts';
import { NotFound } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { importRuns } from './tables.ts';

export interface ImportReport {
  fileName: string;
  /** CSV with a UTF-8 BOM: line, column, value, reason (zh-CN and en). */
  csv: string;
}

export async function getImportReport(ctx: Ctx, id: string): Promise<ImportReport> {
  assertCan(ctx.actor, 'customer.import');
  if (!isUuid(id)) throw new NotFound('import');
  // Another organization's run is "not found", never "forbidden": ids reveal nothing.
  const [run] = await ctx.db
    .select({ fileName: importRuns.fileName, reportCsv: importRuns.reportCsv })
    .from(importRuns)
    .where(and(eq(importRuns.id, id), eq(importRuns.orgId, ctx.actor.orgId)));
  if (!run) throw new NotFound('import');
  return { fileName: run.fileName, csv: `\uFEFF${run.reportCsv}` };
}
