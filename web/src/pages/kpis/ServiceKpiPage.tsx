// 服务指标看板: the service desk's KPIs for a period (SLA attainment, first-contact resolution, time to resolve,
// reopen rate, backlog by age, callback satisfaction, complaint rate), in total and by team, person or type —
// charts and a table, all computed by the server in SQL; and the service marketing KPIs (needs found per staff
// member, conversion, commissions) for those who may read them.
import { useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import { kpiGroupByList, type KpiGroupBy, type KpiRow, type OpportunityKpis, type ServiceKpisOutput } from '../../api/types.ts';
import { useCan } from '../../auth.tsx';
import { EChart, type ChartOption } from '../../components/EChart.tsx';
import { formatMoney, formatNumber } from '../../format.ts';

const isDay = (s: string | null): s is string => Boolean(s && /^\d{4}-\d{2}-\d{2}$/.test(s));

export function pct(r: number | null | undefined): string {
  return r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`;
}
export function duration(min: number | null, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (min === null) return '—';
  if (min < 60) return t('kpi.min', { n: Math.round(min) });
  if (min < 1440) return t('kpi.hr', { n: (min / 60).toFixed(1) });
  return t('kpi.day', { n: (min / 1440).toFixed(1) });
}

export function ServiceKpiPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  // Dates the user picked; without them the server takes the 30 days ending today in the organization's
  // time zone (the browser's "today" can be another day) and says which days it took.
  const picked = { from: isDay(params.get('from')) ? params.get('from')! : undefined, to: isDay(params.get('to')) ? params.get('to')! : undefined };
  const groupBy = (kpiGroupByList as readonly string[]).includes(params.get('groupBy') ?? '') ? (params.get('groupBy') as KpiGroupBy) : 'team';
  const set = (k: string, v: string) =>
    setParams(
      (prev) => {
        const n = new URLSearchParams(prev);
        if (v) n.set(k, v);
        else n.delete(k);
        return n;
      },
      { replace: true },
    );
  const kpis = useQuery({ queryKey: ['service-kpis', picked.from, picked.to, groupBy], queryFn: () => api<ServiceKpisOutput>('/api/service-kpis', { query: { ...picked, groupBy } }) });
  const from = picked.from ?? kpis.data?.from ?? '';
  const to = picked.to ?? kpis.data?.to ?? '';

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.serviceKpis')}</h1>
          <p className="page-sub muted">{t('kpi.hint')}</p>
        </div>
      </div>
      <div className="toolbar">
        <label className="input-group">
          <span className="muted">{t('kpi.from')}</span>
          <input type="date" value={from} onChange={(e) => set('from', e.target.value)} data-testid="kpi-from" />
        </label>
        <label className="input-group">
          <span className="muted">{t('kpi.to')}</span>
          <input type="date" value={to} onChange={(e) => set('to', e.target.value)} data-testid="kpi-to" />
        </label>
        <div className="segmented" role="radiogroup" aria-label={t('kpi.groupBy')}>
          {kpiGroupByList.map((g) => (
            <button key={g} type="button" role="radio" aria-checked={groupBy === g} className={groupBy === g ? 'active' : undefined} onClick={() => set('groupBy', g)} data-testid={`kpi-group-${g}`}>
              {t(`kpi.groupBys.${g}`)}
            </button>
          ))}
        </div>
      </div>
      {kpis.isError && <div className="alert alert-error">{errorMessage(kpis.error)}</div>}
      {kpis.isPending && <div className="empty">{t('common.loading')}</div>}
      {kpis.data && <ServiceKpiBody data={kpis.data} />}
      {can('commission.read_all') && from && to && <OpportunityKpiSection from={from.slice(0, 7)} to={to.slice(0, 7)} />}
    </div>
  );
}

/** The groups, or the total alone when not grouped. */
function chartRows(data: ServiceKpisOutput, totalLabel: string): KpiRow[] {
  return data.groups.length ? data.groups : [{ ...data.total, label: totalLabel }];
}

function ServiceKpiBody({ data }: { data: ServiceKpisOutput }) {
  const { t } = useTranslation();
  const tot = data.total;
  const labelOf = (r: KpiRow) => r.label ?? t('kpi.total');
  const rateOption = useMemo<ChartOption>(() => {
    const rows = chartRows(data, t('kpi.total'));
    const names = rows.map((r) => r.label ?? '');
    const series = (
      [
        ['firstResponse', (r: KpiRow) => r.firstResponse.rate],
        ['resolution', (r: KpiRow) => r.resolution.rate],
        ['fcr', (r: KpiRow) => r.firstContactResolution.rate],
        ['reopen', (r: KpiRow) => r.reopen.rate],
        ['satisfaction', (r: KpiRow) => r.callbacks.satisfactionRate],
      ] as const
    ).map(([k, f]) => ({ name: t(`kpi.series.${k}`), type: 'bar' as const, data: rows.map((r) => (f(r) === null ? null : Math.round(f(r)! * 1000) / 10)) }));
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '—' : `${String(v)}%`) },
      legend: { top: 0, itemWidth: 14, itemHeight: 10 },
      grid: { left: 44, right: 16, top: 64, bottom: 28 },
      xAxis: { type: 'category', data: names },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series,
    };
  }, [data, t]);
  const backlogOption = useMemo<ChartOption>(() => {
    const rows = chartRows(data, t('kpi.total'));
    const names = rows.map((r) => r.label ?? '');
    const series = (['under1Day', 'days1To3', 'days3To7', 'days7Plus'] as const).map((k) => ({
      name: t(`kpi.age.${k}`),
      type: 'bar' as const,
      stack: 'age',
      data: rows.map((r) => r.backlog[k]),
    }));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: names },
      yAxis: { type: 'value', minInterval: 1 },
      series,
    };
  }, [data, t]);

  const stat = (value: string, label: string, testId?: string) => (
    <div className="stat" data-testid={testId}>
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
    </div>
  );
  return (
    <>
      <div className="stats">
        <div className="stat-group">
          {stat(formatNumber(tot.created), t('kpi.created'), 'kpi-created')}
          {stat(pct(tot.firstResponse.rate), t('kpi.series.firstResponse'), 'kpi-sla-first')}
          {stat(pct(tot.resolution.rate), t('kpi.series.resolution'), 'kpi-sla-resolution')}
          {stat(pct(tot.firstContactResolution.rate), t('kpi.series.fcr'))}
          {stat(duration(tot.timeToResolve.avgMinutes, t), t('kpi.avgTtr'))}
          {stat(pct(tot.reopen.rate), t('kpi.series.reopen'))}
        </div>
        <div className="stat-group">
          {stat(formatNumber(tot.backlog.open), t('kpi.backlog'), 'kpi-backlog')}
          {stat(pct(tot.callbacks.satisfactionRate), t('kpi.series.satisfaction'))}
          {stat(tot.callbacks.avgRating === null ? '—' : tot.callbacks.avgRating.toFixed(2), t('kpi.avgRating'))}
          {stat(data.complaintRate.ratePer10k.toFixed(2), t('kpi.complaintRate'), 'kpi-complaints')}
        </div>
      </div>
      <div className="detail-grid">
        <section className="card">
          <div className="card-head">
            <h2>{t('kpi.ratesChart')}</h2>
          </div>
          <EChart option={rateOption} height={300} testId="kpi-rates-chart" />
        </section>
        <section className="card">
          <div className="card-head">
            <h2>{t('kpi.backlogChart')}</h2>
          </div>
          <EChart option={backlogOption} height={300} testId="kpi-backlog-chart" />
        </section>
      </div>
      <section className="card card-flush table-scroll">
        <table className="table" data-testid="kpi-table">
          <thead>
            <tr>
              <th>{t(`kpi.groupBys.${data.groupBy}`)}</th>
              <th className="num">{t('kpi.created')}</th>
              <th className="num">{t('kpi.series.firstResponse')}</th>
              <th className="num">{t('kpi.series.resolution')}</th>
              <th className="num">{t('kpi.series.fcr')}</th>
              <th className="num">{t('kpi.avgTtr')}</th>
              <th className="num">{t('kpi.medianTtr')}</th>
              <th className="num">{t('kpi.series.reopen')}</th>
              <th className="num">{t('kpi.backlog')}</th>
              <th className="num">{t('kpi.over7')}</th>
              <th className="num">{t('kpi.series.satisfaction')}</th>
            </tr>
          </thead>
          <tbody>
            {[...data.groups, { ...tot, label: t('kpi.total') }].map((r, i) => (
              <tr key={`${r.key ?? 'null'}-${i}`} className={i === data.groups.length ? 'strong' : undefined} data-testid="kpi-row">
                <td>{labelOf(r)}</td>
                <td className="num">{formatNumber(r.created)}</td>
                <td className="num" title={`${r.firstResponse.met}/${r.firstResponse.due}`}>{pct(r.firstResponse.rate)}</td>
                <td className="num" title={`${r.resolution.met}/${r.resolution.due}`}>{pct(r.resolution.rate)}</td>
                <td className="num">{pct(r.firstContactResolution.rate)}</td>
                <td className="num">{duration(r.timeToResolve.avgMinutes, t)}</td>
                <td className="num">{duration(r.timeToResolve.medianMinutes, t)}</td>
                <td className="num">{pct(r.reopen.rate)}</td>
                <td className="num">{formatNumber(r.backlog.open)}</td>
                <td className="num">{formatNumber(r.backlog.days7Plus)}</td>
                <td className="num">{pct(r.callbacks.satisfactionRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function OpportunityKpiSection({ from, to }: { from: string; to: string }) {
  const { t } = useTranslation();
  const q = useQuery({ queryKey: ['opportunity-kpis', from, to], queryFn: () => api<OpportunityKpis>('/api/opportunities/kpis', { query: { from, to } }) });
  const option = useMemo<ChartOption | null>(() => {
    if (!q.data?.staff.length) return null;
    const names = q.data.staff.map((s) => s.staffName ?? s.staffId.slice(-6));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: names },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('kpi.opp.needs'), type: 'bar', data: q.data.staff.map((s) => s.needsFound) },
        { name: t('kpi.opp.won'), type: 'bar', data: q.data.staff.map((s) => s.won) },
        { name: t('kpi.opp.lost'), type: 'bar', data: q.data.staff.map((s) => s.lost) },
      ],
    };
  }, [q.data, t]);
  return (
    <>
      <div className="page-header">
        <div>
          <h2 className="page-title">{t('kpi.opp.title')}</h2>
          <p className="page-sub muted">{t('kpi.opp.hint', { from, to })}</p>
        </div>
      </div>
      {q.isError && <div className="alert alert-error">{errorMessage(q.error)}</div>}
      {q.data && !q.data.staff.length && <div className="empty">{t('kpi.opp.empty')}</div>}
      {q.data && q.data.staff.length > 0 && (
        <div className="detail-grid">
          <section className="card">{option && <EChart option={option} testId="kpi-opp-chart" />}</section>
          <section className="card card-flush table-scroll">
            <table className="table" data-testid="kpi-opp-table">
              <thead>
                <tr>
                  <th>{t('kpi.opp.staff')}</th>
                  <th className="num">{t('kpi.opp.needs')}</th>
                  <th className="num">{t('kpi.opp.won')}</th>
                  <th className="num">{t('kpi.opp.winRate')}</th>
                  <th className="num">{t('kpi.opp.conversion')}</th>
                  <th className="num">{t('kpi.opp.commission')}</th>
                </tr>
              </thead>
              <tbody>
                {q.data.staff.map((s) => (
                  <tr key={s.staffId}>
                    <td>{s.staffName ?? s.staffId.slice(-6)}</td>
                    <td className="num">{s.needsFound}</td>
                    <td className="num">{s.won}</td>
                    <td className="num">{pct(s.winRate)}</td>
                    <td className="num">{pct(s.conversionRate)}</td>
                    <td className="num">{s.commissions.map((c) => formatMoney(c.netMinor, c.currency)).join(' / ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      )}
    </>
  );
}
