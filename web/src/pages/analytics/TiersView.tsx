// Service tiers (差异化服务): per segment, the SLA policy of service orders, call routing priority, a dedicated
// customer manager or team and a survey frequency cap. A customer in several segments gets the tier of the
// highest-priority segment, so the segment priority is edited here too.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import { useUsers } from '../../api/lookups.ts';
import { useCan } from '../../auth.tsx';
import { Icon } from '../../components/Icon.tsx';
import { fieldError } from '../../components/fieldErrors.ts';
import { formatNumber } from '../../format.ts';
import { drillHref, type Segment, type SlaPolicy, type Tier } from './api.ts';

interface Team {
  id: string;
  name: string;
}

interface TierDraft {
  id: string | null;
  version: number;
  segmentId: string;
  name: string;
  code: string;
  slaPolicyId: string;
  routingPriority: string;
  managerUserId: string;
  teamId: string;
  surveyCapDays: string;
  segmentPriority: string;
}

export function TiersView() {
  const { t } = useTranslation();
  const can = useCan();
  const manage = can('analytics.manage');
  const tiers = useQuery({ queryKey: ['analytics', 'tiers'], queryFn: () => api<{ items: Tier[] }>('/api/analytics/tiers') });
  const segments = useQuery({ queryKey: ['analytics', 'segments'], queryFn: () => api<{ items: Segment[] }>('/api/analytics/segments') });
  const sla = useQuery({ queryKey: ['sla-policies'], queryFn: () => api<{ items: SlaPolicy[] }>('/api/sla-policies'), retry: false });
  const teams = useQuery({ queryKey: ['teams'], queryFn: () => api<{ items: Team[] }>('/api/teams'), retry: false });
  const users = useUsers();
  const [editing, setEditing] = useState<TierDraft | null>(null);

  const segOf = (id: string) => segments.data?.items.find((s) => s.id === id);
  const userName = (id: string | null) => (id ? (users.data?.items.find((u) => u.id === id)?.name ?? id.slice(0, 8)) : null);
  const teamName = (id: string | null) => (id ? (teams.data?.items.find((x) => x.id === id)?.name ?? id.slice(0, 8)) : null);
  const slaName = (id: string | null) => (id ? (sla.data?.items.find((x) => x.id === id)?.name ?? id.slice(0, 8)) : null);
  const sorted = [...(tiers.data?.items ?? [])].sort((a, b) => (segOf(b.segmentId)?.priority ?? 0) - (segOf(a.segmentId)?.priority ?? 0));

  const open = (tier: Tier | null) => {
    const seg = tier ? segOf(tier.segmentId) : segments.data?.items[0];
    setEditing({
      id: tier?.id ?? null,
      version: tier?.version ?? 0,
      segmentId: tier?.segmentId ?? seg?.id ?? '',
      name: tier?.name ?? '',
      code: tier?.code ?? '',
      slaPolicyId: tier?.slaPolicyId ?? '',
      routingPriority: String(tier?.routingPriority ?? 0),
      managerUserId: tier?.managerUserId ?? '',
      teamId: tier?.teamId ?? '',
      surveyCapDays: tier?.surveyCapDays === null || tier?.surveyCapDays === undefined ? '' : String(tier.surveyCapDays),
      segmentPriority: String(seg?.priority ?? 0),
    });
  };

  return (
    <div className="analytics-grid">
      <section className="card analytics-card" data-testid="tiers">
        <div className="card-head">
          <h2>{t('analytics.tiersTitle')}</h2>
          {manage && (
            <button className="btn btn-sm btn-primary" onClick={() => open(null)} disabled={!segments.data?.items.length} data-testid="tier-new">
              <Icon name="plus" />
              {t('analytics.newTier')}
            </button>
          )}
        </div>
        <p className="muted small">{t('analytics.tiersHint')}</p>
        {tiers.isError && <div className="alert alert-error">{errorMessage(tiers.error)}</div>}
        <table className="table table-click">
          <thead>
            <tr>
              <th>{t('analytics.tierName')}</th>
              <th>{t('analytics.segment')}</th>
              <th className="num">{t('analytics.segmentPriority')}</th>
              <th>{t('analytics.slaPolicy')}</th>
              <th className="num">{t('analytics.routingPriority')}</th>
              <th>{t('analytics.dedicated')}</th>
              <th className="num">{t('analytics.surveyCap')}</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((tier) => {
              const seg = segOf(tier.segmentId);
              return (
                <tr key={tier.id} onClick={() => manage && open(tier)} data-testid="tier-row">
                  <td>
                    <span className="strong">{tier.name}</span> <span className="muted mono small">{tier.code}</span>
                  </td>
                  <td>
                    {seg ? (
                      <Link to={drillHref({ segmentId: seg.id })} onClick={(e) => e.stopPropagation()}>
                        {seg.name} ({formatNumber(seg.memberCount)})
                      </Link>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td className="num">{seg?.priority ?? '—'}</td>
                  <td>{slaName(tier.slaPolicyId) ?? <span className="muted">{t('analytics.slaByCode', { code: tier.code })}</span>}</td>
                  <td className="num">{tier.routingPriority}</td>
                  <td>{[userName(tier.managerUserId), teamName(tier.teamId)].filter(Boolean).join(' · ') || <span className="muted">—</span>}</td>
                  <td className="num">{tier.surveyCapDays === null ? '—' : t('analytics.days', { count: tier.surveyCapDays })}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {tiers.data && tiers.data.items.length === 0 && <div className="empty">{t('analytics.noTiers')}</div>}
      </section>
      {editing && (
        <TierEditor
          key={editing.id ?? 'new'}
          initial={editing}
          segments={segments.data?.items ?? []}
          slaPolicies={sla.data?.items ?? []}
          teams={teams.data?.items ?? []}
          users={users.data?.items ?? []}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}

function TierEditor({
  initial,
  segments,
  slaPolicies,
  teams,
  users,
  onClose,
}: {
  initial: TierDraft;
  segments: Segment[];
  slaPolicies: SlaPolicy[];
  teams: Team[];
  users: { id: string; name: string }[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [d, setD] = useState(initial);
  const set = (patch: Partial<TierDraft>) => setD((x) => ({ ...x, ...patch }));
  const seg = segments.find((s) => s.id === d.segmentId);

  const save = useMutation({
    mutationFn: async () => {
      const body = {
        name: d.name,
        code: d.code,
        slaPolicyId: d.slaPolicyId || null,
        routingPriority: Number(d.routingPriority) || 0,
        managerUserId: d.managerUserId || null,
        teamId: d.teamId || null,
        surveyCapDays: d.surveyCapDays ? Number(d.surveyCapDays) : null,
      };
      const tier = d.id
        ? await api<Tier>(`/api/analytics/tiers/${d.id}`, { method: 'PATCH', body: { ...body, version: d.version } })
        : await api<Tier>('/api/analytics/tiers', { method: 'POST', body: { ...body, segmentId: d.segmentId } });
      if (seg && Number(d.segmentPriority) !== seg.priority) {
        await api<Segment>(`/api/analytics/segments/${seg.id}`, { method: 'PATCH', body: { priority: Number(d.segmentPriority) || 0, version: seg.version } });
      }
      return tier;
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['analytics'] });
      onClose();
    },
  });
  const remove = useMutation({
    mutationFn: () => api(`/api/analytics/tiers/${d.id}`, { method: 'DELETE', query: { version: d.version } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['analytics', 'tiers'] });
      onClose();
    },
  });
  const err = (f: string) => fieldError(save.error, f);

  return (
    <section className="card analytics-card" data-testid="tier-editor">
      <div className="card-head">
        <h2>{d.id ? t('analytics.editTier') : t('analytics.newTier')}</h2>
        <button className="btn btn-icon btn-ghost" onClick={onClose} aria-label={t('common.close')}>
          <Icon name="x" />
        </button>
      </div>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">{t('analytics.segment')}</span>
          <select value={d.segmentId} onChange={(e) => set({ segmentId: e.target.value, segmentPriority: String(segments.find((s) => s.id === e.target.value)?.priority ?? 0) })} disabled={Boolean(d.id)}>
            {segments.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('analytics.segmentPriority')}</span>
          <input type="number" value={d.segmentPriority} onChange={(e) => set({ segmentPriority: e.target.value })} title={t('analytics.priorityHint')} />
        </label>
        <label className="field">
          <span className="field-label">{t('analytics.tierName')}</span>
          <input value={d.name} onChange={(e) => set({ name: e.target.value })} data-testid="tier-name" />
          {err('name') && <span className="field-error">{err('name')}</span>}
        </label>
        <label className="field">
          <span className="field-label">{t('analytics.tierCode')}</span>
          <input value={d.code} onChange={(e) => set({ code: e.target.value })} className="mono" title={t('analytics.tierCodeHint')} />
          {err('code') && <span className="field-error">{err('code')}</span>}
        </label>
        <label className="field">
          <span className="field-label">{t('analytics.slaPolicy')}</span>
          <select value={d.slaPolicyId} onChange={(e) => set({ slaPolicyId: e.target.value })}>
            <option value="">{t('analytics.slaByCode', { code: d.code || '…' })}</option>
            {slaPolicies.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('analytics.routingPriority')}</span>
          <input type="number" min={0} max={1000} value={d.routingPriority} onChange={(e) => set({ routingPriority: e.target.value })} />
          {err('routingPriority') && <span className="field-error">{err('routingPriority')}</span>}
        </label>
        <label className="field">
          <span className="field-label">{t('analytics.manager')}</span>
          {users.length ? (
            <select value={d.managerUserId} onChange={(e) => set({ managerUserId: e.target.value })}>
              <option value="">—</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          ) : (
            <input value={d.managerUserId} onChange={(e) => set({ managerUserId: e.target.value })} placeholder={t('analytics.userIdHint')} className="mono" />
          )}
        </label>
        <label className="field">
          <span className="field-label">{t('analytics.team')}</span>
          <select value={d.teamId} onChange={(e) => set({ teamId: e.target.value })}>
            <option value="">—</option>
            {teams.map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('analytics.surveyCap')}</span>
          <input type="number" min={1} value={d.surveyCapDays} onChange={(e) => set({ surveyCapDays: e.target.value })} placeholder={t('analytics.noCap')} />
          {err('surveyCapDays') && <span className="field-error">{err('surveyCapDays')}</span>}
        </label>
      </div>
      {save.isError && <div className="alert alert-error">{errorMessage(save.error)}</div>}
      {remove.isError && <div className="alert alert-error">{errorMessage(remove.error)}</div>}
      <div className="form-actions">
        {d.id && (
          <button className="btn btn-ghost text-danger" onClick={() => window.confirm(t('analytics.confirmDelete')) && remove.mutate()} disabled={remove.isPending}>
            {t('analytics.delete')}
          </button>
        )}
        <div className="grow" />
        <button className="btn" onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button className="btn btn-primary" onClick={() => save.mutate()} disabled={save.isPending || !d.name.trim() || !d.code.trim() || !d.segmentId} data-testid="tier-save">
          {save.isPending ? t('common.saving') : t('common.save')}
        </button>
      </div>
    </section>
  );
}
