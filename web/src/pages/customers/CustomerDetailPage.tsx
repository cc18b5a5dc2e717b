import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { api, ApiError, errorMessage } from '../../api/client.ts';
import type { Customer } from '../../api/types.ts';
import { useCan } from '../../auth.tsx';
import { Icon } from '../../components/Icon.tsx';
import { formatDateTime } from '../../format.ts';
import { ContactForm, ContactList } from './ContactPanel.tsx';
import { ProfileCard } from './ProfileCard.tsx';
import { Timeline } from './Timeline.tsx';
import { CreateServiceOrderDialog } from '../service/CreateServiceOrderDialog.tsx';
import { CustomerServiceOrders } from '../service/CustomerServiceOrders.tsx';
import { PurchasesPanel } from '../orders/PurchasesPanel.tsx';
import { ValuePanel } from './ValuePanel.tsx';

type Revealed = Pick<Customer, 'id' | 'phones' | 'emails'> & Partial<Customer>;

export const customerKey = (id: string) => ['customer', id] as const;

export function CustomerDetailPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const can = useCan();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [tab, setTab] = useState<'timeline' | 'contacts' | 'service'>('timeline');
  const [creatingService, setCreatingService] = useState(false);

  const customer = useQuery({
    queryKey: customerKey(id),
    queryFn: () => api<Customer>(`/api/customers/${encodeURIComponent(id)}`),
  });

  const reveal = useMutation({
    mutationFn: () => api<Revealed>(`/api/customers/${encodeURIComponent(id)}/reveal`, { method: 'POST' }),
    onSuccess: async (full) => {
      // The server answers with the full customer or just its personal data; either way, show it unmasked.
      queryClient.setQueryData<Customer>(customerKey(id), (prev) => (prev ? { ...prev, ...full, masked: false } : prev));
      await queryClient.invalidateQueries({ queryKey: [...customerKey(id), 'timeline'] });
    },
  });

  if (customer.isPending) return <div className="page"><div className="empty">{t('common.loading')}</div></div>;
  if (customer.isError) {
    const notFound = customer.error instanceof ApiError && customer.error.status === 404;
    return (
      <div className="page">
        <Link to="/customers" className="back-link">
          <Icon name="arrow-left" /> {t('customer.backToList')}
        </Link>
        <div className={notFound ? 'empty' : 'alert alert-error'}>{errorMessage(customer.error)}</div>
      </div>
    );
  }
  const c = customer.data;

  return (
    <div className="page">
      <Link to="/customers" className="back-link">
        <Icon name="arrow-left" /> {t('customer.backToList')}
      </Link>
      <div className="detail-header">
        <div className={`avatar avatar-lg kind-${c.kind}`}>{c.name.slice(0, 1)}</div>
        <div className="detail-title">
          <h1 data-testid="customer-name">{c.name}</h1>
          <div className="detail-meta">
            <span className="badge">{t(`customer.kind.${c.kind}`)}</span>
            {c.regionName && <span>{c.regionName}</span>}
            {c.ownerName && (
              <span>
                {t('customer.owner')}: {c.ownerName}
              </span>
            )}
            <span className="muted">
              {t('customer.createdAt')} {formatDateTime(c.createdAt)}
            </span>
          </div>
        </div>
        <div className="detail-actions">
          {can('service.write') && (
            <button className="btn btn-primary" onClick={() => setCreatingService(true)} data-testid="service-create">
              <Icon name="plus" />
              {t('service.create')}
            </button>
          )}
          {c.masked && can('customer.reveal') && (
            <div className="reveal">
              <button className="btn" onClick={() => reveal.mutate()} disabled={reveal.isPending} data-testid="customer-reveal">
                <Icon name="eye" />
                {t('customer.reveal')}
              </button>
              <span className="hint">{t('customer.revealNote')}</span>
            </div>
          )}
          {!c.masked && can('customer.reveal') && !can('customer.pii') && <span className="badge badge-warn">{t('customer.revealed')}</span>}
        </div>
      </div>
      {reveal.isError && <div className="alert alert-error">{errorMessage(reveal.error)}</div>}

      <div className="detail-grid">
        <div>
          <ProfileCard customer={c} />
          {can('order.read') && <PurchasesPanel customerId={c.id} />}
          <ValuePanel customerId={c.id} />
        </div>
        <div className="detail-side">
          {can('contact.write') && <ContactForm customerId={c.id} />}
          <section className="card">
            <div className="tabs" role="tablist">
              <button role="tab" aria-selected={tab === 'timeline'} className={tab === 'timeline' ? 'tab active' : 'tab'} onClick={() => setTab('timeline')}>
                {t('timeline.title')}
              </button>
              <button role="tab" aria-selected={tab === 'contacts'} className={tab === 'contacts' ? 'tab active' : 'tab'} onClick={() => setTab('contacts')}>
                {t('contact.records')}
              </button>
              {can('service.read') && (
                <button role="tab" aria-selected={tab === 'service'} className={tab === 'service' ? 'tab active' : 'tab'} onClick={() => setTab('service')} data-testid="tab-service">
                  {t('service.orders')}
                </button>
              )}
            </div>
            {tab === 'timeline' && <Timeline customerId={c.id} />}
            {tab === 'contacts' && <ContactList customerId={c.id} />}
            {tab === 'service' && <CustomerServiceOrders customerId={c.id} />}
          </section>
        </div>
      </div>
      {creatingService && (
        <CreateServiceOrderDialog customerId={c.id} customerName={c.name} onClose={() => setCreatingService(false)} onCreated={(o) => navigate(`/service/${o.id}`)} />
      )}
    </div>
  );
}
