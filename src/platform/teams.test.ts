import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import pino from 'pino';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { buildApp } from '../http/app.ts';
import { createUser } from './create-user.ts';
import { Conflict, Forbidden, Invalid, NotFound } from './errors.ts';
import { listAudit } from './list-audit.ts';
import { setUserTeam } from './set-user-team.ts';
import { users } from './tables.ts';
import { createTeam, listTeams, updateTeam } from './teams.ts';

const config = { sessionHours: 12, maxUploadBytes: 1024 * 1024, loginRatePerMinute: 50, cookieSecure: false };

describeDb('platform: teams (班组)', (get) => {
  it('creates, lists with active member counts and renames teams; puts users in and out of a team', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'Teams');
    const admin = org.ctx.admin;
    const front = await createTeam(admin, { name: ' 一线客服 ' });
    expect(front).toMatchObject({ name: '一线客服', memberCount: 0, version: 1 });
    const complaints = await createTeam(admin, { name: '投诉专席' });

    expect((await setUserTeam(admin, org.userIds.agent, { teamId: front.id })).teamId).toBe(front.id);
    await setUserTeam(admin, org.userIds.supervisor, { teamId: complaints.id });
    const hired = await createUser(admin, { email: 'new-agent@teams.test', password: 'password-123', name: '新坐席', role: 'agent', teamId: front.id });
    expect(hired.teamId).toBe(front.id);
    // An agent who no longer works here is not counted.
    const left = await createUser(admin, { email: 'left@teams.test', password: 'password-123', name: '离职', role: 'agent', teamId: front.id });
    await db.update(users).set({ active: false }).where(eq(users.id, left.id));

    expect((await listTeams(org.ctx.agent)).map((t) => [t.name, t.memberCount])).toEqual([
      ['一线客服', 2],
      ['投诉专席', 1],
    ]);

    // Moving the supervisor out of the complaints desk.
    const out = await setUserTeam(admin, org.userIds.supervisor, { teamId: null });
    expect(out.teamId).toBeNull();
    expect((await listTeams(admin)).find((t) => t.id === complaints.id)?.memberCount).toBe(0);

    const renamed = await updateTeam(admin, front.id, { name: '一线服务组', version: 1 });
    expect(renamed).toMatchObject({ id: front.id, name: '一线服务组', memberCount: 2, version: 2 });

    // A stale version is refused with the current team.
    const stale = await updateTeam(admin, front.id, { name: '别的名字', version: 1 }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(Conflict);
    expect((stale as Conflict).messageKey).toBe('error.stale_version');
    expect((stale as Conflict).current).toMatchObject({ name: '一线服务组', version: 2 });

    // Renaming to another team's name is a conflict; keeping its own name is not.
    const taken = await updateTeam(admin, front.id, { name: '投诉专席', version: 2 }).catch((e: unknown) => e);
    expect((taken as Conflict).messageKey).toBe('error.team_exists');
    expect((await updateTeam(admin, front.id, { name: '一线服务组', version: 2 })).version).toBe(3);

    const audit = await listAudit(admin, { entityId: org.userIds.supervisor });
    // Newest first.
    expect(audit.items.filter((e) => e.action === 'user.set_team').map((e) => e.data)).toEqual([
      { from: complaints.id, to: null },
      { from: null, to: complaints.id },
    ]);
  });

  it('keeps teams and users of another organization apart and lets only admins write', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'Mine');
    const other = await seedOrg(db, 'Theirs');
    const mine = await createTeam(org.ctx.admin, { name: '一线客服' });
    // The same name in another organization is fine.
    const theirs = await createTeam(other.ctx.admin, { name: '一线客服' });

    expect((await listTeams(other.ctx.agent)).map((t) => t.id)).toEqual([theirs.id]);
    const foreignTeam = await setUserTeam(org.ctx.admin, org.userIds.agent, { teamId: theirs.id }).catch((e: unknown) => e);
    expect(foreignTeam).toBeInstanceOf(Invalid);
    expect((foreignTeam as Invalid).fields).toMatchObject([{ path: 'teamId', code: 'unknown_team', message: 'Unknown team' }]);
    const foreignCreate = await createUser(org.ctx.admin, { email: 'x@mine.test', password: 'password-123', name: 'X', role: 'agent', teamId: theirs.id }).catch((e: unknown) => e);
    expect((foreignCreate as Invalid).fields).toMatchObject([{ path: 'teamId', code: 'unknown_team', message: 'Unknown team' }]);
    await expect(setUserTeam(org.ctx.admin, other.userIds.agent, { teamId: mine.id })).rejects.toBeInstanceOf(NotFound);
    await expect(updateTeam(org.ctx.admin, theirs.id, { name: '改名', version: 1 })).rejects.toBeInstanceOf(NotFound);

    await expect(createTeam(org.ctx.supervisor, { name: '投诉专席' })).rejects.toBeInstanceOf(Forbidden);
    await expect(updateTeam(org.ctx.supervisor, mine.id, { name: '改名', version: 1 })).rejects.toBeInstanceOf(Forbidden);
    await expect(setUserTeam(org.ctx.supervisor, org.userIds.agent, { teamId: mine.id })).rejects.toBeInstanceOf(Forbidden);
    expect((await listTeams(org.ctx.admin)).map((t) => [t.name, t.memberCount, t.version])).toEqual([['一线客服', 0, 1]]);
  });

  it('serves the team routes: 201, 409 in the caller language for a duplicate name and a stale version, 400 and 404, 403 for non-admins', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Routes');
    const other = await seedOrg(db, 'Elsewhere');
    const foreign = await createTeam(other.ctx.admin, { name: '投诉专席' });
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    const login = async (email: string) =>
      (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: org.password } })).json().token as string;
    const admin = { authorization: `Bearer ${await login(org.emails.admin)}`, 'accept-language': 'en' };
    const agent = { authorization: `Bearer ${await login(org.emails.agent)}`, 'accept-language': 'zh-CN' };

    const created = await app.inject({ method: 'POST', url: '/api/teams', headers: admin, payload: { name: '一线客服' } });
    expect(created.statusCode).toBe(201);
    const team = created.json();
    const dup = await app.inject({ method: 'POST', url: '/api/teams', headers: admin, payload: { name: '一线客服' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toEqual({ code: 'conflict', message: 'The team 一线客服 already exists' });
    const dupZh = await app.inject({ method: 'POST', url: '/api/teams', headers: { ...admin, 'accept-language': 'zh-CN' }, payload: { name: '一线客服' } });
    expect(dupZh.json().message).toBe('班组 一线客服 已存在');
    expect((await app.inject({ method: 'POST', url: '/api/teams', headers: agent, payload: { name: '坐席' } })).statusCode).toBe(403);

    const put = await app.inject({ method: 'PUT', url: `/api/users/${org.userIds.agent}/team`, headers: admin, payload: { teamId: team.id } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ id: org.userIds.agent, teamId: team.id });
    const wrongTeam = await app.inject({ method: 'PUT', url: `/api/users/${org.userIds.agent}/team`, headers: admin, payload: { teamId: foreign.id } });
    expect(wrongTeam.statusCode).toBe(400);
    expect(wrongTeam.json().fields).toEqual([{ path: 'teamId', code: 'unknown_team', message: 'Unknown team' }]);
    const wrongUser = await app.inject({ method: 'PUT', url: `/api/users/${other.userIds.agent}/team`, headers: admin, payload: { teamId: team.id } });
    expect(wrongUser.statusCode).toBe(404);
    expect((await app.inject({ method: 'PUT', url: `/api/users/${org.userIds.agent}/team`, headers: agent, payload: { teamId: null } })).statusCode).toBe(403);

    const list = await app.inject({ method: 'GET', url: '/api/teams', headers: agent });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((t: { name: string; memberCount: number }) => [t.name, t.memberCount])).toEqual([['一线客服', 1]]);
    const users = await app.inject({ method: 'GET', url: '/api/users', headers: admin });
    expect(users.json().items.find((u: { id: string }) => u.id === org.userIds.agent).teamId).toBe(team.id);
    const withTeam = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: admin,
      payload: { email: 'second@routes.test', password: 'password-123', name: '二号', role: 'agent', teamId: team.id },
    });
    expect(withTeam.statusCode).toBe(201);
    expect(withTeam.json().teamId).toBe(team.id);

    const rename = await app.inject({ method: 'PATCH', url: `/api/teams/${team.id}`, headers: admin, payload: { name: '一线服务组', version: 1 } });
    expect(rename.statusCode).toBe(200);
    expect(rename.json()).toMatchObject({ name: '一线服务组', version: 2, memberCount: 2 });
    const stale = await app.inject({ method: 'PATCH', url: `/api/teams/${team.id}`, headers: admin, payload: { name: '别的', version: 1 } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'conflict', message: 'This record was changed by someone else; reload and try again', current: { name: '一线服务组', version: 2 } });
    const missing = await app.inject({ method: 'PATCH', url: `/api/teams/${foreign.id}`, headers: admin, payload: { name: '别的', version: 1 } });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe('team not found');
    expect((await app.inject({ method: 'PATCH', url: `/api/teams/${team.id}`, headers: agent, payload: { name: '坐席', version: 2 } })).statusCode).toBe(403);

    const paths = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/api/teams']).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/teams/{id}'])).toEqual(['patch']);
    expect(Object.keys(paths['/api/users/{id}/team'])).toEqual(['put']);
    await app.close();
  });
});
