import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import { EChart, type EChartOption } from './EChart.tsx';
import { RosterGantt } from './RosterGantt.tsx';
import { SwapApprovals } from './SwapApprovals.tsx';
import { useMe } from '../../auth.tsx';
import { WhatIfForm } from './WhatIfForm.tsx';
import { AdherencePanel } from './AdherencePanel.tsx';
import { PreferencesForm } from './PreferencesForm.tsx';
import { hhmm, inProgress, pct, type Forecast, type Requirement, type RequirementSummary, type Roster, type Series, type ShiftPlan, type ShiftTemplate } from './types.ts';

type Tab = 'forecast' | 'requirement' | 'plan' | 'roster' | 'whatif';
const tabs: Tab[] = ['forecast', 'requirement', 'plan', 'roster', 'whatif'];

/** 排班计划: forecast → staffing requirement → shift plan → roster, and what-if simulation. */
export function WfmPlannerPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [tab, setTab] = useState<Tab>('forecast');
  const [seriesKey, setSeriesKey] = useState('');
  const [forecastId, setForecastId] = useState<string | null>(null);
  const [requirement, setRequirement] = useState<Requirement | null>(null);
  const [planId, setPlanId] = useState<string | null>(null);
  const [rosterId, setRosterId] = useState<string | null>(null);
  const [prefAgent, setPrefAgent] = useState('');
  const [target, setTarget] = useState({ serviceLevel: 0.8, targetSeconds: 20, shrinkage: 0.3, maxOccupancy: 0.85 });

  const series = useQuery({ queryKey: ['wfm', 'series'], queryFn: () => api<{ items: Series[] }>('/api/wfm/series') });
  const templates = useQuery({ queryKey: ['wfm', 'templates'], queryFn: () => api<{ items: ShiftTemplate[] }>('/api/wfm/shift-templates') });
  useEffect(() => {
    const first = series.data?.items.find((s) => s.days >= 21) ?? series.data?.items[0];
    if (!seriesKey && first) setSeriesKey(`${first.source}:${first.series}`);
  }, [series.data, seriesKey]);

  const makeForecast = useMutation({
    mutationFn: () => {
      const [source, ...rest] = seriesKey.split(':');
      return api<Forecast>('/api/wfm/forecasts', { method: 'POST', body: { series: rest.join(':'), source, intervalMinutes: 30, horizonDays: 7, holdoutDays: 7 } });
    },
    onSuccess: (f) => { setForecastId(f.id); setRequirement(null); setPlanId(null); setRosterId(null); setTab('forecast'); },
  });
  // A forecast is a background run: poll it until it is done or failed.
  const forecastRun = useQuery({
    queryKey: ['wfm', 'forecast', forecastId], enabled: !!forecastId, queryFn: () => api<Forecast>(`/api/wfm/forecasts/${forecastId}`),
    refetchInterval: (q) => (inProgress(q.state.data?.status) ? 1000 : false),
  });
  const forecast = forecastRun.data?.status === 'done' ? forecastRun.data : null;
  const makeRequirement = useMutation({
    mutationFn: () => api<Requirement>('/api/wfm/requirements', { method: 'POST', body: { forecastId: forecast!.id, target } }),
    onSuccess: (r) => { setRequirement(r); setPlanId(null); setRosterId(null); setTab('requirement'); },
  });
  const makePlan = useMutation({
    mutationFn: () => api<ShiftPlan>('/api/wfm/shift-plans', { method: 'POST', body: { requirementId: requirement!.id, timeLimitSeconds: 30 } }),
    onSuccess: (p) => { setPlanId(p.id); setRosterId(null); setTab('plan'); },
  });
  const plan = useQuery({
    queryKey: ['wfm', 'plan', planId], enabled: !!planId, queryFn: () => api<ShiftPlan>(`/api/wfm/shift-plans/${planId}`),
    refetchInterval: (q) => (inProgress(q.state.data?.status) ? 1000 : false),
  });
  // Other queues' requirements for the plan's days and interval (the latest per queue): the roster covers each
  // queue's skill per interval, the plan's own queue always included.
  const requirements = useQuery({ queryKey: ['wfm', 'requirements', requirement?.id], queryFn: () => api<{ items: RequirementSummary[] }>('/api/wfm/requirements') });
  const [extraReqs, setExtraReqs] = useState<string[]>([]);
  const otherQueues = useMemo(() => {
    const items = requirements.data?.items ?? [];
    const own = items.find((x) => x.id === plan.data?.requirementId);
    if (!own) return [];
    const seen = new Set([own.series]);
    return items.filter((x) => x.intervalMinutes === own.intervalMinutes && x.dates.join() === own.dates.join() && !seen.has(x.series) && seen.add(x.series));
  }, [requirements.data, plan.data?.requirementId]);
  const makeRoster = useMutation({
    mutationFn: () => api<Roster>('/api/wfm/rosters', { method: 'POST', body: { shiftPlanId: planId, timeLimitSeconds: 45, requirementIds: extraReqs.filter((id) => otherQueues.some((x) => x.id === id)) } }),
    onSuccess: (r) => { setRosterId(r.id); setTab('roster'); },
  });
  const roster = useQuery({
    queryKey: ['wfm', 'roster', rosterId], enabled: !!rosterId, queryFn: () => api<Roster>(`/api/wfm/rosters/${rosterId}`),
    refetchInterval: (q) => (inProgress(q.state.data?.status) ? 1000 : false),
  });
  const recent = useQuery({ queryKey: ['wfm', 'rosters'], queryFn: () => api<{ items: { id: string; startDate: string; status: string; createdAt: string }[] }>('/api/wfm/rosters') });
  const upload = useMutation({
    mutationFn: async (file: File) => api<{ series: string; days: number }>('/api/wfm/history', { method: 'POST', body: { series: file.name.replace(/\.[^.]+$/, '').slice(0, 60) || 'upload', format: 'bank-calls', content: await file.text() } }),
    onSuccess: (r) => { setSeriesKey(`history:${r.series}`); void series.refetch(); },
  });
  const error = [upload, makeForecast, makeRequirement, makePlan, makeRoster].find((m) => m.isError)?.error;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.wfm')}</h1>
          <p className="page-sub muted">{t('wfm.hint')}</p>
        </div>
      </div>
      <div className="toolbar">
        <label className="field">
          <span className="field-label">{t('wfm.series')}</span>
          <select value={seriesKey} onChange={(e) => setSeriesKey(e.target.value)} data-testid="wfm-series">
            {(series.data?.items ?? []).map((s) => (
              <option key={`${s.source}:${s.series}`} value={`${s.source}:${s.series}`}>
                {s.series} · {t(`wfm.source.${s.source}`)} · {t('wfm.daysOfHistory', { days: s.days })}
              </option>
            ))}
          </select>
        </label>
        <label className="btn" title={t('wfm.uploadHint')}>
          {upload.isPending ? t('wfm.working') : t('wfm.upload')}
          <input type="file" accept=".csv,text/csv" hidden data-testid="wfm-upload" onChange={(e) => { const file = e.target.files?.[0]; if (file) upload.mutate(file); e.target.value = ''; }} />
        </label>
        <button className="btn btn-primary" disabled={!seriesKey || makeForecast.isPending || inProgress(forecastRun.data?.status)} onClick={() => makeForecast.mutate()} data-testid="wfm-forecast">
          {makeForecast.isPending || inProgress(forecastRun.data?.status) ? t('wfm.working') : t('wfm.makeForecast')}
        </button>
        <button className="btn" disabled={!forecast || makeRequirement.isPending} onClick={() => makeRequirement.mutate()} data-testid="wfm-requirement">{t('wfm.makeRequirement')}</button>
        <button className="btn" disabled={!requirement || makePlan.isPending} onClick={() => makePlan.mutate()} data-testid="wfm-plan">{t('wfm.makePlan')}</button>
        <button className="btn" disabled={!plan.data || inProgress(plan.data.status) || plan.data.status === 'failed' || makeRoster.isPending} onClick={() => makeRoster.mutate()} data-testid="wfm-roster">{t('wfm.makeRoster')}</button>
      </div>
      {plan.data && otherQueues.length > 0 && (
        <div className="toolbar small" data-testid="wfm-other-queues">
          <span className="muted">{t('wfm.otherQueues')}</span>
          {otherQueues.map((x) => (
            <label key={x.id} className="check">
              <input type="checkbox" checked={extraReqs.includes(x.id)} onChange={(e) => setExtraReqs((v) => (e.target.checked ? [...v, x.id] : v.filter((id) => id !== x.id)))} data-testid={`wfm-other-queue-${x.series}`} />
              {' '}{x.series}
            </label>
          ))}
        </div>
      )}
      {error && <div className="alert alert-error">{errorMessage(error)}</div>}
      <div className="view-tabs" role="tablist">
        {tabs.map((k) => (
          <button key={k} role="tab" className={`view-tab${tab === k ? ' active' : ''}`} aria-selected={tab === k} onClick={() => setTab(k)} data-testid={`wfm-tab-${k}`}>{t(`wfm.tab.${k}`)}</button>
        ))}
      </div>
      {tab === 'forecast' && (forecastRun.data ? <ForecastRun f={forecastRun.data} /> : <div className="empty">{t('wfm.noForecast')}</div>)}
      {tab === 'requirement' && (
        <>
          <div className="toolbar">
            <label className="field"><span className="field-label">{t('wfm.target.serviceLevel')}</span>
              <input type="number" step="0.05" min="0.05" max="0.99" value={target.serviceLevel} onChange={(e) => setTarget({ ...target, serviceLevel: Number(e.target.value) })} /></label>
            <label className="field"><span className="field-label">{t('wfm.target.targetSeconds')}</span>
              <input type="number" min="0" value={target.targetSeconds} onChange={(e) => setTarget({ ...target, targetSeconds: Number(e.target.value) })} /></label>
            <label className="field"><span className="field-label">{t('wfm.target.maxOccupancy')}</span>
              <input type="number" step="0.05" min="0.1" max="1" value={target.maxOccupancy} onChange={(e) => setTarget({ ...target, maxOccupancy: Number(e.target.value) })} /></label>
            <label className="field"><span className="field-label">{t('wfm.target.shrinkage')}</span>
              <input type="number" step="0.05" min="0" max="0.9" value={target.shrinkage} onChange={(e) => setTarget({ ...target, shrinkage: Number(e.target.value) })} /></label>
          </div>
          {requirement ? <RequirementHeatmap r={requirement} /> : <div className="empty">{t('wfm.noRequirement')}</div>}
        </>
      )}
      {tab === 'plan' && (plan.data ? <PlanView p={plan.data} templates={templates.data?.items ?? []} /> : <div className="empty">{t('wfm.noPlan')}</div>)}
      {tab === 'roster' && (recent.data?.items.length ?? 0) > 0 && (
        <div className="toolbar">
          <label className="field"><span className="field-label">{t('wfm.openRoster')}</span>
            <select value={rosterId ?? ''} onChange={(e) => setRosterId(e.target.value || null)} data-testid="wfm-open-roster">
              <option value="" />
              {recent.data!.items.map((x) => <option key={x.id} value={x.id}>{x.startDate} · {t(`wfm.solveStatus.${x.status}`)} · {x.createdAt.slice(0, 16).replace('T', ' ')}</option>)}
            </select></label>
        </div>
      )}
      {tab === 'roster' && (roster.data ? <RosterGantt r={roster.data} /> : <div className="empty">{t('wfm.noRoster')}</div>)}
      {tab === 'roster' && rosterId && <SwapApprovals rosterId={rosterId} canPlan={me.permissions.includes('wfm.plan')} />}
      {tab === 'roster' && roster.data && !inProgress(roster.data.status) && roster.data.status !== 'failed' && <AdherencePanel rosterId={roster.data.id} />}
      {tab === 'roster' && roster.data && roster.data.agents.length > 0 && (
        <div className="toolbar">
          <label className="field"><span className="field-label">{t('wfm.prefs.agent')}</span>
            <select value={prefAgent} onChange={(e) => setPrefAgent(e.target.value)} data-testid="wfm-pref-agent">
              <option value="" />
              {roster.data.agents.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
            </select></label>
        </div>
      )}
      {tab === 'roster' && prefAgent && <PreferencesForm key={prefAgent} agentId={prefAgent} />}
      {tab === 'whatif' && <WhatIfForm />}
    </div>
  );
}

