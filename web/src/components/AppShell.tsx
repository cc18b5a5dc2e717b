import { NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useTranslation } from 'react-i18next';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client.ts';
import { meKey, useMe } from '../auth.tsx';
import { visibleSections } from '../sections.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { Icon } from './Icon.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';

export function AppShell() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();

  const logout = async () => {
    try {
      await api('/api/auth/logout', { method: 'POST' });
    } finally {
      queryClient.clear();
      queryClient.setQueryData(meKey, null);
      navigate('/login', { replace: true });
    }
  };

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark">K</span>
          <span className="brand-name">{t('app.name')}</span>
        </div>
        <nav className="nav">
          {visibleSections(me).map((s) => (
            <NavLink key={s.path} to={s.path} className={({ isActive }) => (isActive ? 'nav-item active' : 'nav-item')}>
              <Icon name={s.icon} />
              <span>{t(s.labelKey)}</span>
            </NavLink>
          ))}
        </nav>
        <div className="sidebar-foot">{t('app.tagline')}</div>
      </aside>
      <div className="main">
        <header className="topbar">
          <div className="topbar-spacer" />
          <LanguageSwitch />
          <div className="user-chip" title={me.user.email}>
            <span className="avatar">{me.user.name.slice(0, 1).toUpperCase()}</span>
            <span className="user-name">{me.user.name}</span>
            <span className="user-role">{t(`role.${me.user.role}`)}</span>
          </div>
          <button className="btn btn-ghost btn-sm" onClick={() => void logout()} title={t('auth.logout')}>
            <Icon name="logout" />
            <span>{t('auth.logout')}</span>
          </button>
        </header>
        <main className="content">
          <ErrorBoundary resetKey={location.pathname}>
            <Outlet />
          </ErrorBoundary>
        </main>
      </div>
    </div>
  );
}
