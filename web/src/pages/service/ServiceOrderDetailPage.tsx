import { useState, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, ApiError, errorMessage } from '../../api/client.ts';
import { useServiceTypeLabel } from '../../api/lookups.ts';
import type { ServiceOrder, ServiceStatus, TransitionInput } from '../../api/types.ts';
import { useCan } from '../../auth.tsx';
import { PriorityBadge, SlaDue, SlaStateBadge, StatusBadge } from '../../components/Badges.tsx';
import { Dialog } from '../../components/Dialog.tsx';
import { Icon } from '../../components/Icon.tsx';
import { formatDateTime, formatMinutes, formatMoney } from '../../format.ts';
import { CallbackList } from './CallbacksPage.tsx';
import { EventHistory } from './EventHistory.tsx';
import { ServiceOrderFields } from './ServiceOrderFields.tsx';
import { CustomerCell, UserCell } from './names.tsx';
import { NeedForm } from '../opportunities/NeedForm.tsx';

export const serviceOrderKey = (id: string) => ['service-order', id] as const;

export function isServiceOrder(v: unknown): v is ServiceOrder {
  return typeof v === 'object' && v !== null && 'id' in v && 'version' in v && 'number' in v && 'status' in v;
}

/** Transitions that ask for more than a click: resolving (the resolution) and closing (the customer's word). */
const withForm = new Set<ServiceStatus>(['resolved', 'closed']);

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="desc-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function ServiceOrderDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const typeLabel = useServiceTypeLabel();
  const [tab, setTab] = useState<'history' | 'callbacks'>('history');
  const [pending, setPending] = useState<ServiceStatus | null>(null);
  const [refused, setRefused] = useState<{ message: string; allowed: ServiceStatus[] | null } | null>(null);

  const order = useQuery({
    queryKey: serviceOrderKey(id),
    queryFn: () => api<ServiceOrder>(`/api/service-orders/${encodeURIComponent(id)}`),
    refetchInterval: 60_000,
  });

  const refreshAround = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: [...serviceOrderKey(id), 'events'] }),
      queryClient.invalidateQueries({ queryKey: ['service-orders'] }),
      queryClient.invalidateQueries({ queryKey: ['callbacks'] }),
    ]);
  };

  const transition = useMutation({
    mutationFn: (body: TransitionInput) => api<ServiceOrder>(`/api/service-orders/${encodeURIComponent(id)}/transitions`, { method: 'POST', body }),
    onSuccess: async (o) => {
      queryClient.setQueryData(serviceOrderKey(id), o);
      setPending(null);
      setRefused(null);
      await refreshAround();
    },
    onError: async (e) => {
      setPending(null);
      if (!(e instanceof ApiError)) return;
      // Refused: someone moved it first (409, with the current order) or the step is not allowed from here
      // (400, with the allowed list). Say so, and show the buttons that are valid now.
      if (e.status === 409 && isServiceOrder(e.body.current)) {
        queryClient.setQueryData(serviceOrderKey(id), e.body.current);
        setRefused({ message: e.body.message, allowed: e.body.current.allowedTransitions });
      } else if (e.status === 400) {
        const cur = e.body.current as { allowedTransitions?: ServiceStatus[] } | undefined;
        setRefused({ message: e.body.message, allowed: cur?.allowedTransitions ?? null });
        await queryClient.invalidateQueries({ queryKey: serviceOrderKey(id) });
      } else setRefused({ message: e.body.message, allowed: null });
    },
  });

  if (order.isPending) return <div className="page"><div className="empty">{t('common.loading')}</div></div>;
  if (order.isError) {
    const notFound = order.error instanceof ApiError && order.error.status === 404;
    return (
      <div className="page">
        <Link to="/service" className="back-link">
          <Icon name="arrow-left" /> {t('service.backToDesk')}
        </Link>
        <div className={notFound ? 'empty' : 'alert alert-error'}>{errorMessage(order.error)}</div>
      </div>
    );
  }
  const o = order.data;
  const go = (to: ServiceStatus) => {
    setRefused(null);
    if (withForm.has(to)) setPending(to);
    else transition.mutate({ to, version: o.version });
  };

  return (
    <div className="page">
      <Link to="/service" className="back-link">
        <Icon name="arrow-left" /> {t('service.backToDesk')}
      </Link>
      <div className="detail-header">
        <div className="detail-title">
          <h1>
            <span className="mono" data-testid="service-number">{o.number}</span> <span data-testid="service-title">{o.title}</span>
          </h1>
          <div className="detail-meta">
            <StatusBadge status={o.status} />
            <span className={`stype stype-${o.type}`}>{typeLabel(o.type)}</span>
            <PriorityBadge priority={o.priority} />
            <span>
              {t('service.customer')}: <CustomerCell id={o.customerId} name={o.customerName} link />
            </span>
            <span>
              {t('service.assignee')}: <UserCell id={o.assigneeUserId} name={o.assigneeName} />
            </span>
            <span className="muted">
              {t('service.createdAt')} {formatDateTime(o.createdAt)}
            </span>
          </div>
        </div>
        <div className="detail-actions">{o.nextDueAt && o.status !== 'resolved' && o.status !== 'closed' && <SlaDue order={o} />}</div>
      </div>

      {can('service.write') && (
        <div className="action-bar card" data-testid="transitions">
          <span className="muted">{t('service.moveTo')}</span>
          {o.allowedTransitions.length === 0 && <span className="muted">{t('service.noTransitions')}</span>}
          {o.allowedTransitions.map((to) => (
            <button
              key={to}
              className={to === 'resolved' || to === 'closed' ? 'btn btn-primary btn-sm' : 'btn btn-sm'}
              onClick={() => go(to)}
              disabled={transition.isPending}
              data-testid={`transition-${to}`}
            >
              {t(`service.action.${to}`)}
            </button>
          ))}
        </div>
      )}
      {refused && (
        <div className="alert alert-warn" role="alert" data-testid="transition-refused">
          <div>
            {refused.message}
            {refused.allowed && (
              <div className="small">
                {t('service.allowedNow')}: {refused.allowed.length ? refused.allowed.map((s) => t(`service.status.${s}`)).join('、') : '—'}
              </div>
            )}
          </div>
          <button className="btn btn-ghost btn-sm" onClick={() => setRefused(null)} aria-label={t('common.close')}>
            <Icon name="x" />
          </button>
        </div>
      )}

      <div className="detail-grid">
        <div>
          <ServiceOrderFields order={o} />
          <section className="card">
            <div className="card-head">
              <h2>{t('service.slaCard')}</h2>
              {o.slaPolicyId ? <SlaStateBadge state={o.slaState} /> : <span className="muted small">{t('service.noSlaPolicy')}</span>}
            </div>
            <dl className="desc">
              <Row label={t('service.firstResponseDue')}>
                <span className="mono">{formatDateTime(o.firstResponseDueAt) || '—'}</span> {o.firstResponseDueAt && <SlaStateBadge state={o.firstResponseSlaState} />}
              </Row>
              <Row label={t('service.firstRespondedAt')}>
                <span className="mono">{formatDateTime(o.firstRespondedAt) || '—'}</span>
              </Row>
              <Row label={t('service.resolutionDue')}>
                <span className="mono">{formatDateTime(o.resolutionDueAt) || '—'}</span> {o.resolutionDueAt && <SlaStateBadge state={o.resolutionSlaState} />}
              </Row>
              <Row label={t('service.resolvedAt')}>
                <span className="mono">{formatDateTime(o.resolvedAt) || '—'}</span>
              </Row>
              {(o.pausedMinutes > 0 || o.pausedSince) && (
                <Row label={t('service.paused')}>
                  {formatMinutes(o.pausedMinutes)}
                  {o.pausedSince && <span className="muted"> · {t('sla.paused')}</span>}
                </Row>
              )}
              {o.resolution && <Row label={t('service.resolution')}><span className="pre-wrap">{o.resolution}</span></Row>}
              {o.status === 'closed' && (
                <Row label={t('service.satisfaction')}>{o.satisfaction ? '★'.repeat(o.satisfaction) : '—'}</Row>
              )}
              {o.compensationMinor != null && o.compensationCurrency && (
                <Row label={t('service.compensation')}>{formatMoney(o.compensationMinor, o.compensationCurrency)}</Row>
              )}
            </dl>
          </section>
        </div>
        <div className="detail-side">
          {can('opportunity.write') && <NeedForm serviceOrder={o} />}
          <section className="card">
            <div className="tabs" role="tablist">
              <button role="tab" aria-selected={tab === 'history'} className={tab === 'history' ? 'tab active' : 'tab'} onClick={() => setTab('history')}>
                {t('service.history')}
              </button>
              <button role="tab" aria-selected={tab === 'callbacks'} className={tab === 'callbacks' ? 'tab active' : 'tab'} onClick={() => setTab('callbacks')}>
                {t('nav.callbacks')}
              </button>
            </div>
            {tab === 'history' ? <EventHistory serviceOrderId={o.id} /> : <CallbackList serviceOrderId={o.id} compact />}
          </section>
        </div>
      </div>

      {pending && (
        <TransitionDialog
          to={pending}
          busy={transition.isPending}
          onClose={() => setPending(null)}
          onSubmit={(extra) => transition.mutate({ to: pending, version: o.version, ...extra })}
        />
      )}
    </div>
  );
}

