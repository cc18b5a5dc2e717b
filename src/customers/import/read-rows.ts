// Streams the records of an import file with their physical line numbers: CSV in UTF-8, UTF-8 with
// BOM or GBK (detected or given), decoded by iconv-lite and parsed by csv-parse; XLSX through
// exceljs' streaming reader. Nothing holds the whole file in memory.
import fs from 'node:fs';
import { PassThrough, Readable, Transform, pipeline, type TransformCallback } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { Invalid, fieldError } from '../../platform/errors.ts';
import type { Cell } from './validate-row.ts';

export type ImportEncoding = 'utf8' | 'gbk';

export interface FileRecord {
  line: number;
  cells: Cell[];
}

export interface RowSource {
  records: AsyncIterable<FileRecord>;
  /** Bytes of the raw file consumed so far (for progress). */
  bytesRead: () => number;
  encoding: ImportEncoding | null;
}

const SAMPLE_BYTES = 64 * 1024;

/** UTF-8 BOM → utf8; strictly valid UTF-8 sample → utf8; anything else → GBK (what Excel on Chinese Windows writes). */
export function detectEncoding(sample: Uint8Array): ImportEncoding {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8';
  try {
    // stream: true tolerates a character cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf8';
  } catch {
    return 'gbk';
  }
}

function toStream(input: Readable | string): Readable {
  return typeof input === 'string' ? fs.createReadStream(input) : input;
}

/** Reads up to SAMPLE_BYTES, then returns the sample and a stream that replays it followed by the rest. */
async function peek(src: Readable): Promise<{ sample: Buffer; stream: Readable }> {
  const it = src[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const head: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < SAMPLE_BYTES) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    head.push(b);
    size += b.length;
  }
  const sample = Buffer.concat(head);
  async function* replay() {
    if (sample.length) yield sample;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    }
  }
  return { sample, stream: Readable.from(replay(), { objectMode: false }) };
}

/** CRLF and lone CR → LF, so csv-parse's line count equals the physical line number. */
function newlineNormalizer(): Transform {
  let pendingCr = false;
  return new Transform({
    decodeStrings: false,
    encoding: 'utf8',
    transform(chunk: string | Buffer, _enc, cb: TransformCallback) {
      let s = (pendingCr ? '\r' : '') + chunk.toString();
      pendingCr = s.endsWith('\r');
      if (pendingCr) s = s.slice(0, -1);
      cb(null, s.replace(/\r\n?/g, '\n'));
    },
    flush(cb) {
      cb(null, pendingCr ? '\n' : '');
    },
  });
}

function byteCounter(): { stream: Transform; count: () => number } {
  let n = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      cb(null, chunk);
    },
  });
  return { stream, count: () => n };
}

function unreadable(err: unknown): Invalid {
  const detail = err instanceof Error ? err.message : String(err);
  return new Invalid([fieldError('file', 'unreadable', 'field.import.unreadable', { detail })], 'error.import_unreadable');
}

export async function openCsv(input: Readable | string, encoding: ImportEncoding | 'auto' = 'auto'): Promise<RowSource> {
  const { sample, stream } = await peek(toStream(input));
  const enc = encoding === 'auto' ? detectEncoding(sample) : encoding;
  const counter = byteCounter();
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
    record_delimiter: '\n',
    trim: false,
  });
  // GB18030 is a superset of GBK and decodes every GBK file.
  pipeline(stream, counter.stream, iconv.decodeStream(enc === 'gbk' ? 'gb18030' : 'utf8'), newlineNormalizer(), parser, () => {});
  async function* records(): AsyncGenerator<FileRecord> {
    try {
      for await (const r of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        // info.lines is where the record ends; step back over line breaks inside quoted cells.
        let inner = 0;
        for (const c of r.record) for (let i = c.indexOf('\n'); i !== -1; i = c.indexOf('\n', i + 1)) inner++;
        yield { line: r.info.lines - inner, cells: r.record };
      }
    } catch (err) {
      if (err instanceof Invalid) throw err;
      throw unreadable(err);
    }
  }
  return { records: records(), bytesRead: counter.count, encoding: enc };
}

type XlsxValue = ExcelJS.CellValue;

function xlsxCell(v: XlsxValue): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((p) => p.text).join('');
    if ('formula' in v || 'sharedFormula' in v) return xlsxCell((v as ExcelJS.CellFormulaValue).result as XlsxValue);
    if ('hyperlink' in v) return typeof v.text === 'string' ? v.text : xlsxCell(v.text as XlsxValue);
    if ('error' in v) return null;
  }
  return String(v);
}

/** First worksheet of an XLSX workbook, row by row. */
export async function openXlsx(input: Readable | string): Promise<RowSource> {
  const counter = byteCounter();
  const pass = new PassThrough();
  pipeline(toStream(input), counter.stream, pass, () => {});
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(pass, { worksheets: 'emit', sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', entries: 'ignore' });
  async function* records(): AsyncGenerator<FileRecord> {
    try {
      for await (const sheet of reader) {
        for await (const row of sheet) {
          // row.values is 1-based (index 0 empty); shift to 0-based cells.
          const values = row.values as XlsxValue[];
          const cells: Cell[] = [];
          for (let i = 1; i < values.length; i++) cells.push(xlsxCell(values[i]));
          yield { line: row.number, cells };
        }
        break; // only the first worksheet
      }
    } catch (err) {
      if (err instanceof Invalid) throw err;
      throw unreadable(err);
    } finally {
      pass.resume(); // drain what is left so the source closes
    }
  }
  return { records: records(), bytesRead: counter.count, encoding: null };
}