function ForecastRun({ f }: { f: Forecast }) {
  const { t } = useTranslation();
  if (f.status === 'failed') return <div className="alert alert-error" data-testid="wfm-forecast-failed">{t('wfm.runFailed', { error: f.error ?? '' })}</div>;
  if (f.status !== 'done') {
    return (
      <div className="card" data-testid="wfm-forecast-running">
        <div className="muted">{t(`wfm.forecastStatus.${f.status}`)} · {t('wfm.forecastRunning', { pct: pct(f.progress, 0) })}</div>
        <progress max={1} value={f.progress} style={{ width: '100%' }} />
      </div>
    );
  }
  return <ForecastView f={f} />;
}

function ForecastView({ f }: { f: Forecast }) {
  const { t } = useTranslation();
  const option = useMemo<EChartOption>(() => {
    const labels: string[] = [];
    const actual: (number | null)[] = [];
    const mean: (number | null)[] = [];
    const lower: (number | null)[] = [];
    const band: (number | null)[] = [];
    const slots = f.mean[0]?.length ?? 0;
    const open = Array.from({ length: slots }, (_, j) => f.mean.some((r) => r[j] > 0) || (f.holdout?.actual.some((r) => r[j] > 0) ?? false));
    const push = (date: string, a: number[] | null, m: number[], lo: number[] | null, hi: number[] | null) => {
      m.forEach((v, j) => {
        if (!open[j]) return;
        labels.push(`${date.slice(5)} ${hhmm(j * f.intervalMinutes)}`);
        actual.push(a ? a[j] : null);
        mean.push(Math.round(v * 10) / 10);
        lower.push(lo ? lo[j] : null);
        band.push(lo && hi ? hi[j] - lo[j] : null);
      });
    };
    f.holdout?.dates.forEach((d, i) => push(d, f.holdout!.actual[i], f.holdout!.forecast[i], null, null));
    f.dates.forEach((d, i) => push(d, null, f.mean[i], f.lower[i], f.upper[i]));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('wfm.chart.actual'), t('wfm.chart.forecast'), t('wfm.chart.interval', { pct: Math.round(f.coverage * 100) })] },
      grid: { left: 48, right: 16, top: 40, bottom: 40 },
      xAxis: { type: 'category', data: labels, axisLabel: { interval: Math.max(0, Math.floor(labels.length / 14)) } },
      yAxis: { type: 'value', name: t('wfm.chart.calls') },
      series: [
        { name: 'lower', type: 'line', data: lower, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, tooltip: { show: false } },
        { name: t('wfm.chart.interval', { pct: Math.round(f.coverage * 100) }), type: 'line', data: band, stack: 'band', symbol: 'none', lineStyle: { opacity: 0 }, areaStyle: { color: 'rgba(59,130,246,0.18)' }, itemStyle: { color: 'rgba(59,130,246,0.4)' } },
        { name: t('wfm.chart.actual'), type: 'line', data: actual, symbol: 'none', lineStyle: { color: '#111827', width: 1.5 }, itemStyle: { color: '#111827' } },
        { name: t('wfm.chart.forecast'), type: 'line', data: mean, symbol: 'none', lineStyle: { color: '#2563eb', width: 1.5 }, itemStyle: { color: '#2563eb' } },
      ],
    };
  }, [f, t]);
  return (
    <div className="card">
      <div className="stats" data-testid="wfm-forecast-stats">
        <div className="stat"><div className="stat-label">{t('wfm.method')}</div><div className="stat-value">{f.method}</div></div>
        <div className="stat"><div className="stat-label">{t('wfm.mape')}</div><div className="stat-value">{pct(f.accuracy?.mape)}</div></div>
        <div className="stat"><div className="stat-label">{t('wfm.baselineMape')}</div><div className="stat-value">{pct(f.baseline?.mape)}</div></div>
        <div className="stat"><div className="stat-label">{t('wfm.horizon')}</div><div className="stat-value">{f.dates[0]} – {f.dates[f.dates.length - 1]}</div></div>
      </div>
      <EChart option={option} height={360} testId="wfm-forecast-chart" />
    </div>
  );
}

