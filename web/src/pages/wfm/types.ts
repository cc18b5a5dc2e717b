// Shapes of the WFM planner API (src/wfm/schemas.ts), as the web app reads them.
import type { z } from 'zod';
import type {
  adherenceOutput, adherenceTimelineOutput, agentPreferencesOutput, forecastOutput, myScheduleOutput, requirementOutput, requirementSummary, rosterOutput, rosterShiftOutput, seriesOutput, shiftPlanOutput, shiftTemplateOutput, swapOutput,
} from '../../../../src/wfm/schemas.ts';

export type Series = z.infer<typeof seriesOutput>;
export type Forecast = z.infer<typeof forecastOutput>;
export type Requirement = z.infer<typeof requirementOutput>;
export type RequirementSummary = z.infer<typeof requirementSummary>;
export type ShiftTemplate = z.infer<typeof shiftTemplateOutput>;
export type ShiftPlan = z.infer<typeof shiftPlanOutput>;
export type Roster = z.infer<typeof rosterOutput>;
export type RosterShift = z.infer<typeof rosterShiftOutput>;
export type Swap = z.infer<typeof swapOutput>;
export type MySchedule = z.infer<typeof myScheduleOutput>;
export type Adherence = z.infer<typeof adherenceOutput>;
export type AdherenceTimeline = z.infer<typeof adherenceTimelineOutput>;
export type AgentPreferences = z.infer<typeof agentPreferencesOutput>;

export interface WhatIfResult {
  replications: number;
  queues: { id: string; offered: number; serviceLevel: number; serviceLevelCi95: [number, number] | null; asa: number; asaCi95: [number, number] | null; pAbandon: number; pAbandonCi95: [number, number] | null; occupancy: number }[];
  overall: { offered: number; occupancy: number };
}

export const hhmm = (minute: number) => `${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
export const pct = (x: number | null | undefined, digits = 1) => (x == null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`);
/** A queued or running run (forecast, shift plan, roster): the UI polls it. */
export const inProgress = (status: string | undefined) => status === 'queued' || status === 'running';
/** Local HH:MM of an instant (the browser's time zone). */
export const hhmmOf = (ms: number) => { const d = new Date(ms); return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`; };
