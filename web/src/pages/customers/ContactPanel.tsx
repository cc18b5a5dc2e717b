import { useState, type FormEvent } from 'react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import { channels, type Channel, type Contact, type CreateContactInput, type Page } from '../../api/types.ts';
import { fieldError } from '../../components/fieldErrors.ts';
import { formatDateTime } from '../../format.ts';

const contactsKey = (id: string) => ['customer', id, 'contacts'] as const;

/** "Add contact record": channel, direction, summary. The new record shows on the timeline right away. */
export function ContactForm({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [channel, setChannel] = useState<Channel>('phone');
  const [direction, setDirection] = useState<'inbound' | 'outbound'>('outbound');
  const [summary, setSummary] = useState('');

  const add = useMutation({
    mutationFn: () => {
      const body: CreateContactInput = { channel, direction, summary };
      return api<Contact>(`/api/customers/${encodeURIComponent(customerId)}/contacts`, { method: 'POST', body });
    },
    onSuccess: async () => {
      setSummary('');
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: contactsKey(customerId) }),
        queryClient.invalidateQueries({ queryKey: ['customer', customerId, 'timeline'] }),
      ]);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (summary.trim()) add.mutate();
  };

  return (
    <section className="card">
      <div className="card-head">
        <h2>{t('contact.add')}</h2>
      </div>
      <form className="contact-form" onSubmit={submit}>
        <div className="contact-form-row">
          <select data-testid="contact-channel" value={channel} onChange={(e) => setChannel(e.target.value as Channel)} aria-label={t('contact.channel')}>
            {channels.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
          <div className="segmented" role="radiogroup" aria-label={t('contact.direction')}>
            {(['outbound', 'inbound'] as const).map((d) => (
              <button key={d} type="button" role="radio" aria-checked={direction === d} className={direction === d ? 'active' : ''} onClick={() => setDirection(d)}>
                {t(`direction.${d}`)}
              </button>
            ))}
          </div>
        </div>
        <textarea
          data-testid="contact-summary"
          value={summary}
          onChange={(e) => setSummary(e.target.value)}
          placeholder={t('contact.summaryPlaceholder')}
          rows={3}
          maxLength={2000}
          aria-label={t('contact.summary')}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) submit(e);
          }}
        />
        {fieldError(add.error, 'summary') && <span className="field-error">{fieldError(add.error, 'summary')}</span>}
        {add.isError && !fieldError(add.error, 'summary') && <div className="alert alert-error">{errorMessage(add.error)}</div>}
        <div className="contact-form-foot">
          <span className="hint">{t('contact.submitHint')}</span>
          <button data-testid="contact-submit" className="btn btn-primary" type="submit" disabled={add.isPending || !summary.trim()}>
            {add.isPending ? t('common.saving') : t('contact.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

export function ContactList({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const list = useInfiniteQuery({
    queryKey: contactsKey(customerId),
    queryFn: async ({ pageParam }) => {
      const r = await api<Page<Contact> | Contact[]>(`/api/customers/${encodeURIComponent(customerId)}/contacts`, { query: { cursor: pageParam, limit: 20 } });
      return Array.isArray(r) ? { items: r, nextCursor: null } : r;
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  if (list.isPending) return <div className="empty">{t('common.loading')}</div>;
  if (list.isError) return <div className="alert alert-error">{errorMessage(list.error)}</div>;
  if (!items.length) return <div className="empty">{t('contact.empty')}</div>;
  return (
    <div>
      <table className="table">
        <thead>
          <tr>
            <th style={{ width: 130 }}>{t('contact.time')}</th>
            <th style={{ width: 110 }}>{t('contact.channel')}</th>
            <th>{t('contact.summary')}</th>
            <th style={{ width: 90 }}>{t('contact.staff')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id} data-testid="contact-row">
              <td className="mono muted">{formatDateTime(c.occurredAt)}</td>
              <td>
                <span className={`chan chan-${c.channel}`}>{t(`channel.${c.channel}`)}</span>
                <span className="muted"> · {t(`direction.${c.direction}`)}</span>
              </td>
              <td className="pre-wrap">{c.summary}</td>
              <td>{c.staffName ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.hasNextPage && (
        <div className="load-more">
          <button className="btn btn-sm" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {list.isFetchingNextPage ? t('common.loading') : t('common.loadMore')}
          </button>
        </div>
      )}
    </div>
  );
}
