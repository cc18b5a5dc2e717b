// The drill-down: customers matching a chart element (RFM class, R×F cell, segment, key accounts, CLV bucket, P(alive) band),
// with their value measures. The filters live in the URL, so a drill-down can be bookmarked and shared.
import { useMemo } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api, errorMessage } from '../../api/client.ts';
import { useRegions } from '../../api/regions.ts';
import { Icon } from '../../components/Icon.tsx';
import { formatMoney } from '../../format.ts';
import { CURRENCY, drillKeys, rfmColors, type DrillFilter, type Segment, type ValueCustomersPage } from './api.ts';
import { pct } from './format.ts';

const PAGE_SIZE = 50;

export function ValueCustomersView() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const regions = useRegions();
  const [params, setParams] = useSearchParams();
  const filter: DrillFilter = {};
  for (const k of drillKeys) {
    const v = params.get(k);
    if (v) filter[k] = v;
  }
  const segments = useQuery({ queryKey: ['analytics', 'segments'], queryFn: () => api<{ items: Segment[] }>('/api/analytics/segments'), enabled: Boolean(filter.segmentId) });
  const list = useInfiniteQuery({
    queryKey: ['analytics', 'customers', filter],
    queryFn: ({ pageParam, signal }) => api<ValueCustomersPage>('/api/analytics/customers', { query: { ...filter, cursor: pageParam, limit: PAGE_SIZE }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const provinceName = (code: string | null) => (code ? (regions.data?.find((p) => p.code === code)?.name ?? code) : null);

  const chips: { key: string; label: string; remove: string[] }[] = [];
  if (filter.rfmClass) chips.push({ key: 'rfmClass', label: t(`analytics.rfmClass.${filter.rfmClass}`, { defaultValue: filter.rfmClass }), remove: ['rfmClass'] });
  if (filter.segmentId) chips.push({ key: 'segment', label: `${t('analytics.segment')}: ${segments.data?.items.find((s) => s.id === filter.segmentId)?.name ?? '…'}`, remove: ['segmentId'] });
  if (filter.keyAccount) chips.push({ key: 'ka', label: filter.keyAccount === 'true' ? t('analytics.keyAccountsOnly') : t('analytics.notKeyAccounts'), remove: ['keyAccount'] });
  for (const s of ['rScore', 'fScore', 'mScore'] as const) if (filter[s]) chips.push({ key: s, label: `${s[0].toUpperCase()} = ${filter[s]}`, remove: [s] });
  if (filter.minClv || filter.maxClv) {
    const lo = filter.minClv ? formatMoney(Number(filter.minClv), CURRENCY) : '';
    const hi = filter.maxClv ? formatMoney(Number(filter.maxClv), CURRENCY) : '';
    chips.push({ key: 'clv', label: `CLV ${lo} – ${hi}`, remove: ['minClv', 'maxClv'] });
  }
  if (filter.minPAlive || filter.maxPAlive) chips.push({ key: 'pAlive', label: `P(alive) ${filter.minPAlive ?? '0'} – ${filter.maxPAlive ?? '1'}`, remove: ['minPAlive', 'maxPAlive'] });

  const removeChip = (keys: string[]) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const k of keys) next.delete(k);
      return next;
    });

  return (
    <section className="card analytics-card" data-testid="value-customers">
      <div className="card-head">
        <h2>{t('analytics.drillTitle')}</h2>
        <Link to="/analytics" className="btn btn-ghost btn-sm">
          <Icon name="arrow-left" /> {t('analytics.backToCharts')}
        </Link>
      </div>
      <div className="toolbar">
        {chips.length === 0 && <span className="muted">{t('analytics.noFilter')}</span>}
        {chips.map((c) => (
          <span key={c.key} className="pill filter-chip" data-testid="drill-chip">
            {c.label}
            <button className="btn-icon" onClick={() => removeChip(c.remove)} aria-label={t('common.clearFilters')}>
              <Icon name="x" size={12} />
            </button>
          </span>
        ))}
        <div className="toolbar-spacer" />
        <span className="muted count">{list.isFetching && !list.isFetchingNextPage ? t('common.loading') : t('customer.loaded', { count: rows.length, more: list.hasNextPage ? '+' : '' })}</span>
      </div>
      {list.isError && <div className="alert alert-error">{errorMessage(list.error)}</div>}
      <table className="table table-click">
        <thead>
          <tr>
            <th style={{ width: '22%' }}>{t('customer.name')}</th>
            <th>{t('customer.region')}</th>
            <th>{t('analytics.rfmClassLabel')}</th>
            <th className="num">R / F / M</th>
            <th className="num">{t('analytics.spend')}</th>
            <th className="num">CLV</th>
            <th className="num">P(alive)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} onClick={() => navigate(`/customers/${r.id}`)} data-testid="value-customer-row" tabIndex={0} onKeyDown={(e) => e.key === 'Enter' && navigate(`/customers/${r.id}`)}>
              <td className="strong cell-clip">{r.name}</td>
              <td className="cell-clip">{provinceName(r.provinceCode) ?? <span className="muted">—</span>}</td>
              <td>
                {r.rfmClass ? (
                  <>
                    <span className="swatch" style={{ background: rfmColors[r.rfmClass] }} />
                    {t(`analytics.rfmClass.${r.rfmClass}`)}
                  </>
                ) : (
                  <span className="muted">{t('analytics.unscored')}</span>
                )}
              </td>
              <td className="num mono">{r.rScore ? `${r.rScore} / ${r.fScore} / ${r.mScore}` : '—'}</td>
              <td className="num">{r.monetaryMinor === null ? '—' : formatMoney(r.monetaryMinor, CURRENCY)}</td>
              <td className="num">{r.clvMinor === null ? '—' : formatMoney(r.clvMinor, CURRENCY)}</td>
              <td className="num">{pct(r.pAlive)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!list.isPending && rows.length === 0 && <div className="empty">{t('customer.noMatches')}</div>}
      {list.hasNextPage && (
        <div className="load-more">
          <button className="btn" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {list.isFetchingNextPage ? t('common.loadingMore') : t('common.loadMore')}
          </button>
        </div>
      )}
      <p className="muted small">{t('analytics.drillHint')}</p>
    </section>
  );
}
