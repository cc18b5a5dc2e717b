// 服务设置: the service desk's rules in one place, a tab each (the tab is in the URL so a link opens it).
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useCan } from '../../auth.tsx';
import { CalendarsTab } from './CalendarsTab.tsx';
import { DeskSettingsTab } from './DeskSettingsTab.tsx';
import { EscalationRulesTab } from './EscalationRulesTab.tsx';
import { ServiceTypesTab } from './ServiceTypesTab.tsx';
import { SlaPoliciesTab } from './SlaPoliciesTab.tsx';

const tabs = ['sla', 'escalation', 'types', 'calendars', 'desk'] as const;
type Tab = (typeof tabs)[number];

export function ServiceSettingsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const [params, setParams] = useSearchParams();
  // Calendars are organization settings (settings.manage): the tab shows for those who may edit them.
  const visible = tabs.filter((x) => x !== 'calendars' || can('settings.manage'));
  const raw = params.get('tab') as Tab | null;
  const tab: Tab = raw && visible.includes(raw) ? raw : 'sla';
  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.serviceSettings')}</h1>
          <p className="page-sub muted">{t('admin.hint')}</p>
        </div>
      </div>
      <div className="view-tabs" role="tablist">
        {visible.map((x) => (
          <button key={x} role="tab" aria-selected={tab === x} className={tab === x ? 'view-tab active' : 'view-tab'} onClick={() => setParams(x === 'sla' ? {} : { tab: x }, { replace: true })} data-testid={`settings-tab-${x}`}>
            {t(`admin.tabs.${x}`)}
          </button>
        ))}
      </div>
      {tab === 'sla' && <SlaPoliciesTab />}
      {tab === 'escalation' && <EscalationRulesTab />}
      {tab === 'types' && <ServiceTypesTab />}
      {tab === 'calendars' && <CalendarsTab />}
      {tab === 'desk' && <DeskSettingsTab />}
    </div>
  );
}
