// The admin screens that list records and edit one in a dialog (SLA policies, escalation rules, service types,
// commission rules) share this: the page gives its columns, its draft and its inputs; loading, saving, the
// server's field errors beside their inputs and the 409 (someone else saved first: say so, keep the draft, and
// let the next save go over their version) are done here once.
import { createContext, useContext, useEffect, useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQueryClient, type QueryKey, type UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { FieldErr, SaveError, changedFields, conflictVersion } from './adminKit.tsx';

/** One column of a record list: its header and what a row shows in it. */
export interface Column<R> {
  header: string;
  /** A number: right-aligned header and cell. */
  num?: boolean;
  className?: string;
  testId?: string;
  cell: (row: R) => ReactNode;
}

export interface RecordTableProps<R> {
  rows: R[];
  columns: Column<R>[];
  rowKey: (row: R) => string;
  rowTestId: string;
  onOpen: (row: R) => void;
}

const cellClass = (c: { num?: boolean; className?: string }) => [c.num ? 'num' : '', c.className ?? ''].filter(Boolean).join(' ') || undefined;

export function RecordTable<R>({ rows, columns, rowKey, rowTestId, onOpen }: RecordTableProps<R>) {
  return (
    <table className="table table-click">
      <thead>
        <tr>
          {columns.map((c, i) => (
            <th key={i} className={c.num ? 'num' : undefined}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={rowKey(r)} data-testid={rowTestId} onClick={() => onOpen(r)}>
            {columns.map((c, i) => (
              <td key={i} className={cellClass(c)} data-testid={c.testId}>
                {c.cell(r)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A card with the list the query loads: its error, the empty text (without one, an empty list still shows
 * its headers) and the table.
 */
export function RecordList<R>({ query, empty, toolbar, ...table }: Omit<RecordTableProps<R>, 'rows'> & { query: UseQueryResult<{ items: R[] }>; empty?: string; toolbar?: ReactNode }) {
  const items = query.data?.items;
  return (
    <section className="card card-flush">
      {toolbar}
      {query.isError && <div className="alert alert-error">{errorMessage(query.error)}</div>}
      {items && !items.length && empty !== undefined && <div className="empty">{empty}</div>}
      {items && (items.length > 0 || empty === undefined) && <RecordTable rows={items} {...table} />}
    </section>
  );
}

export function ListToolbar({ hint, newLabel, newTestId, onNew }: { hint: string; newLabel: string; newTestId: string; onNew: () => void }) {
  return (
    <div className="toolbar">
      <span className="muted">{hint}</span>
      <span className="toolbar-spacer" />
      <button className="btn btn-primary" onClick={onNew} data-testid={newTestId}>
        {newLabel}
      </button>
    </div>
  );
}

/** The record a list opened for editing: a row, 'new', or none. */
export function useEditing<R>() {
  const [editing, setEditing] = useState<R | 'new' | null>(null);
  return { open: editing !== null, record: editing === 'new' ? null : editing, edit: setEditing, close: () => setEditing(null) };
}

type StringKeys<D> = { [K in keyof D]: string extends D[K] ? (D[K] extends string ? K : never) : never }[keyof D];
type BooleanKeys<D> = { [K in keyof D]: D[K] extends boolean ? K : never }[keyof D];

export interface RecordEditorOptions<R extends { version: number }, D extends object> {
  /** The record being edited; null creates one. */
  record: R | null;
  /** The form's state for that record (what people type: numbers stay text until saved). */
  draft: (record: R | null) => D;
  create: (draft: D) => Promise<unknown>;
  /** version: the record's, or after a 409 the one the server holds now. */
  update: (record: R, draft: D, version: number) => Promise<unknown>;
  /** The list refetched after a save and after a 409 (to show what the other person saved). */
  queryKey: QueryKey;
  onClose: () => void;
}

export function useRecordEditor<R extends { version: number }, D extends object>(o: RecordEditorOptions<R, D>) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(() => o.draft(o.record));
  const [version, setVersion] = useState(o.record?.version ?? 1);
  const set = <K extends keyof D>(key: K, value: D[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const save = useMutation({
    mutationFn: () => (o.record ? o.update(o.record, draft, version) : o.create(draft)),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: o.queryKey });
      o.onClose();
    },
    onError: async (e) => {
      const v = conflictVersion(e);
      if (v !== null) {
        setVersion(v);
        await queryClient.invalidateQueries({ queryKey: o.queryKey });
      }
    },
  });
  return {
    record: o.record,
    draft,
    set,
    /** value and onChange of an input or select bound to a text field of the draft. */
    text: <K extends StringKeys<D>>(key: K) => ({ value: draft[key] as string, onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => set(key, e.target.value as D[K]) }),
    /** checked and onChange of a checkbox bound to a yes/no field of the draft. */
    check: <K extends BooleanKeys<D>>(key: K) => ({ checked: draft[key] as boolean, onChange: (e: ChangeEvent<HTMLInputElement>) => set(key, e.target.checked as D[K]) }),
    submit: (e: FormEvent) => {
      e.preventDefault();
      save.mutate();
    },
    pending: save.isPending,
    error: save.error as unknown,
  };
}

/** What the dialog needs of an editor. */
export interface RecordEditor {
  submit: (e: FormEvent) => void;
  pending: boolean;
  error: unknown;
}

/**
 * The body of a PATCH: only the fields that differ from the record as opened (so saving again after a 409 keeps
 * what the other person changed elsewhere), `active` when given and changed, and the version.
 */
export function patchBody<F extends object, R extends { active?: boolean }>(fields: F, record: R, version: number, active?: boolean): Partial<F> & { active?: boolean; version: number } {
  return { ...changedFields(fields, record), ...(active !== undefined && active !== record.active ? { active } : {}), version };
}

const FieldErrors = createContext<unknown>(null);

/** Gives the fields below the error of the last save, so each shows its own message. */
export function FieldErrorScope({ error, children }: { error: unknown; children: ReactNode }) {
  return <FieldErrors.Provider value={error}>{children}</FieldErrors.Provider>;
}

/**
 * A labelled input with its hint and the server's error for `name` (the body's field). `group` for inputs that
 * are labels themselves (check boxes).
 */
export function Field({ label, name, required, wide, hint, group, children }: { label: string; name?: string; required?: boolean; wide?: boolean; hint?: string; group?: boolean; children: ReactNode }) {
  const error = useContext(FieldErrors);
  const Tag = group ? 'div' : 'label';
  return (
    <Tag className={wide ? 'field field-wide' : 'field'}>
      <span className={required ? 'field-label required' : 'field-label'}>{label}</span>
      {children}
      {hint && <span className="hint muted">{hint}</span>}
      {name && <FieldErr error={error} field={name} />}
    </Tag>
  );
}

/** The dialog of a record editor: its form (id `${id}-form`), Cancel and Save (`${id}-save`), the save's error. */
export function RecordDialog({ id, title, editor, canSave = true, onClose, children }: { id: string; title: string; editor: RecordEditor; canSave?: boolean; onClose: () => void; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <button className="btn" type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="btn btn-primary" type="submit" form={`${id}-form`} disabled={editor.pending || !canSave} data-testid={`${id}-save`}>
            {editor.pending ? t('common.saving') : t('common.save')}
          </button>
        </>
      }
    >
      <form id={`${id}-form`} className="form-grid" onSubmit={editor.submit}>
        <FieldErrorScope error={editor.error}>{children}</FieldErrorScope>
      </form>
      <SaveError error={editor.error} />
    </Dialog>
  );
}

export function ActiveCheck({ checked, onChange, testId }: { checked: boolean; onChange: (e: ChangeEvent<HTMLInputElement>) => void; testId?: string }) {
  const { t } = useTranslation();
  return (
    <label className="check field-wide">
      <input type="checkbox" checked={checked} onChange={onChange} data-testid={testId} />
      {t('admin.activeLabel')}
    </label>
  );
}

export interface SettingsFormOptions<S, D extends object> {
  /** The settings as loaded; the form fills from them each time they (re)load. */
  query: UseQueryResult<S>;
  queryKey: QueryKey;
  /** The form before the settings load. */
  empty: D;
  draft: (settings: S) => D;
  /** version: the loaded settings', or after a 409 the one the server holds now (for settings that have one). */
  save: (draft: D, version: number) => Promise<S>;
  version?: (settings: S) => number;
  /** After a save, e.g. to refetch what the settings change (the settings' own query is already updated). */
  onSaved?: (settings: S) => unknown;
  /**
   * On a 409, refetch the settings so the form shows what the other person saved (for settings replaced whole by
   * PUT, where keeping the draft would silently undo their change); otherwise the draft stays and only the version
   * moves.
   */
  reloadOnConflict?: boolean;
}

/** One settings record edited in place (no list, no dialog): saved with PUT, "saved" shown until the next try. */
export function useSettingsForm<S, D extends object>(o: SettingsFormOptions<S, D>) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(o.empty);
  const [version, setVersion] = useState(0);
  const [saved, setSaved] = useState(false);
  const { data } = o.query;
  // Only on new data: the callbacks are the page's, made anew each render.
  useEffect(() => {
    if (data === undefined) return;
    setDraft(o.draft(data));
    if (o.version) setVersion(o.version(data));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);
  const set = <K extends keyof D>(key: K, value: D[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const save = useMutation({
    mutationFn: () => o.save(draft, version),
    onMutate: () => setSaved(false),
    onSuccess: async (s) => {
      queryClient.setQueryData(o.queryKey, s);
      setSaved(true);
      await o.onSaved?.(s);
    },
    onError: async (e) => {
      const v = conflictVersion(e);
      if (v === null) return;
      setVersion(v);
      if (o.reloadOnConflict) await queryClient.invalidateQueries({ queryKey: o.queryKey });
    },
  });
  return {
    draft,
    set,
    text: <K extends StringKeys<D>>(key: K) => ({ value: draft[key] as string, onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => set(key, e.target.value as D[K]) }),
    submit: (e: FormEvent) => {
      e.preventDefault();
      save.mutate();
    },
    pending: save.isPending,
    error: save.error as unknown,
    saved,
  };
}

/**
 * The form of a settings record: its fields, Save (`saveTestId`), then "saved" or what went wrong. `readOnly`
 * (people who may read but not change the settings): every input disabled, no Save. `conflictText`: the 409
 * message when the form does something else on a 409 than the default message says.
 */
export function SettingsForm({ form, className, saveTestId, canSave = true, readOnly = false, conflictText, children }: { form: RecordEditor & { saved: boolean }; className?: string; saveTestId: string; canSave?: boolean; readOnly?: boolean; conflictText?: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <form className={className ? `form-grid ${className}` : 'form-grid'} onSubmit={form.submit}>
        <FieldErrorScope error={form.error}>
          {readOnly ? (
            <fieldset className="fieldset-contents" disabled>
              {children}
            </fieldset>
          ) : (
            children
          )}
        </FieldErrorScope>
        {!readOnly && (
          <div className="form-actions field-wide">
            <button className="btn btn-primary" type="submit" disabled={form.pending || !canSave} data-testid={saveTestId}>
              {form.pending ? t('common.saving') : t('common.save')}
            </button>
          </div>
        )}
      </form>
      {form.saved && <div className="alert alert-success">{t('admin.saved')}</div>}
      <SaveError error={form.error} conflictText={conflictText} />
    </>
  );
}
