// Winning and losing (正在赢得或失去的客户): status counts this period, and the RFM class migration matrix
// (class at the end of the previous period → class now), by count or by value. A cell drills down to its target class.
import { useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import { formatDate, formatMoney, formatNumber } from '../../format.ts';
import { currencyOf, drillHref, rfmClassOrder, type Migration, type Movement, type RfmClass } from './api.ts';
import { ExcludedNote } from './ExcludedNote.tsx';
import { EChart } from './EChart.tsx';

const periods = ['month', 'quarter', 'year'] as const;
type Period = (typeof periods)[number];
const statusColors: Record<string, string> = { new: '#16a34a', growing: '#22c55e', stable: '#94a3b8', declining: '#f59e0b', lost: '#dc2626' };
type Cls = RfmClass | 'none';
const axis: readonly Cls[] = [...rfmClassOrder, 'none'];

export function MigrationView() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [period, setPeriod] = useState<Period>('quarter');
  const [measure, setMeasure] = useState<'customers' | 'value'>('customers');
  const movement = useQuery({ queryKey: ['analytics', 'movement', period], queryFn: () => api<Movement>('/api/analytics/movement', { query: { period } }) });
  const migration = useQuery({ queryKey: ['analytics', 'migration', period], queryFn: () => api<Migration>('/api/analytics/migration', { query: { period } }) });
  const label = (c: Cls) => (c === 'none' ? t('analytics.unscored') : t(`analytics.rfmClass.${c}`));

  const statuses = movement.data?.statuses ?? [];
  const cur = currencyOf(movement.data);
  const matrixCur = currencyOf(migration.data);
  const winning = statuses.filter((s) => s.status === 'new' || s.status === 'growing');
  const losing = statuses.filter((s) => s.status === 'declining' || s.status === 'lost');
  const sum = (xs: typeof statuses, f: (s: (typeof statuses)[number]) => number) => xs.reduce((a, s) => a + f(s), 0);

  const statusOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 72, right: 16, top: 32, bottom: 28 },
      xAxis: { type: 'category', data: statuses.map((s) => t(`analytics.status.${s.status}`)) },
      yAxis: { type: 'value', name: t('analytics.customers') },
      series: [
        { name: t('analytics.customers'), type: 'bar', data: statuses.map((s) => ({ value: s.customers, itemStyle: { color: statusColors[s.status] } })) },
      ],
    }),
    [statuses, t],
  );

  const cells = migration.data?.cells ?? [];
  const matrixOption = useMemo(() => {
    const v = (c: (typeof cells)[number]) => (measure === 'customers' ? c.customers : c.valueMinor / 100);
    const max = Math.max(1, ...cells.map(v));
    return {
      tooltip: {
        formatter: (p: { data: [number, number, number, number, number] }) =>
          `${label(axis[p.data[1]])} → ${label(axis[p.data[0]])}<br/>${t('analytics.customers')}: ${formatNumber(p.data[3])}<br/>${t('analytics.valueNow')}: ${formatMoney(p.data[4], matrixCur)}`,
      },
      grid: { left: 120, right: 16, top: 30, bottom: 110 },
      xAxis: { type: 'category', data: axis.map(label), name: t('analytics.thisPeriod'), nameLocation: 'middle', nameGap: 92, axisLabel: { rotate: 35, interval: 0 } },
      yAxis: { type: 'category', data: axis.map(label), name: t('analytics.lastPeriod'), nameLocation: 'start', inverse: true },
      visualMap: { min: 0, max, dimension: 2, show: false, inRange: { color: ['#f8fafc', '#1d4ed8'] } },
      series: [
        {
          type: 'heatmap',
          data: cells.map((c) => [axis.indexOf(c.to), axis.indexOf(c.from), v(c), c.customers, c.valueMinor]),
          label: { show: true, fontSize: 10, formatter: (p: { data: number[] }) => (measure === 'customers' ? formatNumber(p.data[3]) : formatMoney(p.data[4], matrixCur).replace(/\.\d\d$/, '')) },
        },
      ],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cells, measure, matrixCur, t]);

  return (
    <div className="analytics-grid">
      <section className="card analytics-card" data-testid="movement">
        <div className="card-head">
          <h2>{t('analytics.movementTitle')}</h2>
          <div className="segmented" role="tablist">
            {periods.map((p) => (
              <button key={p} role="tab" aria-selected={period === p} className={period === p ? 'active' : ''} onClick={() => setPeriod(p)}>
                {t(`analytics.periodKind.${p}`)}
              </button>
            ))}
          </div>
        </div>
        <ExcludedNote data={movement.data} />
        {movement.isError && <div className="alert alert-error">{errorMessage(movement.error)}</div>}
        {movement.isPending && <div className="empty">{t('common.loading')}</div>}
        {movement.data && (
          <>
            <p className="muted small">
              {t('analytics.periodRange', {
                from: formatDate(movement.data.current.from),
                to: formatDate(movement.data.current.to),
                pfrom: formatDate(movement.data.previous.from),
                pto: formatDate(movement.data.previous.to),
              })}
            </p>
            <div className="stats analytics-stats">
              <div className="stat stat-win">
                <div className="stat-value">{formatNumber(sum(winning, (s) => s.customers))}</div>
                <div className="stat-label">{t('analytics.winning', { spend: formatMoney(sum(winning, (s) => s.spendMinor - s.previousSpendMinor), cur) })}</div>
              </div>
              <div className="stat stat-lose">
                <div className="stat-value">{formatNumber(sum(losing, (s) => s.customers))}</div>
                <div className="stat-label">{t('analytics.losing', { spend: formatMoney(sum(losing, (s) => s.previousSpendMinor - s.spendMinor), cur) })}</div>
              </div>
            </div>
            <EChart option={statusOption} height={240} />
            <table className="table">
              <thead>
                <tr>
                  <th>{t('analytics.statusLabel')}</th>
                  <th className="num">{t('analytics.customers')}</th>
                  <th className="num">{t('analytics.spendThis')}</th>
                  <th className="num">{t('analytics.spendLast')}</th>
                </tr>
              </thead>
              <tbody>
                {statuses.map((s) => (
                  <tr key={s.status}>
                    <td>
                      <span className="swatch" style={{ background: statusColors[s.status] }} />
                      {t(`analytics.status.${s.status}`)}
                    </td>
                    <td className="num">{formatNumber(s.customers)}</td>
                    <td className="num">{formatMoney(s.spendMinor, cur)}</td>
                    <td className="num">{formatMoney(s.previousSpendMinor, cur)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section className="card analytics-card" data-testid="migration">
        <div className="card-head">
          <h2>{t('analytics.migrationTitle')}</h2>
          <div className="segmented" role="tablist">
            {(['customers', 'value'] as const).map((m) => (
              <button key={m} role="tab" aria-selected={measure === m} className={measure === m ? 'active' : ''} onClick={() => setMeasure(m)}>
                {t(`analytics.measure.${m}`)}
              </button>
            ))}
          </div>
        </div>
        <ExcludedNote data={migration.data} />
        {migration.isError && <div className="alert alert-error">{errorMessage(migration.error)}</div>}
        {migration.isPending && <div className="empty">{t('common.loading')}</div>}
        {migration.data && (
          <p className="muted small">{t('analytics.migrationRange', { from: formatDate(migration.data.previousAsOf), to: formatDate(migration.data.asOf) })}</p>
        )}
        {cells.length > 0 ? (
          <EChart
            option={matrixOption}
            height={440}
            testId="migration-matrix"
            onClick={(e) => {
              const to = axis[(e.data as number[])[0]];
              if (to && to !== 'none') navigate(drillHref({ rfmClass: to }));
            }}
          />
        ) : (
          migration.data && <div className="empty">{t('analytics.noOrders')}</div>
        )}
        <p className="muted small">{t('analytics.migrationHint')}</p>
      </section>
    </div>
  );
}
