import { useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError, errorMessage } from '../../api/client.ts';
import { useUsers } from '../../api/lookups.ts';
import { priorityList, rootCauseList, serviceChannelList, severityList, type Priority, type ServiceOrder, type UpdateServiceOrderInput } from '../../api/types.ts';
import { useCan, useMe } from '../../auth.tsx';
import { Icon } from '../../components/Icon.tsx';
import { fieldError } from '../../components/fieldErrors.ts';
import { formatDateTime, formatMoney } from '../../format.ts';
import { UserCell } from './names.tsx';

interface Draft {
  title: string;
  description: string;
  category: string;
  priority: Priority;
  channel: string;
  queue: string;
  assigneeUserId: string;
  severity: string;
  rootCause: string;
  compensation: string;
  compensationCurrency: string;
}

function draftOf(o: ServiceOrder): Draft {
  return {
    title: o.title,
    description: o.description,
    category: o.category ?? '',
    priority: o.priority,
    channel: o.channel,
    queue: o.queue ?? '',
    assigneeUserId: o.assigneeUserId ?? '',
    severity: o.severity ?? '',
    rootCause: o.rootCause ?? '',
    compensation: o.compensationMinor == null ? '' : (o.compensationMinor / 100).toFixed(2),
    compensationCurrency: o.compensationCurrency ?? 'CNY',
  };
}

/** Only what changed, plus the version read (a moved version is a 409 with the current order). */
function patchOf(o: ServiceOrder, d: Draft): UpdateServiceOrderInput {
  const p: UpdateServiceOrderInput = { version: o.version };
  if (d.title.trim() !== o.title) p.title = d.title.trim();
  if (d.description.trim() !== o.description) p.description = d.description.trim();
  if ((d.category.trim() || null) !== o.category) p.category = d.category.trim() || null;
  if (d.priority !== o.priority) p.priority = d.priority;
  if (d.channel !== o.channel) p.channel = d.channel as UpdateServiceOrderInput['channel'];
  if ((d.queue.trim() || null) !== o.queue) p.queue = d.queue.trim() || null;
  if ((d.assigneeUserId || null) !== o.assigneeUserId) p.assigneeUserId = d.assigneeUserId || null;
  if (o.type === 'complaint') {
    if ((d.severity || null) !== o.severity) p.severity = (d.severity || null) as UpdateServiceOrderInput['severity'];
    if ((d.rootCause || null) !== o.rootCause) p.rootCause = (d.rootCause || null) as UpdateServiceOrderInput['rootCause'];
    const minor = d.compensation.trim() === '' ? null : Math.round(Number(d.compensation) * 100);
    if (minor !== o.compensationMinor) {
      p.compensationMinor = minor;
      p.compensationCurrency = minor == null ? null : d.compensationCurrency;
    }
  }
  return p;
}

