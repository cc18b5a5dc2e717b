import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api/client.ts';
import { roles, type Role, type User } from '../../api/types.ts';
import { fieldError } from '../../components/fieldErrors.ts';
import { Icon } from '../../components/Icon.tsx';
import { formatDateTime } from '../../format.ts';
import type { TeamOutput as Team } from '../../../../src/platform/teams.ts';

function useTeams() {
  return useQuery({ queryKey: ['teams'], queryFn: () => api<{ items: Team[] }>('/api/teams') });
}

/** The organization's teams (班组) with member counts, and a one-line form to add one. */
function TeamsCard() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const teams = useTeams();
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => api<Team>('/api/teams', { method: 'POST', body: { name } }),
    onSuccess: async () => {
      setName('');
      await queryClient.invalidateQueries({ queryKey: ['teams'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section className="card">
      <div className="card-head">
        <h2>{t('users.teams')}</h2>
      </div>
      <form className="toolbar" style={{ marginBottom: 0 }} onSubmit={submit}>
        <span className="tags grow" data-testid="team-list">
          {teams.data?.items.map((team) => (
            <span key={team.id} className="tag">
              {t('users.teamMembers', { name: team.name, count: team.memberCount })}
            </span>
          ))}
          {teams.data?.items.length === 0 && <span className="muted">{t('users.noTeams')}</span>}
        </span>
        <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder={t('users.teamName')} data-testid="team-name" />
        <button type="submit" className="btn" disabled={create.isPending || !name.trim()} data-testid="team-submit">
          <Icon name="plus" />
          {t('users.createTeam')}
        </button>
      </form>
      {create.isError && <div className="alert alert-error">{errorMessage(create.error)}</div>}
      {teams.isError && <div className="alert alert-error">{errorMessage(teams.error)}</div>}
    </section>
  );
}

/** A user's team as a select; choosing applies it at once. */
function TeamSelect({ user, teams }: { user: User; teams: Team[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const set = useMutation({
    mutationFn: (teamId: string | null) => api<User>(`/api/users/${user.id}/team`, { method: 'PUT', body: { teamId } }),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      await queryClient.invalidateQueries({ queryKey: ['teams'] });
    },
  });
  return (
    <>
      <select
        value={user.teamId ?? ''}
        onChange={(e) => set.mutate(e.target.value || null)}
        disabled={set.isPending}
        aria-label={t('users.team')}
        data-testid="user-team"
      >
        <option value="">{t('users.noTeam')}</option>
        {teams.map((team) => (
          <option key={team.id} value={team.id}>
            {team.name}
          </option>
        ))}
      </select>
      {set.isError && <div className="field-error">{errorMessage(set.error)}</div>}
    </>
  );
}

function CreateUserForm({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [teamId, setTeamId] = useState('');
  const teams = useTeams();

  const create = useMutation({
    mutationFn: () => api<User>('/api/users', { method: 'POST', body: { email, name, password, role, teamId: teamId || null } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['users'] });
      await queryClient.invalidateQueries({ queryKey: ['teams'] });
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
        <label className="field">
          <span className="field-label">{t('users.team')}</span>
          <select value={teamId} onChange={(e) => setTeamId(e.target.value)} data-testid="user-team-new">
            <option value="">{t('users.noTeam')}</option>
            {teams.data?.items.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
          {err('teamId') && <span className="field-error">{err('teamId')}</span>}
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
  const teams = useTeams();

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
      <TeamsCard />
      {users.isError && <div className="alert alert-error">{errorMessage(users.error)}</div>}
      <section className="card card-flush">
        <table className="table">
          <thead>
            <tr>
              <th>{t('users.name')}</th>
              <th>{t('users.email')}</th>
              <th style={{ width: 140 }}>{t('users.role')}</th>
              <th style={{ width: 160 }}>{t('users.team')}</th>
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
                <td>
                  <TeamSelect user={u} teams={teams.data?.items ?? []} />
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
