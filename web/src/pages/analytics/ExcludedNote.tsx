// The note under a value analysis that left out orders in other currencies than the analytics one
// (the server counts them in the same query; nothing is converted).
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../format.ts';

export interface ExcludedCounts {
  currency: string;
  excludedOrders: number;
  excludedCustomers: number;
}

export function ExcludedNote({ data }: { data: ExcludedCounts | undefined }) {
  const { t } = useTranslation();
  if (!data || data.excludedOrders === 0) return null;
  return (
    <p className="muted small" data-testid="excluded-note">
      {t('analytics.excludedNote', { currency: data.currency, orders: formatNumber(data.excludedOrders), count: data.excludedCustomers, customers: formatNumber(data.excludedCustomers) })}
    </p>
  );
}
