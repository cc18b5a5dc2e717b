// Lifetime value: the CLV distribution (histogram) and P(alive) against value (scatter).
// A histogram bar drills down to the customers in that CLV bucket; a scatter point opens the customer.
import { useMemo } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import { useCan } from '../../auth.tsx';
import { Icon } from '../../components/Icon.tsx';
import { formatMoney, formatNumber } from '../../format.ts';
import { currencyOf, drillHref, rfmClassOrder, rfmColors, type ClvHistogram, type Scatter } from './api.ts';
import { ExcludedNote } from './ExcludedNote.tsx';
import { EChart } from './EChart.tsx';

const compact = (minor: number, currency: string) => formatMoney(Math.round(minor / 100) * 100, currency).replace(/\.00$/, '');

export function ClvView() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const can = useCan();
  const queryClient = useQueryClient();
  const hist = useQuery({ queryKey: ['analytics', 'clv', 'histogram'], queryFn: () => api<ClvHistogram>('/api/analytics/clv/histogram', { query: { bins: 20 } }) });
  const scatter = useQuery({ queryKey: ['analytics', 'clv', 'scatter'], queryFn: () => api<Scatter>('/api/analytics/clv/scatter', { query: { limit: 1000 } }) });
  const refit = useMutation({
    mutationFn: () => api('/api/analytics/clv/refit', { method: 'POST', body: {} }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['analytics'] }),
  });

  const bins = hist.data?.bins ?? [];
  const cur = currencyOf(hist.data);
  const histOption = useMemo(
    () => ({
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (ps: { dataIndex: number }[]) => {
          const b = bins[ps[0]?.dataIndex ?? 0];
          if (!b) return '';
          return `${formatMoney(b.fromMinor, cur)} – ${formatMoney(b.toMinor, cur)}<br/>${t('analytics.customers')}: ${formatNumber(b.customers)}<br/>CLV: ${formatMoney(b.clvMinor, cur)}`;
        },
      },
      grid: { left: 56, right: 16, top: 16, bottom: 60 },
      xAxis: { type: 'category', data: bins.map((b) => compact(b.fromMinor, cur)), axisLabel: { rotate: 40 }, name: 'CLV', nameLocation: 'middle', nameGap: 46 },
      yAxis: { type: 'value', name: t('analytics.customers'), nameLocation: 'middle', nameGap: 40 },
      series: [{ type: 'bar', data: bins.map((b) => b.customers), itemStyle: { color: '#2563eb' }, barCategoryGap: '8%' }],
    }),
    [bins, cur, t],
  );

  const points = scatter.data?.points ?? [];
  const scatterOption = useMemo(() => {
    const byClass = rfmClassOrder.map((code) => ({
      name: t(`analytics.rfmClass.${code}`),
      type: 'scatter',
      symbolSize: 6,
      itemStyle: { color: rfmColors[code], opacity: 0.75 },
      data: points.filter((p) => p.rfmClass === code).map((p) => ({ value: [Math.max(1, (p.clvMinor ?? 0) / 100), p.pAlive], id: p.customerId })),
    }));
    const none = points.filter((p) => p.rfmClass === null);
    if (none.length) byClass.push({ name: t('analytics.unscored'), type: 'scatter', symbolSize: 5, itemStyle: { color: '#9ca3af', opacity: 0.6 }, data: none.map((p) => ({ value: [Math.max(1, (p.clvMinor ?? 0) / 100), p.pAlive], id: p.customerId })) });
    return {
      tooltip: { trigger: 'item', formatter: (p: { seriesName: string; value: [number, number] }) => `${p.seriesName}<br/>CLV: ${formatMoney(p.value[0] * 100, cur)}<br/>P(alive): ${(p.value[1] * 100).toFixed(1)}%` },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 64, right: 20, top: 40, bottom: 44 },
      xAxis: { type: 'log', name: `CLV (${cur})`, nameLocation: 'middle', nameGap: 28, min: 1 },
      yAxis: { type: 'value', min: 0, max: 1, name: 'P(alive)', nameLocation: 'middle', nameGap: 40 },
      series: byClass,
    };
  }, [points, cur, t]);

  return (
    <div className="analytics-grid">
      <section className="card analytics-card" data-testid="clv-histogram">
        <div className="card-head">
          <h2>{t('analytics.clvTitle')}</h2>
          <div className="card-head-actions">
            {hist.data && (
              <span className="muted small">
                {t('analytics.clvTotal', { count: hist.data.customers, total: formatMoney(hist.data.totalClvMinor, cur) })}
              </span>
            )}
            {can('analytics.manage') && (
              <button className="btn btn-sm" onClick={() => refit.mutate()} disabled={refit.isPending}>
                <Icon name="refresh" />
                {refit.isPending ? t('analytics.refitting') : t('analytics.refit')}
              </button>
            )}
          </div>
        </div>
        <ExcludedNote data={hist.data} />
        {hist.isError && <div className="alert alert-error">{errorMessage(hist.error)}</div>}
        {refit.isError && <div className="alert alert-error">{errorMessage(refit.error)}</div>}
        {hist.data && hist.data.customers === 0 ? (
          <div className="empty">{t('analytics.noClv')}</div>
        ) : (
          <EChart
            option={histOption}
            height={340}
            onClick={(e) => {
              const b = bins[e.dataIndex];
              if (!b) return;
              const last = e.dataIndex === bins.length - 1;
              navigate(drillHref({ minClv: String(b.fromMinor), maxClv: last ? undefined : String(b.toMinor) }));
            }}
          />
        )}
        <p className="muted small">{t('analytics.clvHint')}</p>
      </section>
      <section className="card analytics-card" data-testid="clv-scatter">
        <div className="card-head">
          <h2>{t('analytics.scatterTitle')}</h2>
          {scatter.data && <span className="muted small">{t('analytics.sampleOf', { shown: points.length, count: scatter.data.customers })}</span>}
        </div>
        {scatter.isError && <div className="alert alert-error">{errorMessage(scatter.error)}</div>}
        {points.length > 0 && (
          <EChart
            option={scatterOption}
            height={380}
            onClick={(e) => {
              const id = (e.data as { id?: string }).id;
              if (id) navigate(`/customers/${id}`);
            }}
          />
        )}
        <div className="btn-row">
          <span className="muted small">{t('analytics.pAliveBands')}</span>
          <button className="btn btn-sm" onClick={() => navigate(drillHref({ maxPAlive: '0.3' }))}>
            {t('analytics.atRisk')}
          </button>
          <button className="btn btn-sm" onClick={() => navigate(drillHref({ minPAlive: '0.3', maxPAlive: '0.7' }))}>
            {t('analytics.wavering')}
          </button>
          <button className="btn btn-sm" onClick={() => navigate(drillHref({ minPAlive: '0.7' }))}>
            {t('analytics.active')}
          </button>
        </div>
      </section>
    </div>
  );
}
