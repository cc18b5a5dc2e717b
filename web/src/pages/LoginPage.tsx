import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { api, errorMessage } from '../api/client.ts';
import { meKey } from '../auth.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';

export function LoginPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;

  const login = useMutation({
    mutationFn: () => api('/api/auth/login', { method: 'POST', body: { email, password } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: meKey });
      navigate(from && from !== '/login' ? from : '/', { replace: true });
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };

  return (
    <div className="login-page">
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <form className="login-card" onSubmit={submit} noValidate>
        <div className="login-brand">
          <span className="brand-mark brand-mark-lg">K</span>
          <div>
            <h1>{t('app.name')}</h1>
            <p className="muted">{t('auth.subtitle')}</p>
          </div>
        </div>
        <label className="field">
          <span className="field-label">{t('auth.email')}</span>
          <input data-testid="login-email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} autoFocus required />
        </label>
        <label className="field">
          <span className="field-label">{t('auth.password')}</span>
          <input data-testid="login-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {login.isError && <div className="alert alert-error" role="alert">{errorMessage(login.error)}</div>}
        <button data-testid="login-submit" className="btn btn-primary btn-block" type="submit" disabled={login.isPending || !email || !password}>
          {login.isPending ? t('auth.signingIn') : t('auth.signIn')}
        </button>
      </form>
    </div>
  );
}
