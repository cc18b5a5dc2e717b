import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import { pct, type WhatIfResult } from './types.ts';

interface QueueRow { id: string; arrivalsPerHour: number; ahtSeconds: number; patienceSeconds: number | null; targetSeconds: number }
interface GroupRow { count: number; skills: string }

/** 模拟推演: queues and agent groups with skills → simulated service level, ASA, abandonment with 95% CIs. */
export function WhatIfForm() {
  const { t } = useTranslation();
  const [queues, setQueues] = useState<QueueRow[]>([
    { id: 'front', arrivalsPerHour: 200, ahtSeconds: 180, patienceSeconds: null, targetSeconds: 20 },
    { id: 'complaints', arrivalsPerHour: 30, ahtSeconds: 420, patienceSeconds: 180, targetSeconds: 30 },
  ]);
  const [groups, setGroups] = useState<GroupRow[]>([{ count: 14, skills: 'front' }, { count: 4, skills: 'complaints, front' }]);
  const [hours, setHours] = useState(8);
  const [replications, setReplications] = useState(10);
  const run = useMutation({
    mutationFn: () => api<WhatIfResult>('/api/wfm/what-if', {
      method: 'POST',
      body: {
        durationMinutes: hours * 60, replications, seed: 1,
        queues: queues.map((q) => ({ ...q, patienceSeconds: q.patienceSeconds || null })),
        agents: groups.map((g) => ({ count: g.count, skills: g.skills.split(/[,，\s]+/).filter(Boolean) })),
      },
    }),
  });
  const setQ = (i: number, patch: Partial<QueueRow>) => setQueues(queues.map((q, k) => (k === i ? { ...q, ...patch } : q)));
  const setG = (i: number, patch: Partial<GroupRow>) => setGroups(groups.map((g, k) => (k === i ? { ...g, ...patch } : g)));
  const ci = (c: [number, number] | null, f: (x: number) => string) => (c ? `[${f(c[0])}, ${f(c[1])}]` : '—');
  return (
    <div className="card">
      <p className="muted small">{t('wfm.whatIf.hint')}</p>
      <table className="table">
        <thead><tr><th>{t('wfm.whatIf.queue')}</th><th>{t('wfm.whatIf.arrivals')}</th><th>{t('wfm.whatIf.aht')}</th><th>{t('wfm.whatIf.patience')}</th><th>{t('wfm.whatIf.target')}</th></tr></thead>
        <tbody>
          {queues.map((q, i) => (
            <tr key={i}>
              <td><input value={q.id} onChange={(e) => setQ(i, { id: e.target.value })} /></td>
              <td><input type="number" min="0" value={q.arrivalsPerHour} onChange={(e) => setQ(i, { arrivalsPerHour: Number(e.target.value) })} /></td>
              <td><input type="number" min="1" value={q.ahtSeconds} onChange={(e) => setQ(i, { ahtSeconds: Number(e.target.value) })} /></td>
              <td><input type="number" min="0" value={q.patienceSeconds ?? ''} placeholder="∞" onChange={(e) => setQ(i, { patienceSeconds: e.target.value ? Number(e.target.value) : null })} /></td>
              <td><input type="number" min="0" value={q.targetSeconds} onChange={(e) => setQ(i, { targetSeconds: Number(e.target.value) })} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <button className="btn btn-sm" onClick={() => setQueues([...queues, { id: `q${queues.length + 1}`, arrivalsPerHour: 20, ahtSeconds: 240, patienceSeconds: null, targetSeconds: 20 }])}>{t('wfm.whatIf.addQueue')}</button>
      <table className="table">
        <thead><tr><th>{t('wfm.whatIf.agents')}</th><th>{t('wfm.whatIf.skills')}</th></tr></thead>
        <tbody>
          {groups.map((g, i) => (
            <tr key={i}>
              <td><input type="number" min="0" value={g.count} onChange={(e) => setG(i, { count: Number(e.target.value) })} data-testid={`wfm-whatif-count-${i}`} /></td>
              <td><input value={g.skills} onChange={(e) => setG(i, { skills: e.target.value })} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="toolbar">
        <button className="btn btn-sm" onClick={() => setGroups([...groups, { count: 1, skills: queues[0]?.id ?? '' }])}>{t('wfm.whatIf.addGroup')}</button>
        <label className="field"><span className="field-label">{t('wfm.whatIf.hours')}</span><input type="number" min="1" max="24" value={hours} onChange={(e) => setHours(Number(e.target.value))} /></label>
        <label className="field"><span className="field-label">{t('wfm.whatIf.replications')}</span><input type="number" min="1" max="100" value={replications} onChange={(e) => setReplications(Number(e.target.value))} /></label>
        <button className="btn btn-primary" disabled={run.isPending} onClick={() => run.mutate()} data-testid="wfm-whatif-run">{run.isPending ? t('wfm.working') : t('wfm.whatIf.run')}</button>
      </div>
      {run.isError && <div className="alert alert-error">{errorMessage(run.error)}</div>}
      {run.data && (
        <table className="table" data-testid="wfm-whatif-results">
          <thead><tr><th>{t('wfm.whatIf.queue')}</th><th className="num">{t('wfm.whatIf.offered')}</th><th>{t('wfm.whatIf.serviceLevel')}</th><th>{t('wfm.whatIf.asa')}</th><th>{t('wfm.whatIf.abandon')}</th><th className="num">{t('wfm.whatIf.occupancy')}</th></tr></thead>
          <tbody>
            {run.data.queues.map((q) => (
              <tr key={q.id}>
                <td>{q.id}</td><td className="num">{q.offered.toFixed(0)}</td>
                <td>{pct(q.serviceLevel)} <span className="muted small">{ci(q.serviceLevelCi95, (x) => pct(x))}</span></td>
                <td>{q.asa.toFixed(1)} s <span className="muted small">{ci(q.asaCi95, (x) => x.toFixed(1))}</span></td>
                <td>{pct(q.pAbandon)} <span className="muted small">{ci(q.pAbandonCi95, (x) => pct(x))}</span></td>
                <td className="num">{pct(q.occupancy)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
