// The analytics section (客户价值分析), loaded lazily: its views and ECharts live in their own chunk.
import { Navigate, NavLink, Route, Routes, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { RfmParetoView } from './RfmParetoView.tsx';
import { ClvView } from './ClvView.tsx';
import { KeyAccountsView } from './KeyAccountsView.tsx';
import { MigrationView } from './MigrationView.tsx';
import { SegmentsView } from './SegmentsView.tsx';
import { TiersView } from './TiersView.tsx';
import { SettingsView } from './SettingsView.tsx';
import './analytics.css';

const views = [
  { path: '/analytics', key: 'rfm', end: true },
  { path: '/analytics/clv', key: 'clv', end: false },
  { path: '/analytics/key-accounts', key: 'keyAccounts', end: false },
  { path: '/analytics/migration', key: 'migration', end: false },
  { path: '/analytics/segments', key: 'segments', end: false },
  { path: '/analytics/tiers', key: 'tiers', end: false },
  { path: '/analytics/settings', key: 'settings', end: false },
] as const;

export function AnalyticsPage() {
  const { t } = useTranslation();
  return (
    <div className="page analytics">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.analytics')}</h1>
          <p className="page-sub muted">{t('analytics.hint')}</p>
        </div>
      </div>
      <nav className="view-tabs" aria-label={t('nav.analytics')}>
        {views.map((v) => (
          <NavLink key={v.key} to={v.path} end={v.end} className={({ isActive }) => (isActive ? 'view-tab active' : 'view-tab')} data-testid={`analytics-tab-${v.key}`}>
            {t(`analytics.view.${v.key}`)}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<RfmParetoView />} />
        <Route path="clv" element={<ClvView />} />
        <Route path="key-accounts" element={<KeyAccountsView />} />
        <Route path="migration" element={<MigrationView />} />
        <Route path="segments" element={<SegmentsView />} />
        <Route path="tiers" element={<TiersView />} />
        <Route path="settings" element={<SettingsView />} />
        {/* Drill-downs open the customer list; old bookmarks of /analytics/customers?… land there too. */}
        <Route path="customers" element={<ToCustomerList />} />
      </Routes>
    </div>
  );
}

function ToCustomerList() {
  const { search } = useLocation();
  return <Navigate to={`/customers${search}`} replace />;
}
