import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import { useServiceTypeLabel } from '../../api/lookups.ts';
import type { Page, ServiceOrder } from '../../api/types.ts';
import { PriorityBadge, SlaDue, StatusBadge } from '../../components/Badges.tsx';
import { formatDateTime } from '../../format.ts';

/** The customer file's service orders, newest first. */
export function CustomerServiceOrders({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const typeLabel = useServiceTypeLabel();
  const list = useQuery({
    queryKey: ['service-orders', { customerId }],
    queryFn: () => api<Page<ServiceOrder>>('/api/service-orders', { query: { customerId, limit: 50 } }),
  });
  if (list.isPending) return <div className="empty">{t('common.loading')}</div>;
  if (list.isError) return <div className="alert alert-error">{errorMessage(list.error)}</div>;
  if (!list.data.items.length) return <div className="empty">{t('service.noneForCustomer')}</div>;
  return (
    <table className="table table-click">
      <thead>
        <tr>
          <th style={{ width: 120 }}>{t('service.number')}</th>
          <th>{t('service.title')}</th>
          <th style={{ width: 70 }}>{t('service.type.label')}</th>
          <th style={{ width: 64 }}>{t('service.priority.label')}</th>
          <th style={{ width: 96 }}>{t('service.status.label')}</th>
          <th style={{ width: 120 }}>{t('service.slaDue')}</th>
          <th style={{ width: 128 }}>{t('service.createdAt')}</th>
        </tr>
      </thead>
      <tbody>
        {list.data.items.map((o) => (
          <tr key={o.id} onClick={() => navigate(`/service/${o.id}`)} data-testid="customer-service-row">
            <td className="mono">{o.number}</td>
            <td className="cell-clip" title={o.title}>{o.title}</td>
            <td>{typeLabel(o.type)}</td>
            <td><PriorityBadge priority={o.priority} /></td>
            <td><StatusBadge status={o.status} /></td>
            <td><SlaDue order={o} /></td>
            <td className="mono muted">{formatDateTime(o.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
