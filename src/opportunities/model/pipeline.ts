// The opportunity pipeline (销售漏斗): which stage moves are allowed, who owns a new opportunity and
// when its first follow-up is due. Pure rules; no database, no clock.
import type { NeedGrade, OpportunityStage } from '../tables.ts';

const openOrder: Record<OpportunityStage, number> = { new: 0, contacted: 1, proposal: 2, won: 3, lost: 3 };

export function isClosed(stage: OpportunityStage): boolean {
  return stage === 'won' || stage === 'lost';
}

/**
 * Forward only: new → contacted → proposal, skipping allowed (a customer may want a quote on the
 * first call), and won or lost from any open stage. Won and lost are final: a sale that comes back
 * is a return (which reverses the commission), and a lost customer who returns is a new need.
 */
export function canMove(from: OpportunityStage, to: OpportunityStage): boolean {
  if (isClosed(from) || from === to) return false;
  if (isClosed(to)) return true;
  return openOrder[to] > openOrder[from];
}

export function allowedMoves(from: OpportunityStage): OpportunityStage[] {
  return (['new', 'contacted', 'proposal', 'won', 'lost'] as const).filter((to) => canMove(from, to));
}

export const defaultFollowUpDays: Record<NeedGrade, number> = { A: 1, B: 3, C: 7 };

/** First follow-up: `days[grade]` whole days (24 h each) after the need was recorded. */
export function followUpDue(recordedAt: Date, grade: NeedGrade, days: Record<NeedGrade, number> = defaultFollowUpDays): Date {
  return new Date(recordedAt.getTime() + days[grade] * 86_400_000);
}

export interface OwnerFacts {
  /** The customer's manager (客户经理), when they have one and the account is active. */
  customerManagerId: string | null;
  /** The organization's configured sales team for customers without a manager. */
  defaultTeamId: string | null;
  finderId: string | null;
  finderTeamId: string | null;
}

/**
 * Owner of a new opportunity: the customer's manager; else the organization's sales team; else the
 * finder's own team; else the finder (someone must follow it up).
 */
export function chooseOwner(f: OwnerFacts): { ownerUserId: string | null; ownerTeamId: string | null } {
  if (f.customerManagerId) return { ownerUserId: f.customerManagerId, ownerTeamId: null };
  if (f.defaultTeamId) return { ownerUserId: null, ownerTeamId: f.defaultTeamId };
  if (f.finderTeamId) return { ownerUserId: null, ownerTeamId: f.finderTeamId };
  return { ownerUserId: f.finderId, ownerTeamId: null };
}
