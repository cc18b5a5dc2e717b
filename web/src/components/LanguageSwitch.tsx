import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { languages, setLanguage, type Language } from '../i18n/index.ts';

/** zh-CN / en; remembered in localStorage and sent to the server as Accept-Language. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const change = async (lang: Language) => {
    await setLanguage(lang);
    // Server texts (timeline summaries, region names, messages) come in the request's language.
    await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
  };
  return (
    <label className="lang-switch">
      <span className="sr-only">{t('common.language')}</span>
      <select data-testid="lang-switch" value={i18n.language} onChange={(e) => void change(e.target.value as Language)} aria-label={t('common.language')}>
        {languages.map((l) => (
          <option key={l} value={l}>
            {l === 'zh-CN' ? '简体中文' : 'English'}
          </option>
        ))}
      </select>
    </label>
  );
}
