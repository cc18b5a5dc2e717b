import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { MeProvider, useMeQuery } from './auth.tsx';
import { errorMessage } from './api/client.ts';
import type { Permission } from './api/types.ts';
import { visibleSections } from './sections.ts';
import { AppShell } from './components/AppShell.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { CustomerListPage } from './pages/customers/CustomerListPage.tsx';
import { CustomerDetailPage } from './pages/customers/CustomerDetailPage.tsx';
import { ImportPage } from './pages/imports/ImportPage.tsx';
import { AuditPage } from './pages/audit/AuditPage.tsx';
import { UsersPage } from './pages/users/UsersPage.tsx';
import { ServiceDeskPage } from './pages/service/ServiceDeskPage.tsx';
import { ServiceOrderDetailPage } from './pages/service/ServiceOrderDetailPage.tsx';
import { CallbacksPage } from './pages/service/CallbacksPage.tsx';
import { OpportunityBoardPage } from './pages/opportunities/OpportunityBoardPage.tsx';
import { CommissionsPage } from './pages/opportunities/CommissionsPage.tsx';
import { OrderBoardPage } from './pages/orders/OrderBoardPage.tsx';
import { RemindersPage } from './pages/orders/RemindersPage.tsx';
import { OutboxPage } from './pages/outbox/OutboxPage.tsx';
import { ServiceSettingsPage } from './pages/settings/ServiceSettingsPage.tsx';
import { CommissionRulesPage } from './pages/settings/CommissionRulesPage.tsx';
// The KPI dashboard carries ECharts: loaded when opened, so the other pages do not download it.
const ServiceKpiPage = lazy(() => import('./pages/kpis/ServiceKpiPage.tsx').then((m) => ({ default: m.ServiceKpiPage })));
// Contact center pages load on first visit (ECharts stays out of the main bundle).
const WallboardPage = lazy(() => import('./pages/contact-center/WallboardPage.tsx').then((m) => ({ default: m.WallboardPage })));
const KpiPage = lazy(() => import('./pages/contact-center/KpiPage.tsx').then((m) => ({ default: m.KpiPage })));
const QueuesPage = lazy(() => import('./pages/contact-center/QueuesPage.tsx').then((m) => ({ default: m.QueuesPage })));
const MyContactCenterPage = lazy(() => import('./pages/contact-center/MyContactCenterPage.tsx').then((m) => ({ default: m.MyContactCenterPage })));
const IvrEditorPage = lazy(() => import('./pages/contact-center/IvrEditorPage.tsx').then((m) => ({ default: m.IvrEditorPage })));

// The analytics section carries ECharts: loaded on first visit, not with the app.
const AnalyticsPage = lazy(() => import('./pages/analytics/AnalyticsPage.tsx').then((m) => ({ default: m.AnalyticsPage })));
const WfmPlannerPage = lazy(() => import('./pages/wfm/WfmPlannerPage.tsx').then((m) => ({ default: m.WfmPlannerPage })));
const MySchedulePage = lazy(() => import('./pages/wfm/MySchedulePage.tsx').then((m) => ({ default: m.MySchedulePage })));

export function App() {
  const { t } = useTranslation();
  const me = useMeQuery();
  const location = useLocation();

  if (me.isPending) return <div className="splash">{t('common.loading')}</div>;
  if (me.isError) {
    return (
      <div className="splash">
        <div className="alert alert-error">{errorMessage(me.error)}</div>
        <button className="btn" onClick={() => void me.refetch()}>{t('common.retry')}</button>
      </div>
    );
  }
  if (!me.data) {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="*" element={<Navigate to="/login" replace state={{ from: location.pathname + location.search }} />} />
      </Routes>
    );
  }

  const allowed = visibleSections(me.data);
  const home = allowed[0]?.path ?? '/customers';
  const can = (p: Permission) => me.data!.permissions.includes(p);
  return (
    <MeProvider me={me.data}>
      <Routes>
        <Route path="/login" element={<Navigate to={home} replace />} />
        <Route element={<AppShell />}>
          <Route index element={<Navigate to={home} replace />} />
          {can('customer.read') && <Route path="/customers" element={<CustomerListPage />} />}
          {can('customer.read') && <Route path="/customers/:id" element={<CustomerDetailPage />} />}
          {can('service.read') && <Route path="/service" element={<ServiceDeskPage />} />}
          {can('service.read') && <Route path="/service/:id" element={<ServiceOrderDetailPage />} />}
          {can('service.read') && <Route path="/callbacks" element={<CallbacksPage />} />}
          {can('opportunity.read') && <Route path="/opportunities" element={<OpportunityBoardPage />} />}
          {can('commission.read') && <Route path="/commissions" element={<CommissionsPage />} />}
          {can('order.read') && <Route path="/orders" element={<OrderBoardPage />} />}
          {can('order.read') && <Route path="/reminders" element={<RemindersPage />} />}
          {can('outbox.read') && <Route path="/outbox" element={<OutboxPage />} />}
          {can('customer.import') && <Route path="/imports" element={<ImportPage />} />}
          {can('audit.read') && <Route path="/audit" element={<AuditPage />} />}
          {can('user.manage') && <Route path="/users" element={<UsersPage />} />}
          {can('contact_center.read') && <Route path="/contact-center/wallboard" element={<Lazy><WallboardPage /></Lazy>} />}
          {can('contact_center.read') && <Route path="/contact-center/kpis" element={<Lazy><KpiPage /></Lazy>} />}
          {can('contact_center.read') && <Route path="/contact-center/queues" element={<Lazy><QueuesPage /></Lazy>} />}
          {can('contact_center.read') && <Route path="/contact-center/ivr" element={<Lazy><IvrEditorPage /></Lazy>} />}
          {can('contact_center.read_own') && <Route path="/contact-center/me" element={<Lazy><MyContactCenterPage /></Lazy>} />}
          {can('service.manage') && <Route path="/service-settings" element={<ServiceSettingsPage />} />}
          {can('service.kpi') && <Route path="/service-kpis" element={<Suspense fallback={<div className="splash">{t('common.loading')}</div>}><ServiceKpiPage /></Suspense>} />}
          {can('commission.manage') && <Route path="/commission-rules" element={<CommissionRulesPage />} />}
          {can('analytics.read') && (
            <Route path="/analytics/*" element={<Suspense fallback={<div className="page"><div className="empty">{t('common.loading')}</div></div>}><AnalyticsPage /></Suspense>} />
          )}
          {can('wfm.read') && <Route path="/wfm" element={<Suspense fallback={<div className="splash">{t('common.loading')}</div>}><WfmPlannerPage /></Suspense>} />}
          {can('wfm.read_own') && <Route path="/my-schedule" element={<Suspense fallback={<div className="splash">{t('common.loading')}</div>}><MySchedulePage /></Suspense>} />}
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </MeProvider>
  );
}

function NotFound() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <div className="empty">{t('common.pageNotFound')}</div>
    </div>
  );
}

function Lazy({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return <Suspense fallback={<div className="page"><div className="empty">{t('common.loading')}</div></div>}>{children}</Suspense>;
}
