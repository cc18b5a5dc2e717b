import { currentLanguage } from '../../i18n/index.ts';

/** A share 0–1 as a percentage with one decimal: 63.2%. */
export function pct(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${(share * 100).toLocaleString(currentLanguage(), { minimumFractionDigits: digits, maximumFractionDigits: digits })}%`;
}
