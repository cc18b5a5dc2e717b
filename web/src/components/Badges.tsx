import { useTranslation } from 'react-i18next';
import type { Priority, ServiceOrder, ServiceStatus, SlaState } from '../api/types.ts';
import { formatDateTime, formatMinutes } from '../format.ts';
import { useNow } from './useNow.ts';

export function StatusBadge({ status }: { status: ServiceStatus }) {
  const { t } = useTranslation();
  return <span className={`pill st-${status}`} data-testid="status-badge">{t(`service.status.${status}`)}</span>;
}

export function PriorityBadge({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  return <span className={`prio prio-${priority}`}>{t(`service.priority.${priority}`)}</span>;
}

/** The next SLA deadline as a countdown, or how long ago it passed; coloured by the order's SLA state. */
export function SlaDue({ order }: { order: Pick<ServiceOrder, 'nextDueAt' | 'slaState' | 'status' | 'pausedSince' | 'resolvedAt'> }) {
  const { t } = useTranslation();
  const now = useNow();
  if (order.status === 'resolved' || order.status === 'closed') {
    return <span className="muted">{order.resolvedAt ? formatDateTime(order.resolvedAt) : '—'}</span>;
  }
  if (!order.nextDueAt) return <span className="muted">—</span>;
  const mins = (new Date(order.nextDueAt).getTime() - now) / 60_000;
  const state: SlaState = mins < 0 ? 'breached' : order.slaState;
  const label = order.pausedSince
    ? t('sla.paused')
    : mins < 0
      ? t('sla.overdue', { time: formatMinutes(-mins) })
      : t('sla.left', { time: formatMinutes(mins) });
  return (
    <span className={`sla sla-${order.pausedSince ? 'paused' : state}`} title={`${t(`sla.state.${state}`)} · ${formatDateTime(order.nextDueAt)}`} data-testid="sla-due">
      {label}
    </span>
  );
}

export function SlaStateBadge({ state }: { state: SlaState }) {
  const { t } = useTranslation();
  return <span className={`sla sla-${state}`}>{t(`sla.state.${state}`)}</span>;
}
