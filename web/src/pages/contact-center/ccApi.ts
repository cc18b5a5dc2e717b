// The contact center's API contract for the UI: types taken from the server's zod schemas (type-only),
// the runtime lists the pages need, and the shared queries (queues, skills, agents, teams).
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import { ApiError, api } from '../../api/client.ts';
import type {
  AgentOutput, CallOutput, IvrTree, KpiRow, QueueOutput, SkillOutput, Wallboard, CreateQueueInput, UpdateQueueInput, CreateAgentInput, UpdateAgentInput,
  ivrVersionOutput, ivrVersionSummary, kpiOutput, orgCalendarOutput,
} from '../../../../src/contact-center/schemas.ts';
import type { TeamOutput } from '../../../../src/platform/teams.ts';

export type Queue = QueueOutput;
export type Skill = SkillOutput;
export type Agent = AgentOutput;
export type Team = TeamOutput;
export type Call = CallOutput;
export type IvrVersion = z.infer<typeof ivrVersionOutput>;
export type IvrVersionSummary = z.infer<typeof ivrVersionSummary>;
export type Kpis = z.infer<typeof kpiOutput>;
export type OrgCalendar = z.infer<typeof orgCalendarOutput>;
export type { IvrTree, KpiRow, Wallboard, CreateQueueInput, UpdateQueueInput, CreateAgentInput, UpdateAgentInput };
export type AgentState = Agent['state'];
export type QueueKind = Queue['kind'];
export type IvrNode = IvrTree['nodes'][number];
export type IvrOption = IvrNode['options'][number];

export const agentStateList = ['available', 'on_call', 'after_call_work', 'break', 'offline'] as const satisfies readonly AgentState[];
export const queueKindList = ['front_line', 'specialist'] as const satisfies readonly QueueKind[];
export const ivrDigits = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'] as const;

export const CC = '/api/contact-center';

export function useQueues() {
  return useQuery({ queryKey: ['cc', 'queues'], queryFn: () => api<{ items: Queue[] }>(`${CC}/queues`) });
}
export function useSkills() {
  return useQuery({ queryKey: ['cc', 'skills'], queryFn: () => api<{ items: Skill[] }>(`${CC}/skills`) });
}
export function useAgents() {
  return useQuery({ queryKey: ['cc', 'agents'], queryFn: () => api<{ items: Agent[] }>(`${CC}/agents`) });
}
/** Today and this week in the organization's time zone (not the browser's): the KPI pages' default days. */
export function useOrgCalendar() {
  return useQuery({ queryKey: ['cc', 'calendar'], queryFn: () => api<OrgCalendar>(`${CC}/calendar`), staleTime: 60_000 });
}

/** Calendar arithmetic on YYYY-MM-DD strings (no time zone involved). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Minutes since local midnight of an instant, in the given time zone (the organization's). */
export function minutesOfDay(iso: string, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

export function useTeams() {
  return useQuery({ queryKey: ['teams'], queryFn: () => api<{ items: Team[] }>('/api/teams'), staleTime: 60_000 });
}

/** A 409 answer: someone saved first. */
export function isConflict(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status === 409;
}

/** Seconds as m:ss (or h:mm:ss), what wallboards show. */
export function formatClock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** A 0–1 rate as a percentage with one decimal, or a dash when there was nothing to divide. */
export function formatRate(r: number | null | undefined): string {
  if (r === null || r === undefined || !Number.isFinite(r)) return '–';
  return `${(r * 100).toFixed(1)}%`;
}

export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return '–';
  return s >= 100 ? String(Math.round(s)) : s.toFixed(1);
}
