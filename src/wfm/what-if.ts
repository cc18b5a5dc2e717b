// What-if planning (模拟推演): the discrete-event simulation (model/simulation.ts) of queues and agent groups with
// replications and 95% confidence intervals, behind the planner's form. Runs in the request; the size is capped
// (calls × replications) so one request stays within a few seconds.
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { simulate, SimulationInputError, type SimulationResult } from './model/simulation.ts';
import { simulationInputSchema } from './simulate-schema.ts';
import type { z } from 'zod';

export const WHAT_IF_MAX_CALLS = 400_000;

export function runWhatIf(ctx: Ctx, raw: z.input<typeof simulationInputSchema>): SimulationResult {
  assertCan(ctx.actor, 'wfm.plan');
  const input = simulationInputSchema.parse(raw);
  const perHour = input.queues.reduce((s, q) => s + (Array.isArray(q.arrivalsPerHour) ? q.arrivalsPerHour.reduce((a, b) => a + b, 0) / q.arrivalsPerHour.length : q.arrivalsPerHour), 0);
  if ((perHour * input.durationMinutes / 60) * input.replications > WHAT_IF_MAX_CALLS) {
    throw new Invalid([fieldError('replications', 'too_large', 'field.wfm.too_many_calls', { max: WHAT_IF_MAX_CALLS })]);
  }
  try {
    return simulate(input);
  } catch (err) {
    if (err instanceof SimulationInputError) throw new Invalid([fieldError('queues', 'invalid', 'field.wfm.simulation_input', { detail: err.message })]);
    throw err;
  }
}
