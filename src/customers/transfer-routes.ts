// Thin routes for customer import (multipart upload), its error report, and export (streamed download).
import path from 'node:path';
import { z } from 'zod';
import type { App, RouteDeps } from '../http/app.ts';
import { customerExport, exportCustomersOptions } from './export-customers.ts';
import { getImportReport } from './get-import-report.ts';
import { importCustomers } from './import-customers.ts';
import { parseMapOption } from './import/headers.ts';

const errorSchema = z.object({ code: z.string(), message: z.string() }).passthrough();

/** Form fields of POST /api/imports/customers (multipart, beside the file part). */
export const importUploadFields = z.object({
  mode: z.enum(['all-or-nothing', 'skip-invalid']).default('all-or-nothing'),
  dedupe: z.enum(['update', 'skip']).default('update'),
  dryRun: z
    .enum(['true', 'false', '1', '0', 'on', 'off'])
    .default('false')
    .transform((v) => v === 'true' || v === '1' || v === 'on'),
  encoding: z.enum(['auto', 'utf8', 'gbk']).default('auto'),
  format: z.enum(['csv', 'xlsx']).optional(),
  /** "列名=field,列名2=field2", as the CLI's --map. */
  map: z.string().max(2000).optional(),
});

export const importRunOutput = z.object({
  id: z.string(),
  read: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  rejected: z.number().int(),
  committed: z.boolean(),
  summary: z.string(),
  unmappedColumns: z.array(z.string()),
  /** First rejected rows (the full list is in the report). */
  errors: z.array(z.object({ line: z.number().int(), column: z.string(), value: z.string(), reason: z.string() })),
});

/** RFC 6266 / 5987: an ASCII fallback plus the UTF-8 name for browsers. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '').replace(/^-+/, '') || 'download';
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export async function transferRoutes(app: App, deps: RouteDeps) {
  app.post('/api/imports/customers', {
    schema: {
      tags: ['customers'],
      summary: 'Import customers from a CSV or XLSX upload (客户导入)',
      description:
        'multipart/form-data with one file part and optional fields mode (all-or-nothing | skip-invalid), dedupe (update | skip), ' +
        'dryRun (true | false), encoding (auto | utf8 | gbk), format (csv | xlsx, else from the file name), map ("col=field,…"). ' +
        'The row-level error report is at GET /api/imports/{id}/report. 413 when the file exceeds the upload limit.',
      consumes: ['multipart/form-data'],
      response: { 200: importRunOutput, 400: errorSchema, 403: errorSchema, 413: errorSchema },
    },
  }, async (req) => {
    const ctx = deps.ctxOf(req);
    // Saved to a temporary file first: fields may come after the file part, and the size limit
    // (413) is enforced before a single row is imported. Temporary files are removed after the response.
    const { files, values } = await req.saveRequestFiles();
    const file = files[0];
    if (!file) throw new z.ZodError([{ code: 'custom', path: ['file'], message: 'file_required', input: undefined }]);
    // Field parts arrive as { type: 'field', value }; the file part itself is skipped.
    const fieldValues: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) {
      const part = Array.isArray(v) ? v[0] : v;
      if (typeof part === 'string') fieldValues[k] = part;
      else if (part && typeof part === 'object' && 'type' in part && part.type === 'field' && 'value' in part && typeof part.value === 'string') {
        fieldValues[k] = part.value;
      }
    }
    const fields = importUploadFields.parse(fieldValues);
    const ext = path.extname(file.filename).toLowerCase();
    const r = await importCustomers(ctx, {
      input: file.filepath,
      fileName: file.filename || 'upload',
      format: fields.format ?? (ext === '.xlsx' ? 'xlsx' : 'csv'),
      encoding: fields.encoding,
      mode: fields.mode,
      dedupe: fields.dedupe,
      dryRun: fields.dryRun,
      map: fields.map ? parseMapOption(fields.map) : {},
    });
    return {
      id: r.id,
      read: r.read,
      created: r.created,
      updated: r.updated,
      skipped: r.skipped,
      rejected: r.rejected,
      committed: r.committed,
      summary: r.summary,
      unmappedColumns: r.unmappedColumns,
      errors: r.errors.slice(0, 100).map((e) => ({ line: e.line, column: e.column, value: e.value, reason: e.reason })),
    };
  });

  app.get('/api/imports/:id/report', {
    schema: {
      tags: ['customers'],
      summary: 'Error report of an import as CSV (UTF-8 with BOM)',
      params: z.object({ id: z.string() }),
      produces: ['text/csv'],
      response: { 200: z.string(), 404: errorSchema },
    },
  }, async (req, reply) => {
    const report = await getImportReport(deps.ctxOf(req), req.params.id);
    const base = report.fileName.replace(/\.[^.]*$/, '');
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', contentDisposition(`${base}.errors.csv`))
      .send(report.csv);
  });

  app.get('/api/customers/export', {
    schema: {
      tags: ['customers'],
      summary: 'Export the customers the caller may see (masked as the role requires), streamed',
      querystring: exportCustomersOptions,
      produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      response: { 200: z.unknown().describe('The CSV or XLSX file'), 403: errorSchema },
    },
  }, async (req, reply) => {
    const exp = await customerExport(deps.ctxOf(req), req.query);
    exp.stream.on('error', (err) => req.log.error({ err }, 'customer export failed mid-stream'));
    return reply
      .header('content-type', exp.contentType)
      .header('content-disposition', contentDisposition(exp.fileName))
      .header('cache-control', 'no-store')
      .send(exp.stream);
  });
}
