// RFM classes (treemap + table + R×F grid) and the Pareto curve. Every chart element drills down to the customers.
import { useMemo, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import { useRegions } from '../../api/regions.ts';
import { useCan } from '../../auth.tsx';
import { Icon } from '../../components/Icon.tsx';
import { dayToIso, formatDateTime, formatMoney, formatNumber } from '../../format.ts';
import { currencyOf, drillHref, rfmClassOrder, rfmColors, type Pareto, type RfmClass, type RfmSummary, type Segment } from './api.ts';
import { ExcludedNote } from './ExcludedNote.tsx';
import { EChart } from './EChart.tsx';
import { pct } from './format.ts';
import { rfmClassLabel } from './class-name.ts';

export function RfmParetoView() {
  return (
    <div className="analytics-grid">
      <RfmPanel />
      <ParetoPanel />
    </div>
  );
}

function RfmPanel() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const rfm = useQuery({ queryKey: ['analytics', 'rfm'], queryFn: () => api<RfmSummary>('/api/analytics/rfm') });
  const cur = currencyOf(rfm.data);
  const recompute = useMutation({
    mutationFn: () => api('/api/analytics/rfm/recompute', { method: 'POST', body: {} }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['analytics'] }),
  });
  const classes = useMemo(() => {
    const byCode = new Map(rfm.data?.classes.map((c) => [c.rfmClass, { ...c, name: rfmClassLabel(c.rfmClass, c.name) }]));
    return rfmClassOrder.map((code) => byCode.get(code) ?? { rfmClass: code, name: t(`analytics.rfmClass.${code}`), customers: 0, revenueMinor: 0, avgRecencyDays: null, avgFrequency: null });
  }, [rfm.data, t]);
  const drill = (code: RfmClass) => navigate(drillHref({ rfmClass: code }));

  const treemap = useMemo(
    () => ({
      tooltip: {
        formatter: (p: { name: string; value: number; data: { revenue: number } }) =>
          `${p.name}<br/>${t('analytics.customers')}: ${formatNumber(p.value)}<br/>${t('analytics.revenue')}: ${formatMoney(p.data.revenue, cur)}`,
      },
      series: [
        {
          type: 'treemap',
          roam: false,
          nodeClick: false,
          breadcrumb: { show: false },
          left: 0,
          right: 0,
          top: 0,
          bottom: 0,
          label: { show: true, formatter: (p: { name: string; value: number }) => `${p.name}\n${formatNumber(p.value)}` },
          data: classes
            .filter((c) => c.customers > 0)
            .map((c) => ({ name: c.name, value: c.customers, revenue: c.revenueMinor, code: c.rfmClass, itemStyle: { color: rfmColors[c.rfmClass] } })),
        },
      ],
    }),
    [classes, cur, t],
  );

  const heatmap = useMemo(() => {
    const grid = rfm.data?.grid ?? [];
    const max = Math.max(1, ...grid.map((g) => g.customers));
    return {
      tooltip: {
        formatter: (p: { data: [number, number, number, number] }) =>
          `R=${p.data[0] + 1} F=${p.data[1] + 1}<br/>${t('analytics.customers')}: ${formatNumber(p.data[2])}<br/>${t('analytics.revenue')}: ${formatMoney(p.data[3], cur)}`,
      },
      grid: { left: 48, right: 16, top: 10, bottom: 56 },
      xAxis: { type: 'category', name: t('analytics.rScore'), nameLocation: 'middle', nameGap: 26, data: ['1', '2', '3', '4', '5'] },
      yAxis: { type: 'category', name: t('analytics.fScore'), nameLocation: 'middle', nameGap: 30, data: ['1', '2', '3', '4', '5'] },
      visualMap: { min: 0, max, dimension: 2, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, inRange: { color: ['#eff6ff', '#1d4ed8'] } },
      series: [{ type: 'heatmap', data: grid.map((g) => [g.rScore - 1, g.fScore - 1, g.customers, g.revenueMinor]), label: { show: true, formatter: (p: { data: number[] }) => formatNumber(p.data[2]) } }],
    };
  }, [rfm.data, cur, t]);

  return (
    <section className="card analytics-card" data-testid="rfm-panel">
      <div className="card-head">
        <h2>{t('analytics.rfmTitle')}</h2>
        <div className="card-head-actions">
          {rfm.data && (
            <span className="muted small">
              {t('analytics.scored', { count: rfm.data.scoredCustomers })}
              {rfm.data.computedAt && ` · ${t('analytics.computedAt')} ${formatDateTime(rfm.data.computedAt)}`}
              {rfm.data.windowDays && ` · ${t('analytics.windowDays', { days: rfm.data.windowDays })}`}
            </span>
          )}
          {can('analytics.manage') && (
            <button className="btn btn-sm" onClick={() => recompute.mutate()} disabled={recompute.isPending} data-testid="rfm-recompute">
              <Icon name="refresh" />
              {recompute.isPending ? t('analytics.recomputing') : t('analytics.recompute')}
            </button>
          )}
        </div>
      </div>
      <ExcludedNote data={rfm.data} />
      {rfm.isError && <div className="alert alert-error">{errorMessage(rfm.error)}</div>}
      {recompute.isError && <div className="alert alert-error">{errorMessage(recompute.error)}</div>}
      {rfm.isPending && <div className="empty">{t('common.loading')}</div>}
      {rfm.data && rfm.data.scoredCustomers === 0 && <div className="empty">{t('analytics.noRfm')}</div>}
      {rfm.data && rfm.data.scoredCustomers > 0 && (
        <>
          <EChart option={treemap} height={300} testId="rfm-treemap" onClick={(e) => drill((e.data as { code: RfmClass }).code)} />
          <table className="table table-click rfm-table">
            <thead>
              <tr>
                <th style={{ width: '32%' }}>{t('analytics.rfmClassLabel')}</th>
                <th className="num">{t('analytics.customers')}</th>
                <th className="num" style={{ width: '24%' }}>{t('analytics.revenue')}</th>
                <th className="num">{t('analytics.avgRecency')}</th>
                <th className="num">{t('analytics.avgFrequency')}</th>
              </tr>
            </thead>
            <tbody>
              {classes.map((c) => (
                <tr key={c.rfmClass} onClick={() => drill(c.rfmClass)} data-testid={`rfm-class-${c.rfmClass}`} tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && drill(c.rfmClass)}>
                  <td>
                    <span className="swatch" style={{ background: rfmColors[c.rfmClass] }} />
                    {c.name}
                  </td>
                  <td className="num">{formatNumber(c.customers)}</td>
                  <td className="num">{formatMoney(c.revenueMinor, cur)}</td>
                  <td className="num">{c.avgRecencyDays === null ? '—' : t('analytics.days', { count: Math.round(c.avgRecencyDays) })}</td>
                  <td className="num">{c.avgFrequency === null ? '—' : c.avgFrequency.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3 className="subhead">{t('analytics.rfGrid')}</h3>
          <EChart
            option={heatmap}
            height={280}
            testId="rfm-grid"
            onClick={(e) => {
              const d = e.data as number[];
              navigate(drillHref({ rScore: String(d[0] + 1), fScore: String(d[1] + 1) }));
            }}
          />
        </>
      )}
    </section>
  );
}

function ParetoPanel() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const regions = useRegions();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [region, setRegion] = useState('');
  const [category, setCategory] = useState('');
  const [segmentId, setSegmentId] = useState('');
  const [margin, setMargin] = useState(false);
  const segments = useQuery({ queryKey: ['analytics', 'segments'], queryFn: () => api<{ items: Segment[] }>('/api/analytics/segments') });
  const query = { from: dayToIso(from), to: dayToIso(to, true), region, category: category.trim(), segmentId, margin: margin || undefined };
  const pareto = useQuery({
    queryKey: ['analytics', 'pareto', query],
    queryFn: () => api<Pareto>('/api/analytics/pareto', { query }),
    placeholderData: (prev) => prev,
  });
  const d = pareto.data;
  const cur = currencyOf(d);

  const option = useMemo(() => {
    const curve = d?.curve ?? [];
    const series: object[] = [
      {
        name: t('analytics.revenueShare'),
        type: 'line',
        showSymbol: false,
        data: curve.map((p) => [p.customerShare * 100, p.revenueShare * 100]),
        areaStyle: { opacity: 0.12 },
        markLine: {
          symbol: 'none',
          lineStyle: { type: 'dashed', color: '#dc2626' },
          label: { formatter: t('analytics.top20') },
          data: [{ xAxis: 20 }],
        },
        markPoint: d?.topShare != null ? { symbol: 'pin', symbolSize: 46, data: [{ coord: [20, d.topShare * 100], value: pct(d.topShare) }] } : undefined,
      },
      { name: t('analytics.equality'), type: 'line', showSymbol: false, lineStyle: { type: 'dotted', color: '#9ca3af' }, data: [[0, 0], [100, 100]] },
    ];
    if (curve.some((p) => p.marginShare !== null)) {
      series.push({ name: t('analytics.marginShare'), type: 'line', showSymbol: false, data: curve.map((p) => [p.customerShare * 100, (p.marginShare ?? 0) * 100]) });
    }
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(1)}%` },
      legend: { top: 0 },
      grid: { left: 56, right: 20, top: 36, bottom: 44 },
      xAxis: { type: 'value', min: 0, max: 100, name: t('analytics.customerShare'), nameLocation: 'middle', nameGap: 28, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'value', min: 0, max: 100, name: t('analytics.cumulativeShare'), nameLocation: 'middle', nameGap: 40, axisLabel: { formatter: '{value}%' } },
      series,
    };
  }, [d, t]);

  return (
    <section className="card analytics-card" data-testid="pareto-panel">
      <div className="card-head">
        <h2>{t('analytics.paretoTitle')}</h2>
        {d && d.topShare !== null && (
          <span className="callout" data-testid="pareto-top-share">
            {t('analytics.topShareCallout', { share: pct(d.topShare) })}
            {d.topMarginShare !== null && ` · ${t('analytics.topMarginCallout', { share: pct(d.topMarginShare) })}`}
          </span>
        )}
      </div>
      <div className="toolbar analytics-filters">
        <div className="date-range" title={t('analytics.period')}>
          <span className="muted">{t('analytics.period')}</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-label={t('analytics.from')} />
          <span className="muted">–</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-label={t('analytics.to')} />
        </div>
        <select value={region} onChange={(e) => setRegion(e.target.value)} aria-label={t('analytics.region')}>
          <option value="">{t('analytics.allRegions')}</option>
          {regions.data?.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))}
        </select>
        <input placeholder={t('analytics.category')} value={category} onChange={(e) => setCategory(e.target.value)} aria-label={t('analytics.category')} />
        <select value={segmentId} onChange={(e) => setSegmentId(e.target.value)} aria-label={t('analytics.segment')}>
          <option value="">{t('analytics.allSegments')}</option>
          {segments.data?.items.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <label className="check">
          <input type="checkbox" checked={margin} onChange={(e) => setMargin(e.target.checked)} />
          {t('analytics.withMargin')}
        </label>
      </div>
      {pareto.isError && <div className="alert alert-error">{errorMessage(pareto.error)}</div>}
      <ExcludedNote data={d} />
      {d && (
        <div className="stats analytics-stats">
          <div className="stat">
            <div className="stat-value">{formatNumber(d.customers)}</div>
            <div className="stat-label">{t('analytics.buyingCustomers')}</div>
          </div>
          <div className="stat">
            <div className="stat-value">{formatMoney(d.revenueMinor, cur)}</div>
            <div className="stat-label">{t('analytics.revenue')}</div>
          </div>
          {d.marginMinor !== null && (
            <div className="stat">
              <div className="stat-value">{formatMoney(d.marginMinor, cur)}</div>
              <div className="stat-label">{t('analytics.margin')}</div>
            </div>
          )}
        </div>
      )}
      {d && d.customers === 0 ? (
        <div className="empty">{t('analytics.noOrders')}</div>
      ) : (
        <EChart option={option} height={360} testId="pareto-chart" onClick={() => navigate(drillHref({ keyAccount: 'true' }))} />
      )}
      <p className="muted small">{t('analytics.paretoHint')}</p>
    </section>
  );
}
