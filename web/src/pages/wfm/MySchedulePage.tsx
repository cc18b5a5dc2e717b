import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import { formatDateTime } from '../../format.ts';
import { PreferencesForm } from './PreferencesForm.tsx';
import type { MySchedule, RosterShift, Swap } from './types.ts';

/** 我的排班: the agent's own shifts, swap requests to and from colleagues. */
export function MySchedulePage() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const schedule = useQuery({ queryKey: ['wfm', 'my-schedule'], queryFn: () => api<MySchedule>('/api/wfm/my-schedule') });
  const [offer, setOffer] = useState<RosterShift | null>(null);
  const [colleague, setColleague] = useState('');
  const [theirShift, setTheirShift] = useState('');
  const theirs = useQuery({
    queryKey: ['wfm', 'colleague-shifts', offer?.id, colleague], enabled: !!offer && !!colleague,
    queryFn: () => api<{ items: RosterShift[] }>(`/api/wfm/rosters/${offer!.rosterId}/agents/${colleague}/shifts`),
  });
  const request = useMutation({
    mutationFn: () => api<Swap>('/api/wfm/swaps', { method: 'POST', body: { fromShiftId: offer!.id, toAgentId: colleague, toShiftId: theirShift || null } }),
    onSuccess: () => { setOffer(null); setColleague(''); setTheirShift(''); void qc.invalidateQueries({ queryKey: ['wfm'] }); },
  });
  const decide = useMutation({
    mutationFn: (v: { swap: Swap; decision: 'accept' | 'decline' | 'cancel' }) => api<Swap>(`/api/wfm/swaps/${v.swap.id}/decision`, { method: 'POST', body: { version: v.swap.version, decision: v.decision } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['wfm'] }),
  });
  const d = schedule.data;
  const span = (s: RosterShift) => `${formatDateTime(s.startsAt)} – ${formatDateTime(s.endsAt).slice(-5)}`;
  return (
    <div className="page">
      <div className="page-header"><div><h1 className="page-title">{t('nav.mySchedule')}</h1><p className="page-sub muted">{d?.agentName}</p></div></div>
      {schedule.isError && <div className="alert alert-error">{errorMessage(schedule.error)}</div>}
      {[request, decide].find((m) => m.isError) && <div className="alert alert-error">{errorMessage([request, decide].find((m) => m.isError)!.error)}</div>}
      <div className="card">
        <table className="table" data-testid="wfm-my-shifts">
          <thead><tr><th>{t('wfm.shift')}</th><th>{t('wfm.time')}</th><th /></tr></thead>
          <tbody>
            {(d?.shifts ?? []).map((s) => (
              <tr key={s.id}>
                <td>{s.shiftId}</td><td>{span(s)}</td>
                <td><button className="btn btn-sm" onClick={() => setOffer(s)}>{t('wfm.swap.request')}</button></td>
              </tr>
            ))}
            {d && d.shifts.length === 0 && <tr><td colSpan={3} className="empty">{t('wfm.noShifts')}</td></tr>}
          </tbody>
        </table>
      </div>
      {offer && (
        <div className="card">
          <h3>{t('wfm.swap.offer', { shift: span(offer) })}</h3>
          <div className="toolbar">
            <label className="field"><span className="field-label">{t('wfm.swap.colleague')}</span>
              <select value={colleague} onChange={(e) => { setColleague(e.target.value); setTheirShift(''); }}>
                <option value="" />
                {(d?.colleagues ?? []).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </select></label>
            <label className="field"><span className="field-label">{t('wfm.swap.theirShift')}</span>
              <select value={theirShift} onChange={(e) => setTheirShift(e.target.value)}>
                <option value="">{t('wfm.swap.giveAway')}</option>
                {(theirs.data?.items ?? []).map((s) => <option key={s.id} value={s.id}>{s.shiftId} · {span(s)}</option>)}
              </select></label>
            <button className="btn btn-primary" disabled={!colleague || request.isPending} onClick={() => request.mutate()}>{t('wfm.swap.send')}</button>
            <button className="btn btn-ghost" onClick={() => setOffer(null)}>{t('common.cancel')}</button>
          </div>
        </div>
      )}
      <div className="card">
        <h3>{t('wfm.swap.title')}</h3>
        <table className="table">
          <thead><tr><th>{t('wfm.swap.from')}</th><th>{t('wfm.swap.to')}</th><th>{t('wfm.status')}</th><th /></tr></thead>
          <tbody>
            {(d?.swaps ?? []).map((s) => (
              <tr key={s.id}>
                <td>{s.fromAgentName} · {span(s.fromShift)}</td>
                <td>{s.toAgentName}{s.toShift ? ` · ${span(s.toShift)}` : ''}</td>
                <td>{t(`wfm.swapStatus.${s.status}`)}{s.violations.length > 0 && <span className="text-danger"> ({s.violations.map((v) => t(`wfm.rule.${v.rule}`, { defaultValue: v.rule })).join(', ')})</span>}</td>
                <td>
                  {s.status === 'pending' && s.toAgentId === d?.agentId && (
                    <>
                      <button className="btn btn-sm" onClick={() => decide.mutate({ swap: s, decision: 'accept' })}>{t('wfm.swap.accept')}</button>
                      <button className="btn btn-sm btn-ghost" onClick={() => decide.mutate({ swap: s, decision: 'decline' })}>{t('wfm.swap.decline')}</button>
                    </>
                  )}
                  {(s.status === 'pending' || s.status === 'accepted') && s.fromAgentId === d?.agentId && (
                    <button className="btn btn-sm btn-ghost" onClick={() => decide.mutate({ swap: s, decision: 'cancel' })}>{t('wfm.swap.cancel')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {d?.agentId && <PreferencesForm agentId={d.agentId} />}
    </div>
  );
}