function TransitionDialog({ to, busy, onClose, onSubmit }: { to: ServiceStatus; busy: boolean; onClose: () => void; onSubmit: (extra: Omit<TransitionInput, 'to' | 'version'>) => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [resolution, setResolution] = useState('');
  const [fcr, setFcr] = useState(false);
  const [confirmed, setConfirmed] = useState(true);
  const [satisfaction, setSatisfaction] = useState(0);
  const submit = () =>
    onSubmit({
      note: note.trim() || undefined,
      ...(to === 'resolved' ? { resolution: resolution.trim(), firstContactResolved: fcr } : {}),
      ...(to === 'closed' ? { customerConfirmed: confirmed, satisfaction: satisfaction || undefined } : {}),
    });
  return (
    <Dialog
      title={t(`service.action.${to}`)}
      onClose={onClose}
      footer={
        <>
          <button className="btn" type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button className="btn btn-primary" onClick={submit} disabled={busy || (to === 'resolved' && !resolution.trim())} data-testid="transition-submit">
            {busy ? t('common.saving') : t('common.confirm')}
          </button>
        </>
      }
    >
      <div className="form-stack">
        {to === 'resolved' && (
          <>
            <label className="field">
              <span className="field-label required">{t('service.resolution')}</span>
              <textarea value={resolution} onChange={(e) => setResolution(e.target.value)} rows={4} maxLength={10_000} autoFocus data-testid="transition-resolution" />
            </label>
            <label className="check">
              <input type="checkbox" checked={fcr} onChange={(e) => setFcr(e.target.checked)} />
              {t('service.firstContactResolved')}
            </label>
          </>
        )}
        {to === 'closed' && (
          <>
            <label className="check">
              <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
              {t('service.customerConfirmed')}
            </label>
            <Stars value={satisfaction} onChange={setSatisfaction} label={t('service.satisfaction')} />
          </>
        )}
        <label className="field">
          <span className="field-label">{t('service.note')}</span>
          <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} maxLength={2000} />
        </label>
      </div>
    </Dialog>
  );
}

export function Stars({ value, onChange, label }: { value: number; onChange: (v: number) => void; label: string }) {
  return (
    <div className="field">
      <span className="field-label">{label}</span>
      <div className="stars" role="radiogroup" aria-label={label}>
        {[1, 2, 3, 4, 5].map((n) => (
          <button key={n} type="button" role="radio" aria-checked={value === n} className={n <= value ? 'star on' : 'star'} onClick={() => onChange(value === n ? 0 : n)}>
            ★
          </button>
        ))}
      </div>
    </div>
  );
}
