// SLA 策略: list, create, edit, (de)activate. Rule fields: types, priorities, customer tags, tier, rank;
// targets in minutes; business hours (a business calendar) or 24x7.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import { useServiceTypes } from '../../api/lookups.ts';
import { priorityList, type BusinessCalendar, type CreateSlaPolicyInput, type Priority, type SlaPolicy, type UpdateSlaPolicyInput } from '../../api/types.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { splitList } from '../../components/fieldErrors.ts';
import { ActivePill, CheckGroup, FieldErr, SaveError, changedFields, conflictVersion } from './adminKit.tsx';

export function useCalendars() {
  return useQuery({ queryKey: ['business-calendars'], queryFn: () => api<{ items: BusinessCalendar[] }>('/api/settings/business-calendars'), retry: false });
}

export function formatMinutes(m: number, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (m % 1440 === 0) return t('admin.days', { n: m / 1440 });
  if (m % 60 === 0) return t('admin.hours', { n: m / 60 });
  return t('admin.minutes', { n: m });
}

export function SlaPoliciesTab() {
  const { t } = useTranslation();
  const policies = useQuery({ queryKey: ['sla-policies'], queryFn: () => api<{ items: SlaPolicy[] }>('/api/sla-policies') });
  const types = useServiceTypes();
  const calendars = useCalendars();
  const [editing, setEditing] = useState<SlaPolicy | 'new' | null>(null);
  const typeLabel = (k: string) => types.find((x) => x.key === k)?.label ?? k;
  const calName = (id: string | null) => (id ? (calendars.data?.items.find((c) => c.id === id)?.name ?? id.slice(-6)) : t('admin.sla.defaultCalendar'));

  return (
    <section className="card card-flush">
      <div className="toolbar">
        <span className="muted">{t('admin.sla.hint')}</span>
        <span className="toolbar-spacer" />
        <button className="btn btn-primary" onClick={() => setEditing('new')} data-testid="sla-new">
          {t('admin.sla.new')}
        </button>
      </div>
      {policies.isError && <div className="alert alert-error">{errorMessage(policies.error)}</div>}
      {policies.data && !policies.data.items.length && <div className="empty">{t('admin.sla.empty')}</div>}
      {policies.data && policies.data.items.length > 0 && (
        <table className="table table-click">
          <thead>
            <tr>
              <th>{t('admin.name')}</th>
              <th>{t('admin.sla.appliesTo')}</th>
              <th className="num">{t('admin.sla.rank')}</th>
              <th className="num">{t('admin.sla.firstResponse')}</th>
              <th className="num">{t('admin.sla.resolution')}</th>
              <th>{t('admin.sla.calendar')}</th>
              <th>{t('admin.status')}</th>
            </tr>
          </thead>
          <tbody>
            {policies.data.items.map((p) => (
              <tr key={p.id} data-testid="sla-row" onClick={() => setEditing(p)}>
                <td className="strong">{p.name}</td>
                <td className="muted">
                  {[
                    p.types?.length ? p.types.map(typeLabel).join('、') : null,
                    p.priorities?.length ? p.priorities.map((x) => t(`service.priority.${x}`)).join('、') : null,
                    p.tags?.length ? p.tags.map((x) => `#${x}`).join(' ') : null,
                    p.tier ? `${t('admin.sla.tier')}: ${p.tier}` : null,
                  ]
                    .filter(Boolean)
                    .join(' · ') || t('admin.sla.everything')}
                </td>
                <td className="num">{p.rank}</td>
                <td className="num" data-testid="sla-row-first">{formatMinutes(p.firstResponseMinutes, t)}</td>
                <td className="num">{formatMinutes(p.resolutionMinutes, t)}</td>
                <td>{p.calendar === '24x7' ? t('admin.sla.cal24x7') : calName(p.calendarId ?? null)}</td>
                <td>
                  <ActivePill active={p.active} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <SlaPolicyDialog policy={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </section>
  );
}

function SlaPolicyDialog({ policy, onClose }: { policy: SlaPolicy | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const types = useServiceTypes();
  const calendars = useCalendars();
  const [name, setName] = useState(policy?.name ?? '');
  const [typeKeys, setTypeKeys] = useState<string[]>(policy?.types ?? []);
  const [prios, setPrios] = useState<Priority[]>(policy?.priorities ?? []);
  const [tags, setTags] = useState((policy?.tags ?? []).join(', '));
  const [tier, setTier] = useState(policy?.tier ?? '');
  const [rank, setRank] = useState(String(policy?.rank ?? 100));
  const [first, setFirst] = useState(policy ? String(policy.firstResponseMinutes) : '60');
  const [resolution, setResolution] = useState(policy ? String(policy.resolutionMinutes) : '480');
  const [calendar, setCalendar] = useState<'business' | '24x7'>(policy?.calendar ?? 'business');
  const [calendarId, setCalendarId] = useState(policy?.calendarId ?? '');
  const [atRisk, setAtRisk] = useState(String(policy?.atRiskPercent ?? 80));
  const [active, setActive] = useState(policy?.active ?? true);
  const [version, setVersion] = useState(policy?.version ?? 1);

  const save = useMutation({
    mutationFn: () => {
      const fields = {
        name: name.trim(),
        types: typeKeys,
        priorities: prios,
        tags: splitList(tags),
        tier: tier.trim() || null,
        rank: Number(rank),
        firstResponseMinutes: Number(first),
        resolutionMinutes: Number(resolution),
        calendar,
        calendarId: calendar === 'business' && calendarId ? calendarId : null,
        atRiskPercent: Number(atRisk),
      };
      if (!policy) return api<SlaPolicy>('/api/sla-policies', { method: 'POST', body: fields satisfies CreateSlaPolicyInput });
      return api<SlaPolicy>(`/api/sla-policies/${policy.id}`, { method: 'PATCH', body: { ...changedFields(fields, policy), ...(active !== policy.active ? { active } : {}), version } satisfies UpdateSlaPolicyInput });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['sla-policies'] });
      onClose();
    },
    onError: async (err) => {
      const v = conflictVersion(err);
      if (v !== null) {
        setVersion(v);
        await queryClient.invalidateQueries({ queryKey: ['sla-policies'] });
      }
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const err = save.error;

  return (
    <Dialog
      title={policy ? `${t('admin.sla.edit')} · ${policy.name}` : t('admin.sla.new')}
      onClose={onClose}
      footer={
        <>
          <button className="btn" type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="btn btn-primary" type="submit" form="sla-form" disabled={save.isPending || !name.trim()} data-testid="sla-save">
            {save.isPending ? t('common.saving') : t('common.save')}
          </button>
        </>
      }
    >
      <form id="sla-form" className="form-grid" onSubmit={submit}>
        <label className="field field-wide">
          <span className="field-label required">{t('admin.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus data-testid="sla-name" />
          <FieldErr error={err} field="name" />
        </label>
        <div className="field field-wide">
          <span className="field-label">{t('admin.sla.types')}</span>
          <CheckGroup options={types} value={typeKeys} onChange={setTypeKeys} label={(k) => types.find((x) => x.key === k)?.label ?? k} testId="sla-types" />
          <FieldErr error={err} field="types" />
        </div>
        <div className="field field-wide">
          <span className="field-label">{t('admin.sla.priorities')}</span>
          <CheckGroup options={priorityList.map((k) => ({ key: k, label: k }))} value={prios} onChange={setPrios} label={(k) => t(`service.priority.${k}`)} testId="sla-priorities" />
          <span className="hint muted">{t('admin.sla.emptyMeansAll')}</span>
        </div>
        <label className="field">
          <span className="field-label">{t('admin.sla.tags')}</span>
          <input value={tags} onChange={(e) => setTags(e.target.value)} placeholder={t('admin.sla.tagsPlaceholder')} data-testid="sla-tags" />
          <FieldErr error={err} field="tags" />
        </label>
        <label className="field">
          <span className="field-label">{t('admin.sla.tier')}</span>
          <input value={tier} onChange={(e) => setTier(e.target.value)} maxLength={30} />
          <FieldErr error={err} field="tier" />
        </label>
        <label className="field">
          <span className="field-label required">{t('admin.sla.firstResponseMinutes')}</span>
          <input type="number" value={first} onChange={(e) => setFirst(e.target.value)} data-testid="sla-first" />
          <FieldErr error={err} field="firstResponseMinutes" />
        </label>
        <label className="field">
          <span className="field-label required">{t('admin.sla.resolutionMinutes')}</span>
          <input type="number" value={resolution} onChange={(e) => setResolution(e.target.value)} data-testid="sla-resolution" />
          <FieldErr error={err} field="resolutionMinutes" />
        </label>
        <label className="field">
          <span className="field-label">{t('admin.sla.calendar')}</span>
          <select value={calendar} onChange={(e) => setCalendar(e.target.value as 'business' | '24x7')} data-testid="sla-calendar">
            <option value="business">{t('admin.sla.calBusiness')}</option>
            <option value="24x7">{t('admin.sla.cal24x7')}</option>
          </select>
        </label>
        {calendar === 'business' && (
          <label className="field">
            <span className="field-label">{t('admin.sla.businessCalendar')}</span>
            <select value={calendarId} onChange={(e) => setCalendarId(e.target.value)}>
              <option value="">{t('admin.sla.defaultCalendar')}</option>
              {calendars.data?.items
                .filter((c) => c.id)
                .map((c) => (
                  <option key={c.id} value={c.id!}>
                    {c.name}
                  </option>
                ))}
            </select>
            <FieldErr error={err} field="calendarId" />
          </label>
        )}
        <label className="field">
          <span className="field-label">{t('admin.sla.atRiskPercent')}</span>
          <input type="number" value={atRisk} onChange={(e) => setAtRisk(e.target.value)} />
          <FieldErr error={err} field="atRiskPercent" />
        </label>
        <label className="field">
          <span className="field-label">{t('admin.sla.rank')}</span>
          <input type="number" value={rank} onChange={(e) => setRank(e.target.value)} />
          <span className="hint muted">{t('admin.sla.rankHint')}</span>
          <FieldErr error={err} field="rank" />
        </label>
        {policy && (
          <label className="check field-wide">
            <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} data-testid="sla-active" />
            {t('admin.activeLabel')}
          </label>
        )}
      </form>
      <SaveError error={err} />
    </Dialog>
  );
}
