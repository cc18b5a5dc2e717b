// The customer list's value filters (RFM class, scores, segment, service tier, key accounts, CLV and
// P(alive) ranges): set by the analytics drill-downs through the URL, shown as removable chips.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { Icon } from '../../components/Icon.tsx';
import { formatMoney } from '../../format.ts';
import type { Segment, Tier } from '../analytics/api.ts';
import './value-filters.css';
import { valueFilterKeys, type ValueFilterKey, type ValueFilters } from './value-filter-keys.ts';

export type { ValueFilterKey, ValueFilters };

export function readValueFilters(params: URLSearchParams): ValueFilters {
  const out: ValueFilters = {};
  for (const k of valueFilterKeys) {
    const v = params.get(k);
    if (v) out[k] = v;
  }
  return out;
}

interface Chip {
  key: string;
  label: string;
  remove: ValueFilterKey[];
}

/** `currency`: the analytics currency the CLV bounds are in (the list's `valueCurrency`). */
export function ValueFilterChips({ filters, onRemove, currency }: { filters: ValueFilters; onRemove: (keys: ValueFilterKey[]) => void; currency: string }) {
  const { t } = useTranslation();
  const segments = useQuery({ queryKey: ['analytics', 'segments'], queryFn: () => api<{ items: Segment[] }>('/api/analytics/segments'), enabled: Boolean(filters.segmentId) });
  const tiers = useQuery({ queryKey: ['analytics', 'tiers'], queryFn: () => api<{ items: Tier[] }>('/api/analytics/tiers'), enabled: Boolean(filters.tierId) });
  const chips: Chip[] = [];
  if (filters.rfmClass) chips.push({ key: 'rfmClass', label: t(`analytics.rfmClass.${filters.rfmClass}`, { defaultValue: filters.rfmClass }), remove: ['rfmClass'] });
  if (filters.segmentId) {
    const name = segments.data?.items.find((s) => s.id === filters.segmentId)?.name ?? (segments.isError ? filters.segmentId.slice(-8) : '…');
    chips.push({ key: 'segment', label: t('customer.filterSegment', { name }), remove: ['segmentId'] });
  }
  if (filters.tierId) {
    const name = tiers.data?.items.find((x) => x.id === filters.tierId)?.name ?? (tiers.isError ? filters.tierId.slice(-8) : '…');
    chips.push({ key: 'tier', label: t('customer.filterTier', { name }), remove: ['tierId'] });
  }
  if (filters.keyAccount) chips.push({ key: 'ka', label: filters.keyAccount === 'true' ? t('analytics.keyAccountsOnly') : t('analytics.notKeyAccounts'), remove: ['keyAccount'] });
  for (const s of ['rScore', 'fScore', 'mScore'] as const) {
    if (filters[s]) chips.push({ key: s, label: t('customer.filterScore', { score: s[0].toUpperCase(), value: filters[s] }), remove: [s] });
  }
  if (filters.minClv || filters.maxClv) {
    const money = (v: string | undefined) => (v ? formatMoney(Number(v), currency) : t('customer.any'));
    chips.push({ key: 'clv', label: t('customer.filterClv', { from: money(filters.minClv), to: money(filters.maxClv) }), remove: ['minClv', 'maxClv'] });
  }
  if (filters.minPAlive || filters.maxPAlive) {
    chips.push({ key: 'pAlive', label: t('customer.filterPAlive', { from: filters.minPAlive ?? '0', to: filters.maxPAlive ?? '1' }), remove: ['minPAlive', 'maxPAlive'] });
  }
  if (chips.length === 0) return null;
  return (
    <div className="toolbar value-filter-chips" aria-label={t('customer.valueFilters')}>
      <span className="muted">{t('customer.valueFilters')}</span>
      {chips.map((c) => (
        <span key={c.key} className="pill filter-chip" data-testid="drill-chip">
          {c.label}
          <button className="btn-icon" onClick={() => onRemove(c.remove)} aria-label={t('customer.removeFilter')} title={t('customer.removeFilter')}>
            <Icon name="x" size={12} />
          </button>
        </span>
      ))}
    </div>
  );
}
