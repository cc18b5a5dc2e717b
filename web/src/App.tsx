import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { lazy, Suspense } from 'react';
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
