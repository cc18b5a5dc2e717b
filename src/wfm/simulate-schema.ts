// The input contract of `kefu wfm simulate` (and of a what-if form posting the same JSON): zod, so a bad file
// gets field-level messages. Mirrors SimulationInput in model/simulation.ts.
import { z } from 'zod';
import type { SimulationInput } from './model/simulation.ts';

const skill = z.union([z.string().min(1), z.object({ skill: z.string().min(1), proficiency: z.number().int().min(1).max(5) })]);

export const simQueueSchema = z.object({
  id: z.string().min(1),
  arrivalsPerHour: z.union([z.number().nonnegative(), z.array(z.number().nonnegative()).min(1)]),
  ahtSeconds: z.number().positive(),
  patienceSeconds: z.number().positive().nullable(),
  targetSeconds: z.number().nonnegative(),
  priority: z.number().optional(),
  priorityMix: z.array(z.object({ priority: z.number(), share: z.number().min(0).max(1) })).min(1).optional(),
  serviceDistribution: z.enum(['exponential', 'lognormal']).optional(),
  serviceCv: z.number().positive().optional(),
  overflow: z.object({ afterSeconds: z.number().nonnegative(), skills: z.array(z.string().min(1)).min(1) }).optional(),
  transfers: z.array(z.object({ to: z.string().min(1), probability: z.number().min(0).max(1) })).optional(),
  callback: z
    .object({ offerWhenExpectedWaitSeconds: z.number().nonnegative(), acceptProbability: z.number().min(0).max(1), targetSeconds: z.number().nonnegative().optional() })
    .optional(),
});

export const simAgentGroupSchema = z.object({
  name: z.string().optional(),
  count: z.number().int().nonnegative(),
  skills: z.array(skill).min(1),
  present: z.array(z.number().int().nonnegative()).min(1).optional(),
});

export const simulationInputSchema = z.object({
  durationMinutes: z.number().positive(),
  replications: z.number().int().min(1).max(1000),
  seed: z.number().int(),
  warmupMinutes: z.number().nonnegative().optional(),
  intervalMinutes: z.number().positive().optional(),
  queues: z.array(simQueueSchema).min(1),
  agents: z.array(simAgentGroupSchema),
}) satisfies z.ZodType<SimulationInput>;
