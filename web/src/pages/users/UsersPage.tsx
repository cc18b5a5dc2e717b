import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import { roles, type Role, type User } from '../../api/types.ts';
import { fieldError } from '../../components/fieldErrors.ts';
import { Icon } from '../../components/Icon.tsx';
import { formatDateTime } from '../../format.ts';

function CreateUserForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('agent');

  const create = useMutation({
    mutationFn: () => api<User>('/api/users', { method: 'POST', body: { email, name, password, role } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      onDone();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const err = (f: string) => fieldError(create.error, f);

  return (
    <section className="card">
      <div className="card-head">
        <h2>{t('users.create')}</h2>
      </div>
      <form className="form-grid form-grid-4" onSubmit={submit}>
        <label className="field">
          <span className="field-label required">{t('users.email')}</span>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" data-testid="user-email" />
          {err('email') && <span className="field-error">{err('email')}</span>}
        </label>
        <label className="field">
          <span className="field-label required">{t('users.name')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} data-testid="user-name" />
          {err('name') && <span className="field-error">{err('name')}</span>}
        </label>
        <label className="field">
          <span className="field-label required">{t('users.password')}</span>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" data-testid="user-password" />
          {err('password') ? <span className="field-error">{err('password')}</span> : <span className="hint">{t('users.passwordHint')}</span>}
        </label>
        <label className="field">
          <span className="field-label required">{t('users.role')}</span>
          <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid="user-role">
            {roles.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
          <span className="hint">{t(`roleHint.${role}`)}</span>
        </label>
        <div className="form-actions field-wide">
          {create.isError && <div className="alert alert-error grow">{errorMessage(create.error)}</div>}
          <button type="button" className="btn" onClick={onDone}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary" disabled={create.isPending || !email || !name || password.length < 8} data-testid="user-submit">
            {create.isPending ? t('common.saving') : t('common.create')}
          </button>
        </div>
      </form>
    </section>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const users = useQuery({ queryKey: ['users'], queryFn: () => api<{ items: User[] }>('/api/users') });

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.users')}</h1>
          <p className="page-sub muted">{t('users.subtitle')}</p>
        </div>
        <div className="page-actions">
          {!creating && (
            <button className="btn btn-primary" onClick={() => setCreating(true)} data-testid="user-create">
              <Icon name="plus" />
              {t('users.create')}
            </button>
          )}
        </div>
      </div>
      {creating && <CreateUserForm onDone={() => setCreating(false)} />}
      {users.isError && <div className="alert alert-error">{errorMessage(users.error)}</div>}
      <section className="card card-flush">
        <table className="table">
          <thead>
            <tr>
              <th>{t('users.name')}</th>
              <th>{t('users.email')}</th>
              <th style={{ width: 140 }}>{t('users.role')}</th>
              <th style={{ width: 100 }}>{t('users.territories')}</th>
              <th style={{ width: 90 }}>{t('users.status')}</th>
              <th style={{ width: 150 }}>{t('users.createdAt')}</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.items.map((u) => (
              <tr key={u.id} data-testid="user-row">
                <td className="strong">{u.name}</td>
                <td className="mono">{u.email}</td>
                <td>
                  <span className={`badge role-${u.role}`}>{t(`role.${u.role}`)}</span>
                </td>
                <td>{u.territoryIds.length || <span className="muted">—</span>}</td>
                <td>{u.active ? <span className="status status-on">{t('users.active')}</span> : <span className="status">{t('users.inactive')}</span>}</td>
                <td className="mono muted">{formatDateTime(u.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {users.isPending && <div className="empty">{t('common.loading')}</div>}
      </section>
    </div>
  );
}
