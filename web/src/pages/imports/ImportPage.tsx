import { useRef, useState, type DragEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import type { ImportResult } from '../../api/types.ts';
import { Icon } from '../../components/Icon.tsx';
import { formatNumber } from '../../format.ts';

type Mode = 'all-or-nothing' | 'skip-invalid';
type Dedupe = 'update' | 'skip';
type Encoding = 'auto' | 'utf8' | 'gbk';
type Step = 'file' | 'options' | 'result';

const ACCEPT = '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Import wizard: choose a file → options → result counts and the row-level error report. */
export function ImportPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>('file');
  const [file, setFile] = useState<File | null>(null);
  const [dragging, setDragging] = useState(false);
  const [mode, setMode] = useState<Mode>('all-or-nothing');
  const [dedupe, setDedupe] = useState<Dedupe>('update');
  const [encoding, setEncoding] = useState<Encoding>('auto');
  const [dryRun, setDryRun] = useState(true);
  const inputRef = useRef<HTMLInputElement>(null);
  // Kept apart from the mutation so the counts stay on screen while "import for real" runs.
  const [result, setResult] = useState<(ImportResult & { dryRun: boolean }) | null>(null);

  const run = useMutation({
    mutationFn: (opts: { dryRun: boolean; mode?: Mode }) => {
      if (!file) throw new Error(t('import.noFile'));
      // Fields before the file: the server reads them as the multipart stream arrives.
      const form = new FormData();
      form.append('mode', opts.mode ?? mode);
      form.append('dedupe', dedupe);
      form.append('dryRun', String(opts.dryRun));
      form.append('encoding', encoding);
      form.append('file', file, file.name);
      return api<ImportResult>('/api/imports/customers', { method: 'POST', body: form });
    },
    onSuccess: async (r, opts) => {
      setResult({ ...r, dryRun: opts.dryRun });
      setStep('result');
      if (r.committed) await queryClient.invalidateQueries({ queryKey: ['customers'] });
    },
  });

  const pick = (f: File | undefined | null) => {
    if (!f) return;
    setFile(f);
    run.reset();
    setStep('options');
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    pick(e.dataTransfer.files[0]);
  };
  const restart = () => {
    setFile(null);
    setResult(null);
    run.reset();
    setStep('file');
    if (inputRef.current) inputRef.current.value = '';
  };

  const r = result;
  const steps: Step[] = ['file', 'options', 'result'];

  return (
    <div className="page page-narrow">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('import.title')}</h1>
          <p className="page-sub muted">{t('import.subtitle')}</p>
        </div>
      </div>

      <ol className="steps">
        {steps.map((s, i) => (
          <li key={s} className={s === step ? 'active' : steps.indexOf(step) > i ? 'done' : ''}>
            <span className="step-num">{steps.indexOf(step) > i ? <Icon name="check" size={12} /> : i + 1}</span>
            {t(`import.step.${s}`)}
          </li>
        ))}
      </ol>

      <section className="card">
        {step === 'file' && (
          <div
            className={dragging ? 'dropzone dragging' : 'dropzone'}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={onDrop}
            onClick={() => inputRef.current?.click()}
            role="button"
            tabIndex={0}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') inputRef.current?.click();
            }}
          >
            <Icon name="upload" size={28} />
            <div className="dropzone-title">{t('import.dropHere')}</div>
            <div className="muted">{t('import.formats')}</div>
            <input ref={inputRef} type="file" accept={ACCEPT} hidden onChange={(e) => pick(e.target.files?.[0])} data-testid="import-file" />
          </div>
        )}

        {step !== 'file' && file && (
          <div className="file-chip">
            <Icon name="file" />
            <span className="strong">{file.name}</span>
            <span className="muted">{formatBytes(file.size)}</span>
            <span className="toolbar-spacer" />
            <button className="btn btn-ghost btn-sm" onClick={restart} disabled={run.isPending}>
              {t('import.chooseAnother')}
            </button>
          </div>
        )}

        {step === 'options' && (
          <div className="form-stack">
            <fieldset className="option-group">
              <legend>{t('import.mode')}</legend>
              {(['all-or-nothing', 'skip-invalid'] as const).map((m) => (
                <label key={m} className="radio-card">
                  <input type="radio" name="mode" checked={mode === m} onChange={() => setMode(m)} />
                  <span>
                    <span className="strong">{t(`import.modes.${m}`)}</span>
                    <span className="hint">{t(`import.modesHint.${m}`)}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <fieldset className="option-group">
              <legend>{t('import.dedupe')}</legend>
              {(['update', 'skip'] as const).map((d) => (
                <label key={d} className="radio-card">
                  <input type="radio" name="dedupe" checked={dedupe === d} onChange={() => setDedupe(d)} />
                  <span>
                    <span className="strong">{t(`import.dedupes.${d}`)}</span>
                    <span className="hint">{t(`import.dedupesHint.${d}`)}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="form-row-2">
              <label className="field">
                <span className="field-label">{t('import.encoding')}</span>
                <select value={encoding} onChange={(e) => setEncoding(e.target.value as Encoding)}>
                  <option value="auto">{t('import.encodings.auto')}</option>
                  <option value="utf8">UTF-8</option>
                  <option value="gbk">GBK</option>
                </select>
                <span className="hint">{t('import.encodingHint')}</span>
              </label>
              <label className="check check-block">
                <input type="checkbox" checked={dryRun} onChange={(e) => setDryRun(e.target.checked)} data-testid="import-dry-run" />
                <span>
                  <span className="strong">{t('import.dryRun')}</span>
                  <span className="hint">{t('import.dryRunHint')}</span>
                </span>
              </label>
            </div>
            {run.isError && <div className="alert alert-error">{errorMessage(run.error)}</div>}
            <div className="form-actions">
              <button className="btn" onClick={restart} disabled={run.isPending}>
                {t('common.back')}
              </button>
              <button className="btn btn-primary" onClick={() => run.mutate({ dryRun })} disabled={run.isPending} data-testid="import-start">
                {run.isPending ? t('import.running') : dryRun ? t('import.startDryRun') : t('import.start')}
              </button>
            </div>
          </div>
        )}

        {step === 'result' && r && (
          <div className="import-result" data-testid="import-result">
            <div className={r.committed ? 'alert alert-success' : r.rejected > 0 ? 'alert alert-warn' : 'alert alert-info'}>
              {r.committed ? t('import.committed') : r.dryRun ? t('import.dryRunDone') : t('import.notCommitted')}
            </div>
            <div className="stats">
              {(['read', 'created', 'updated', 'skipped', 'rejected'] as const).map((k) => (
                <div key={k} className={`stat stat-${k}`}>
                  <div className="stat-value">{formatNumber(r[k])}</div>
                  <div className="stat-label">{t(`import.counts.${k}`)}</div>
                </div>
              ))}
            </div>
            {r.summary && <p className="small">{r.summary}</p>}
            {r.unmappedColumns && r.unmappedColumns.length > 0 && (
              <p className="small">
                <span className="muted">{t('import.unmapped')}</span> {r.unmappedColumns.join('、')}
              </p>
            )}
            {r.encoding && (
              <p className="small">
                <span className="muted">{t('import.detectedEncoding')}</span> {r.encoding === 'gbk' ? 'GBK' : 'UTF-8'}
              </p>
            )}
            <p className="muted small">{t('import.sumNote')}</p>
            <div className="form-actions">
              {r.rejected > 0 && (
                <a className="btn" href={`/api/imports/${encodeURIComponent(r.id)}/report`} download data-testid="import-report">
                  <Icon name="download" />
                  {t('import.downloadReport')}
                </a>
              )}
              <span className="toolbar-spacer" />
              <button className="btn" onClick={restart}>
                {t('import.another')}
              </button>
              {!r.committed && r.dryRun && r.rejected > 0 && mode === 'all-or-nothing' && (
                // All-or-nothing would write nothing with rejected rows; offer the other choice explicitly.
                <button className="btn btn-primary" onClick={() => { setMode('skip-invalid'); run.mutate({ dryRun: false, mode: 'skip-invalid' }); }} disabled={run.isPending} data-testid="import-commit-skip">
                  {run.isPending ? t('import.running') : t('import.commitSkipping', { count: r.created + r.updated })}
                </button>
              )}
              {!r.committed && r.dryRun && !(r.rejected > 0 && mode === 'all-or-nothing') && (
                <button className="btn btn-primary" onClick={() => run.mutate({ dryRun: false })} disabled={run.isPending} data-testid="import-commit">
                  {run.isPending ? t('import.running') : t('import.commitNow')}
                </button>
              )}
              {r.committed && (
                <Link className="btn btn-primary" to="/customers">
                  {t('import.viewCustomers')}
                </Link>
              )}
            </div>
            {run.isError && <div className="alert alert-error">{errorMessage(run.error)}</div>}
          </div>
        )}
      </section>
    </div>
  );
}
