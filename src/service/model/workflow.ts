// The service order workflow (售后服务单状态机) as pure data and functions: allowed transitions,
// reopen, first-response stamping and the SLA pause rule. No database, no clock.
import type { ServiceStatus } from '../tables.ts';

/**
 * new → assigned → in_progress → waiting_on_customer → resolved → closed, plus the shortcuts a desk
 * needs: resolve at first contact (new → resolved), start work without a formal assignment
 * (new → in_progress), and reopen from resolved or closed (→ in_progress).
 */
export const transitions: Record<ServiceStatus, readonly ServiceStatus[]> = {
  new: ['assigned', 'in_progress', 'resolved'],
  assigned: ['in_progress', 'waiting_on_customer', 'resolved'],
  in_progress: ['waiting_on_customer', 'resolved'],
  waiting_on_customer: ['in_progress', 'resolved'],
  resolved: ['closed', 'in_progress'],
  closed: ['in_progress'],
};

export function allowedTransitions(from: ServiceStatus): readonly ServiceStatus[] {
  return transitions[from];
}

export function canTransition(from: ServiceStatus, to: ServiceStatus): boolean {
  return transitions[from].includes(to);
}

/** Going back to work from resolved or closed. */
export function isReopen(from: ServiceStatus, to: ServiceStatus): boolean {
  return (from === 'resolved' || from === 'closed') && to === 'in_progress';
}

/** The first move by staff out of new/assigned is the first response (首次响应). */
export function stampsFirstResponse(from: ServiceStatus, to: ServiceStatus, alreadyResponded: boolean): boolean {
  return !alreadyResponded && (from === 'new' || from === 'assigned') && to !== 'new' && to !== 'assigned';
}

/**
 * The SLA clock stops while the order waits on the customer and while it is resolved (until it is
 * reopened or closed for good): entering such a status opens a pause, leaving it closes the pause.
 */
export function isPausedStatus(s: ServiceStatus): boolean {
  return s === 'waiting_on_customer' || s === 'resolved' || s === 'closed';
}

export type PauseChange = 'open' | 'close' | 'none';

export function pauseChange(from: ServiceStatus, to: ServiceStatus): PauseChange {
  const a = isPausedStatus(from);
  const b = isPausedStatus(to);
  if (!a && b) return 'open';
  if (a && !b) return 'close';
  return 'none';
}

const priorityOrder = ['low', 'normal', 'high', 'urgent'] as const;
export type PriorityLevel = (typeof priorityOrder)[number];

/** One step up, urgent stays urgent (the raise_priority escalation). */
export function raisedPriority(p: PriorityLevel): PriorityLevel {
  const i = priorityOrder.indexOf(p);
  return priorityOrder[Math.min(i + 1, priorityOrder.length - 1)];
}
