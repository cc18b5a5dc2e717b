import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import type { ServiceOrderEvent } from '../../api/types.ts';
import { useCan } from '../../auth.tsx';
import { formatDateTime } from '../../format.ts';
import { UserCell } from './names.tsx';

const str = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

function eventClass(kind: string): string {
  if (kind === 'created') return 'tl-create';
  if (kind === 'sla_breached' || kind === 'escalated') return 'tl-breach';
  if (kind === 'sla_at_risk') return 'tl-reveal';
  if (kind === 'transition' || kind === 'reopened') return 'tl-contact';
  return 'tl-update';
}

/** The service order's own history (service_order_events), oldest first: how it got where it is. */
export function EventHistory({ serviceOrderId }: { serviceOrderId: string }) {
  const { t } = useTranslation();
  const events = useQuery({
    queryKey: ['service-order', serviceOrderId, 'events'],
    queryFn: async () => {
      const r = await api<ServiceOrderEvent[] | { items: ServiceOrderEvent[] }>(`/api/service-orders/${encodeURIComponent(serviceOrderId)}/events`);
      return Array.isArray(r) ? r : r.items;
    },
  });
  const can = useCan();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const comment = useMutation({
    mutationFn: () => api(`/api/service-orders/${encodeURIComponent(serviceOrderId)}/comments`, { method: 'POST', body: { text: text.trim() } }),
    onSuccess: async () => {
      setText('');
      await queryClient.invalidateQueries({ queryKey: ['service-order', serviceOrderId, 'events'] });
    },
  });
  const commentBox = can('service.write') && (
    <form
      className="comment-box"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) comment.mutate();
      }}
    >
      <input value={text} onChange={(e) => setText(e.target.value)} placeholder={t('service.commentPlaceholder')} maxLength={10_000} aria-label={t('service.event.comment')} />
      <button className="btn btn-sm" type="submit" disabled={comment.isPending || !text.trim()}>
        {t('service.addComment')}
      </button>
      {comment.isError && <span className="field-error">{errorMessage(comment.error)}</span>}
    </form>
  );
  if (events.isPending) return <div className="empty">{t('common.loading')}</div>;
  if (events.isError) return <div className="alert alert-error">{errorMessage(events.error)}</div>;
  if (!events.data.length) return <>{commentBox}<div className="empty">{t('timeline.empty')}</div></>;

  const detail = (e: ServiceOrderEvent): string => {
    const d = e.data;
    switch (e.kind) {
      case 'transition':
      case 'reopened':
        return `${t(`service.status.${str(d.from)}`, { defaultValue: str(d.from) })} → ${t(`service.status.${str(d.to)}`, { defaultValue: str(d.to) })}`;
      case 'updated': {
        const fields = d.changes && typeof d.changes === 'object' ? Object.keys(d.changes) : [];
        return fields.map((f) => t(`service.field.${f}`, { defaultValue: f })).join('、');
      }
      case 'sla_at_risk':
      case 'sla_breached':
        return t(`service.slaTarget.${str(d.target)}`, { defaultValue: str(d.target) });
      case 'callback_outcome':
        return t(`callback.outcome.${str(d.outcome)}`, { defaultValue: str(d.outcome) });
      case 'callback_scheduled':
        return d.dueAt ? formatDateTime(str(d.dueAt)) : '';
      case 'escalated':
        return d.action ? t(`service.escalation.${str(d.action)}`, { defaultValue: str(d.action) }) : '';
      default:
        return '';
    }
  };

  return (
    <div className="timeline">
      {commentBox}
      <ol>
        {events.data.map((e) => {
          const note = str(e.data.note) || str(e.data.resolution) || str(e.data.text);
          const info = detail(e);
          return (
            <li key={e.id} className={`tl-item ${eventClass(e.kind)}`} data-testid="service-event">
              <span className="tl-dot" />
              <div className="tl-body">
                <div className="tl-head">
                  <span className="tl-kind">{t(`service.event.${e.kind}`, { defaultValue: e.kind })}</span>
                  {info && <span className="muted">{info}</span>}
                  <span className="tl-spacer" />
                  <span className="muted">{e.actorId ? <UserCell id={e.actorId} name={e.actorName} /> : t('timeline.system')}</span>
                  <time className="mono muted" dateTime={e.at}>
                    {formatDateTime(e.at)}
                  </time>
                </div>
                {note && <div className="tl-summary pre-wrap">{note}</div>}
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
