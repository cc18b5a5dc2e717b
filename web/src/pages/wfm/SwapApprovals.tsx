import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import { formatDateTime } from '../../format.ts';
import type { RosterShift, Swap } from './types.ts';

/** 换班审批: the roster's swap requests; a planner approves accepted ones (the server re-checks the roster rules). */
export function SwapApprovals({ rosterId, canPlan }: { rosterId: string; canPlan: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const swaps = useQuery({ queryKey: ['wfm', 'swaps', rosterId], queryFn: () => api<{ items: Swap[] }>('/api/wfm/swaps', { query: { rosterId } }) });
  const decide = useMutation({
    mutationFn: (v: { swap: Swap; decision: 'approve' | 'reject' }) => api<Swap>(`/api/wfm/swaps/${v.swap.id}/decision`, { method: 'POST', body: { version: v.swap.version, decision: v.decision } }),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['wfm'] }),
  });
  const span = (s: RosterShift) => `${formatDateTime(s.startsAt)} – ${formatDateTime(s.endsAt).slice(-5)}`;
  const items = swaps.data?.items ?? [];
  if (!items.length) return null;
  return (
    <div className="card" data-testid="wfm-swap-approvals">
      <h3>{t('wfm.swap.title')}</h3>
      {decide.isError && <div className="alert alert-error">{errorMessage(decide.error)}</div>}
      <table className="table">
        <thead><tr><th>{t('wfm.swap.from')}</th><th>{t('wfm.swap.to')}</th><th>{t('wfm.status')}</th><th /></tr></thead>
        <tbody>
          {items.map((s) => (
            <tr key={s.id}>
              <td>{s.fromAgentName} · {span(s.fromShift)}</td>
              <td>{s.toAgentName}{s.toShift ? ` · ${span(s.toShift)}` : ''}</td>
              <td>{t(`wfm.swapStatus.${s.status}`)}{s.violations.length > 0 && <span className="text-danger"> ({s.violations.map((v) => t(`wfm.rule.${v.rule}`, { defaultValue: v.rule })).join(', ')})</span>}</td>
              <td>
                {canPlan && s.status === 'accepted' && <button className="btn btn-sm btn-primary" onClick={() => decide.mutate({ swap: s, decision: 'approve' })}>{t('wfm.swap.approve')}</button>}
                {canPlan && (s.status === 'accepted' || s.status === 'pending') && <button className="btn btn-sm btn-ghost" onClick={() => decide.mutate({ swap: s, decision: 'reject' })}>{t('wfm.swap.reject')}</button>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
