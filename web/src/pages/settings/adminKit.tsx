// Small pieces the admin screens share: teams (and a team select), multi-choice checkboxes, the field error line
// and the save error box (a clear message on 409: someone else saved first; the next save uses their version).
import type { ChangeEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api, errorMessage } from '../../api/client.ts';
import type { Team } from '../../api/types.ts';
import { fieldError } from '../../components/fieldErrors.ts';

export function useTeams() {
  return useQuery({ queryKey: ['teams'], queryFn: () => api<{ items: Team[] }>('/api/teams'), staleTime: 60_000, retry: false });
}

/** One of the listed records by id, or none (`none` labels the empty choice). */
export function RefSelect({ value, onChange, items, none = '—', testId }: { value: string; onChange: (e: ChangeEvent<HTMLSelectElement>) => void; items: { id: string; name: string }[] | undefined; none?: string; testId?: string }) {
  return (
    <select value={value} onChange={onChange} data-testid={testId}>
      <option value="">{none}</option>
      {items?.map((x) => (
        <option key={x.id} value={x.id}>
          {x.name}
        </option>
      ))}
    </select>
  );
}

/** A team to pick, or none (—). */
export function TeamSelect(props: { value: string; onChange: (e: ChangeEvent<HTMLSelectElement>) => void; testId?: string }) {
  const teams = useTeams();
  return <RefSelect {...props} items={teams.data?.items} />;
}

/** One of a fixed list of keys, each shown by its label; typed, so no cast of what the select gives back. */
export function EnumSelect<T extends string>({ value, options, label, onChange, testId }: { value: T; options: readonly T[]; label: (k: T) => string; onChange: (v: T) => void; testId?: string }) {
  return (
    <select value={value} onChange={(e) => onChange(options.find((o) => o === e.target.value) ?? value)} data-testid={testId}>
      {options.map((o) => (
        <option key={o} value={o}>
          {label(o)}
        </option>
      ))}
    </select>
  );
}

/** The version the server holds now, from a 409 answer (`current.version`). */
export function conflictVersion(err: unknown): number | null {
  if (!(err instanceof ApiError) || err.status !== 409) return null;
  const cur = err.body.current as { version?: unknown } | undefined;
  return typeof cur?.version === 'number' ? cur.version : null;
}

export function FieldErr({ error, field }: { error: unknown; field: string }) {
  const msg = fieldError(error, field);
  return msg ? <span className="field-error" data-testid={`field-error-${field}`}>{msg}</span> : null;
}

/** What went wrong on save, when it is not a field's own error (`conflictText`: the 409 message, when not the default). */
export function SaveError({ error, conflictText }: { error: unknown; conflictText?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof ApiError && error.status === 409) {
    return (
      <div className="alert alert-warn" data-testid="conflict-alert">
        {conflictText ?? t('admin.conflict')}
      </div>
    );
  }
  if (error instanceof ApiError && error.status === 400 && error.body.fields?.length) {
    return <div className="alert alert-error">{t('admin.fixFields')}</div>;
  }
  return <div className="alert alert-error">{errorMessage(error)}</div>;
}

export function CheckGroup<T extends string>({ options, value, onChange, label, testId }: { options: { key: T; label: string }[]; value: T[]; onChange: (v: T[]) => void; label: (k: T) => string; testId?: string }) {
  return (
    <div className="checks" data-testid={testId}>
      {options.map((o) => (
        <label key={o.key} className="check">
          <input
            type="checkbox"
            checked={value.includes(o.key)}
            onChange={(e) => onChange(e.target.checked ? [...value, o.key] : value.filter((x) => x !== o.key))}
            value={o.key}
          />
          {label(o.key)}
        </label>
      ))}
    </div>
  );
}

/** "" → null, else the integer typed (NaN stays NaN so the server answers with the field's error). */
export function intOrNull(s: string): number | null {
  return s.trim() === '' ? null : Number(s);
}

export function ActivePill({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return <span className={`pill ${active ? 'cb-satisfied' : 'cb-cancelled'}`}>{active ? t('admin.active') : t('admin.inactive')}</span>;
}

/**
 * The fields of a form that differ from the record it opened with: a PATCH sends only these, so saving again
 * after a 409 keeps what someone else changed in the other fields.
 */
export function changedFields<F extends object>(fields: F, original: object): Partial<F> {
  const out: Partial<F> = {};
  const before = original as Record<string, unknown>;
  for (const k of Object.keys(fields) as (keyof F & string)[]) {
    if (JSON.stringify(fields[k]) !== JSON.stringify(before[k] ?? null)) out[k] = fields[k];
  }
  return out;
}
