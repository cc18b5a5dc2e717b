// Shared plumbing for `kefu wfm …` subcommands that read a JSON problem file and print one JSON object.
import fs from 'node:fs';
import { DomainError, Invalid, fieldError } from '../platform/errors.ts';
import { t } from '../i18n/messages.ts';

/** Reads and parses a JSON input file; a missing or malformed file becomes `Invalid` on the path `input`. */
export function readJsonInput(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Invalid([fieldError('input', 'unreadable', 'field.cli.unreadable', { file, detail: err instanceof Error ? err.message : String(err) })]);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (err) {
    throw new Invalid([fieldError('input', 'invalid_json', 'field.cli.invalid_json', { file, detail: err instanceof Error ? err.message : String(err) })]);
  }
}

/**
 * Runs a command body; prints its result as one JSON object (with `--json`) or a text summary, and turns
 * errors into exit code 2 (invalid input) or 1, as JSON `{error, fields}` with `--json`.
 */
export async function runWfmCommand<T>(json: boolean | undefined, body: () => Promise<T>, summary: (r: T) => string): Promise<void> {
  try {
    const result = await body();
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${summary(result)}\n`);
  } catch (err) {
    const code = err instanceof Invalid ? 2 : 1;
    if (json) {
      const out =
        err instanceof DomainError
          ? { error: err.code, message: t('en', err.messageKey, err.params), fields: err instanceof Invalid ? err.fields : [] }
          : { error: 'failed', message: err instanceof Error ? err.message : String(err), fields: [] };
      process.stdout.write(`${JSON.stringify(out)}\n`);
    } else if (err instanceof DomainError) {
      const lines = [`${t('zh-CN', err.messageKey, err.params)} / ${t('en', err.messageKey, err.params)}`];
      if (err instanceof Invalid) for (const f of err.fields) lines.push(`  ${f.path}: ${f.message}`);
      process.stderr.write(`${lines.join('\n')}\n`);
    } else {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    }
    process.exitCode = code;
  }
}