function isServiceOrder(v: unknown): v is ServiceOrder {
  return typeof v === 'object' && v !== null && 'id' in v && 'version' in v && 'number' in v;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="desc-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const dash = <span className="muted">—</span>;

/** The service order's fields, editable in place; a concurrent edit is shown as a conflict to reload from. */
export function ServiceOrderFields({ order: o }: { order: ServiceOrder }) {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const users = useUsers();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [conflict, setConflict] = useState<{ message: string; current: ServiceOrder | null } | null>(null);
  const key = ['service-order', o.id];

  const afterSave = async (updated: ServiceOrder) => {
    queryClient.setQueryData(key, updated);
    setDraft(null);
    setConflict(null);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: [...key, 'events'] }),
      queryClient.invalidateQueries({ queryKey: ['service-orders'] }),
    ]);
  };
  const onError = (e: Error) => {
    if (e instanceof ApiError && e.status === 409) setConflict({ message: e.body.message, current: isServiceOrder(e.body.current) ? e.body.current : null });
  };
  const save = useMutation({
    mutationFn: (d: Draft) => api<ServiceOrder>(`/api/service-orders/${encodeURIComponent(o.id)}`, { method: 'PATCH', body: patchOf(o, d) }),
    onSuccess: afterSave,
    onError,
  });
  const assignMe = useMutation({
    mutationFn: () => api<ServiceOrder>(`/api/service-orders/${encodeURIComponent(o.id)}`, { method: 'PATCH', body: { version: o.version, assigneeUserId: me.user.id } }),
    onSuccess: afterSave,
    onError,
  });

  const reloadLatest = async () => {
    let latest = conflict?.current ?? null;
    if (!latest) latest = await api<ServiceOrder>(`/api/service-orders/${encodeURIComponent(o.id)}`);
    queryClient.setQueryData(key, latest);
    setConflict(null);
    save.reset();
    setDraft(draft ? draftOf(latest) : null);
    await queryClient.invalidateQueries({ queryKey: [...key, 'events'] });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft) save.mutate(draft);
  };
  const err = (f: string) => fieldError(save.error, f);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => (d ? { ...d, [k]: v } : d));
  const editable = can('service.write') && o.status !== 'closed';
  const complaint = o.type === 'complaint';

  return (
    <section className="card profile-card">
      <div className="card-head">
        <h2>{t('service.details')}</h2>
        {!draft && editable && (
          <div className="btn-row">
            {o.assigneeUserId !== me.user.id && (
              <button className="btn btn-sm" onClick={() => assignMe.mutate()} disabled={assignMe.isPending} data-testid="assign-me">
                {t('service.assignToMe')}
              </button>
            )}
            <button className="btn btn-sm" onClick={() => setDraft(draftOf(o))} data-testid="service-edit">
              <Icon name="edit" />
              {t('common.edit')}
            </button>
          </div>
        )}
      </div>

      {conflict && (
        <div className="alert alert-warn" role="alert" data-testid="conflict">
          <div>{conflict.message}</div>
          <button className="btn btn-sm" onClick={() => void reloadLatest()}>
            <Icon name="refresh" />
            {t('customer.reloadLatest')}
          </button>
        </div>
      )}
      {assignMe.isError && !conflict && <div className="alert alert-error">{errorMessage(assignMe.error)}</div>}

      {!draft ? (
        <dl className="desc">
          <Row label={t('service.description')}>{o.description ? <span className="pre-wrap">{o.description}</span> : dash}</Row>
          <Row label={t('service.category')}>{o.category || dash}</Row>
          <Row label={t('service.channel')}>
            <span className={`chan chan-${o.channel}`}>{t(`channel.${o.channel}`, { defaultValue: o.channel })}</span>
          </Row>
          <Row label={t('service.assignee')}>
            <UserCell id={o.assigneeUserId} name={o.assigneeName} />
          </Row>
          <Row label={t('service.queue')}>{o.queue || dash}</Row>
          {complaint && (
            <>
              <Row label={t('service.severity.label')}>{o.severity ? <span className={`sev sev-${o.severity}`}>{t(`service.severity.${o.severity}`)}</span> : dash}</Row>
              <Row label={t('service.rootCause.label')}>{o.rootCause ? t(`service.rootCause.${o.rootCause}`) : dash}</Row>
              <Row label={t('service.compensation')}>
                {o.compensationMinor != null && o.compensationCurrency ? formatMoney(o.compensationMinor, o.compensationCurrency) : dash}
              </Row>
            </>
          )}
          <Row label={t('customer.updatedAt')}>
            <span className="mono muted">{formatDateTime(o.updatedAt)}</span>
            <span className="muted"> · v{o.version}</span>
          </Row>
        </dl>
      ) : (
        <form className="form-stack" onSubmit={submit}>
          <label className="field">
            <span className="field-label required">{t('service.title')}</span>
            <input value={draft.title} onChange={(e) => set('title', e.target.value)} maxLength={200} data-testid="edit-title" />
            {err('title') && <span className="field-error">{err('title')}</span>}
          </label>
          <label className="field">
            <span className="field-label">{t('service.description')}</span>
            <textarea value={draft.description} onChange={(e) => set('description', e.target.value)} rows={4} maxLength={10_000} />
          </label>
          <div className="form-row-2">
            <label className="field">
              <span className="field-label">{t('service.priority.label')}</span>
              <select value={draft.priority} onChange={(e) => set('priority', e.target.value as Priority)}>
                {priorityList.map((p) => (
                  <option key={p} value={p}>
                    {t(`service.priority.${p}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              <span className="field-label">{t('service.channel')}</span>
              <select value={draft.channel} onChange={(e) => set('channel', e.target.value)}>
                {serviceChannelList.map((c) => (
                  <option key={c} value={c}>
                    {t(`channel.${c}`, { defaultValue: c })}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="form-row-2">
            <label className="field">
              <span className="field-label">{t('service.category')}</span>
              <input value={draft.category} onChange={(e) => set('category', e.target.value)} maxLength={60} />
            </label>
            <label className="field">
              <span className="field-label">{t('service.queue')}</span>
              <input value={draft.queue} onChange={(e) => set('queue', e.target.value)} maxLength={60} />
            </label>
          </div>
          <label className="field">
            <span className="field-label">{t('service.assignee')}</span>
            <select value={draft.assigneeUserId} onChange={(e) => set('assigneeUserId', e.target.value)}>
              <option value="">{t('service.unassigned')}</option>
              <option value={me.user.id}>{me.user.name}</option>
              {draft.assigneeUserId && draft.assigneeUserId !== me.user.id && !users.data?.items.some((u) => u.id === draft.assigneeUserId) && (
                <option value={draft.assigneeUserId}>{o.assigneeName ?? t('service.assignedOther')}</option>
              )}
              {users.data?.items
                .filter((u) => u.id !== me.user.id)
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
            </select>
          </label>
          {complaint && (
            <>
              <div className="form-row-2">
                <label className="field">
                  <span className="field-label">{t('service.severity.label')}</span>
                  <select value={draft.severity} onChange={(e) => set('severity', e.target.value)}>
                    <option value="">—</option>
                    {severityList.map((s) => (
                      <option key={s} value={s}>
                        {t(`service.severity.${s}`)}
                      </option>
                    ))}
                  </select>
                  {err('severity') && <span className="field-error">{err('severity')}</span>}
                </label>
                <label className="field">
                  <span className="field-label">{t('service.rootCause.label')}</span>
                  <select value={draft.rootCause} onChange={(e) => set('rootCause', e.target.value)}>
                    <option value="">—</option>
                    {rootCauseList.map((s) => (
                      <option key={s} value={s}>
                        {t(`service.rootCause.${s}`)}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
              <label className="field">
                <span className="field-label">{t('service.compensation')}</span>
                <div className="input-group">
                  <input value={draft.compensation} onChange={(e) => set('compensation', e.target.value)} inputMode="decimal" placeholder="0.00" />
                  <select value={draft.compensationCurrency} onChange={(e) => set('compensationCurrency', e.target.value)} aria-label={t('service.currency')}>
                    {['CNY', 'HKD', 'USD', 'EUR'].map((c) => (
                      <option key={c}>{c}</option>
                    ))}
                  </select>
                </div>
                {err('compensationMinor') && <span className="field-error">{err('compensationMinor')}</span>}
              </label>
            </>
          )}
          {save.isError && !conflict && <div className="alert alert-error">{errorMessage(save.error)}</div>}
          <div className="form-actions">
            <button
              type="button"
              className="btn"
              onClick={() => {
                setDraft(null);
                setConflict(null);
                save.reset();
              }}
            >
              {t('common.cancel')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={save.isPending || !draft.title.trim() || Boolean(conflict)} data-testid="service-save">
              {save.isPending ? t('common.saving') : t('common.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
