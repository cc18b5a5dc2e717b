import { i18n } from '../../i18n/index.ts';

/**
 * An RFM class as shown: the organization's own name when it renamed the class (settings `classNames`),
 * else the UI language's name (the API returns the built-in Chinese name by default).
 */
export function rfmClassLabel(code: string, orgName?: string | null): string {
  const key = `analytics.rfmClass.${code}`;
  if (!orgName || orgName === i18n.t(key, { lng: 'zh-CN' })) return i18n.t(key, { defaultValue: orgName ?? code });
  return orgName;
}
