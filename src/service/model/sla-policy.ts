// SLA policy choice and due times, pure. A policy matches an order when each of its non-empty
// criteria matches (types: the order's type is listed; priorities: the priority is listed; tags: the
// customer has at least one of them; tier: equals the customer's tier). Among the matches the lowest
// `rank` wins; on equal rank the more specific one (more non-empty criteria); then the older one.
import type { BusinessCalendar } from './business-calendar.ts';
import { slaDueAt, type Pause } from './sla-clock.ts';

export interface PolicyRule {
  id: string;
  types: string[];
  priorities: string[];
  tags: string[];
  tier: string | null;
  rank: number;
  createdAt: Date;
}

export interface PolicyFacts {
  type: string;
  priority: string;
  customerTags: string[];
  customerTier: string | null;
}

export function policyMatches(p: PolicyRule, f: PolicyFacts): boolean {
  if (p.types.length && !p.types.includes(f.type)) return false;
  if (p.priorities.length && !p.priorities.includes(f.priority)) return false;
  if (p.tags.length && !p.tags.some((t) => f.customerTags.includes(t))) return false;
  if (p.tier !== null && p.tier !== f.customerTier) return false;
  return true;
}

export function specificity(p: PolicyRule): number {
  return (p.types.length ? 1 : 0) + (p.priorities.length ? 1 : 0) + (p.tags.length ? 1 : 0) + (p.tier !== null ? 1 : 0);
}

export function choosePolicy<P extends PolicyRule>(policies: readonly P[], facts: PolicyFacts): P | null {
  const matching = policies.filter((p) => policyMatches(p, facts));
  matching.sort((a, b) => a.rank - b.rank || specificity(b) - specificity(a) || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
  return matching[0] ?? null;
}

export interface SlaTargets {
  firstResponseMinutes: number;
  resolutionMinutes: number;
  atRiskPercent: number;
}

export interface SlaTimes {
  firstResponseDueAt: Date | null;
  firstResponseAtRiskAt: Date | null;
  resolutionDueAt: Date | null;
  resolutionAtRiskAt: Date | null;
}

/** Minutes of a target after which it is at risk: the percentage, rounded up, at least 0. */
export function atRiskMinutes(minutes: number, percent: number): number {
  return Math.max(0, Math.ceil((minutes * percent) / 100));
}

/** Due and at-risk times of both targets from the start, through the calendar and the pauses (null while paused). */
export function slaTimes(cal: BusinessCalendar, start: Date, t: SlaTargets, pauses: Pause[]): SlaTimes {
  return {
    firstResponseDueAt: slaDueAt(cal, start, t.firstResponseMinutes, pauses),
    firstResponseAtRiskAt: slaDueAt(cal, start, atRiskMinutes(t.firstResponseMinutes, t.atRiskPercent), pauses),
    resolutionDueAt: slaDueAt(cal, start, t.resolutionMinutes, pauses),
    resolutionAtRiskAt: slaDueAt(cal, start, atRiskMinutes(t.resolutionMinutes, t.atRiskPercent), pauses),
  };
}

export const noSlaTimes: SlaTimes = { firstResponseDueAt: null, firstResponseAtRiskAt: null, resolutionDueAt: null, resolutionAtRiskAt: null };

/** The earliest due time not met yet: first response until it happened, then resolution. */
export function nextDueAt(times: SlaTimes, firstResponded: boolean): Date | null {
  const candidates = [firstResponded ? null : times.firstResponseDueAt, times.resolutionDueAt].filter((d): d is Date => d !== null);
  if (!candidates.length) return null;
  return new Date(Math.min(...candidates.map((d) => d.getTime())));
}