function RequirementHeatmap({ r }: { r: Requirement }) {
  const { t } = useTranslation();
  const option = useMemo<EChartOption>(() => {
    const slots = r.scheduled[0]?.length ?? 0;
    const open = Array.from({ length: slots }, (_, j) => r.scheduled.some((row) => row[j] > 0));
    const first = open.indexOf(true);
    const last = open.lastIndexOf(true);
    const xs = Array.from({ length: Math.max(0, last - first + 1) }, (_, k) => hhmm((first + k) * r.intervalMinutes));
    const data: [number, number, number][] = [];
    r.scheduled.forEach((row, d) => row.forEach((v, j) => { if (j >= first && j <= last) data.push([j - first, d, v]); }));
    const max = Math.max(1, ...data.map((x) => x[2]));
    return {
      tooltip: { position: 'top' },
      grid: { left: 90, right: 16, top: 16, bottom: 80 },
      xAxis: { type: 'category', data: xs, splitArea: { show: true } },
      yAxis: { type: 'category', data: r.dates, splitArea: { show: true } },
      visualMap: { min: 0, max, calculable: true, orient: 'horizontal', left: 'center', bottom: 8 },
      series: [{ name: t('wfm.scheduledAgents'), type: 'heatmap', data, label: { show: true, fontSize: 10 } }],
    };
  }, [r, t]);
  return (
    <div className="card">
      <p className="muted small">{t('wfm.heatmapHint')}</p>
      <EChart option={option} height={340} testId="wfm-heatmap" />
    </div>
  );
}

function PlanView({ p, templates }: { p: ShiftPlan; templates: ShiftTemplate[] }) {
  const { t } = useTranslation();
  const option = useMemo<EChartOption>(() => {
    const labels = p.requirements.map((_, i) => `${Math.floor(i / (1440 / p.intervalMinutes)) + 1} ${hhmm((i % (1440 / p.intervalMinutes)) * p.intervalMinutes)}`);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, data: [t('wfm.chart.required'), t('wfm.chart.coverage')] },
      grid: { left: 40, right: 16, top: 36, bottom: 40 },
      xAxis: { type: 'category', data: labels, axisLabel: { interval: 1440 / p.intervalMinutes - 1 } },
      yAxis: { type: 'value' },
      series: [
        { name: t('wfm.chart.required'), type: 'bar', data: p.requirements, itemStyle: { color: '#f59e0b' } },
        { name: t('wfm.chart.coverage'), type: 'line', step: 'middle', data: p.coverage, symbol: 'none', lineStyle: { color: '#2563eb' } },
      ],
    };
  }, [p, t]);
  const kindOf = new Map(templates.map((x) => [x.name, x.kind]));
  if (inProgress(p.status)) return <div className="card" data-testid="wfm-plan-running">{t(`wfm.solveStatus.${p.status}`)} · {t('wfm.solving')}</div>;
  if (p.status === 'failed') return <div className="alert alert-error" data-testid="wfm-plan-failed">{t('wfm.runFailed', { error: p.error ?? '' })}</div>;
  return (
    <div className="card">
      <div className="stats" data-testid="wfm-plan-stats">
        <div className="stat"><div className="stat-label">{t('wfm.status')}</div><div className="stat-value">{t(`wfm.solveStatus.${p.status}`)}</div></div>
        <div className="stat"><div className="stat-label">{t('wfm.shiftsUsed')}</div><div className="stat-value">{p.shiftsUsed}</div></div>
        <div className="stat"><div className="stat-label">{t('wfm.cost')}</div><div className="stat-value">{p.cost?.toFixed(1)}</div></div>
        <div className="stat"><div className="stat-label">{t('wfm.lowerBound')}</div><div className="stat-value">{p.lowerBound?.toFixed(1)}</div></div>
        <div className="stat"><div className="stat-label">{t('wfm.gap')}</div><div className="stat-value">{pct(p.gap, 2)}</div></div>
      </div>
      <EChart option={option} height={300} testId="wfm-plan-chart" />
      <table className="table">
        <thead><tr><th>{t('wfm.day')}</th><th>{t('wfm.start')}</th><th>{t('wfm.template')}</th><th>{t('wfm.kind')}</th><th className="num">{t('wfm.count')}</th></tr></thead>
        <tbody>
          {[...p.assignments].sort((a, b) => a.start - b.start).map((a) => (
            <tr key={`${a.start}-${a.template}`}>
              <td>{a.day + 1}</td><td>{hhmm(a.startMinute)}–{hhmm(a.startMinute + a.lengthMinutes)}</td><td>{a.template}</td>
              <td>{t(`wfm.shiftKind.${kindOf.get(a.template) ?? a.kind}`)}</td><td className="num">{a.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
