// Simulation and routing benchmarks (issue 5):
//   npx tsx bench/wfm-sim.ts [--replications 1] [--decisions 2000000] [--only sim,routing]
// - one day of the seeds' telecom center: ~370,000 calls to agents (front line + 5 specialist desks, 10% of
//   front-line calls transferred to a desk), 3,000 agents on a 15-minute intraday schedule → ≤ 10 s per replication;
// - routing decisions per second with 3,000 agents and ~300 waiting calls → ≥ 50,000.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { simulateReplication, type SimulationInput, type SimAgentGroupInput, type SimQueueInput } from '../src/wfm/model/simulation.ts';
import { Router } from '../src/contact-center/model/routing.ts';
import { stream } from '../src/wfm/model/random.ts';

const { values: args } = parseArgs({
  options: {
    replications: { type: 'string', default: '1' },
    decisions: { type: 'string', default: '2000000' },
    only: { type: 'string', default: 'sim,routing' },
  },
});
const only = new Set(args.only.split(','));
const out = (s: string) => process.stdout.write(`${s}\n`);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

// Hourly shape of a Chinese telecom hotline (low at night, peaks mid-morning and mid-afternoon, an evening shoulder).
const HOURLY = [0.1, 0.06, 0.04, 0.03, 0.03, 0.05, 0.12, 0.3, 0.65, 0.95, 1.0, 0.92, 0.7, 0.78, 0.9, 0.88, 0.82, 0.75, 0.6, 0.62, 0.58, 0.45, 0.3, 0.18];
const INTERVAL_MIN = 15;
const N_INT = (24 * 60) / INTERVAL_MIN;

function profile(dailyCalls: number): number[] {
  const w = Array.from({ length: N_INT }, (_, i) => {
    const h = (i * INTERVAL_MIN) / 60;
    const a = Math.floor(h);
    const f = h - a;
    return HOURLY[a] * (1 - f) + HOURLY[(a + 1) % 24] * f;
  });
  const sum = w.reduce((s, x) => s + x, 0);
  // calls per hour in each interval
  return w.map((x) => ((dailyCalls * x) / sum) * (60 / INTERVAL_MIN));
}

/** Agents to schedule per interval for a load (Erlangs): square-root staffing with an 88% occupancy cap, within headcount. */
const staff = (load: number, head: number) => Math.min(head, Math.max(Math.ceil(load + Math.sqrt(load) + 1), Math.ceil(load / 0.88)));

export function seedsCenter(): SimulationInput {
  const DESKS = ['complaints', 'key-accounts', 'data-services', 'devices', 'billing'];
  const frontDaily = 305_000;
  const deskDaily = 7_000; // direct from the IVR, per desk
  const transferP = 0.02; // per desk, of front-line calls answered
  const front = profile(frontDaily);
  const frontAht = 190;
  const deskAht = 330;
  const queues: SimQueueInput[] = [
    {
      id: 'front',
      arrivalsPerHour: front,
      ahtSeconds: frontAht,
      patienceSeconds: 180,
      targetSeconds: 20,
      transfers: DESKS.map((to) => ({ to, probability: transferP })),
    },
    ...DESKS.map(
      (id): SimQueueInput => ({
        id,
        arrivalsPerHour: profile(deskDaily),
        ahtSeconds: deskAht,
        patienceSeconds: 240,
        targetSeconds: 30,
        priority: id === 'key-accounts' ? 2 : 1,
        serviceDistribution: 'lognormal',
        serviceCv: 0.9,
        overflow: { afterSeconds: 90, skills: ['universal'] },
      }),
    ),
  ];
  const frontLoad = front.map((r) => (r * frontAht) / 3600);
  const deskLoad = profile(deskDaily + frontDaily * transferP * 0.95).map((r) => (r * deskAht) / 3600);
  const agents: SimAgentGroupInput[] = [
    { name: 'front line', count: 2_300, skills: [{ skill: 'front', proficiency: 3 }], present: frontLoad.map((l) => staff(l * 0.95, 2_300)) },
    ...DESKS.map(
      (d): SimAgentGroupInput => ({
        name: d,
        count: 120,
        skills: [
          { skill: d, proficiency: 5 },
          { skill: 'front', proficiency: 2 },
        ],
        present: deskLoad.map((l) => staff(l, 120)),
      }),
    ),
    {
      name: 'universal',
      count: 100,
      skills: [...DESKS.map((d) => ({ skill: d, proficiency: 3 })), { skill: 'universal', proficiency: 3 }],
      present: deskLoad.map((l) => Math.min(100, Math.ceil(l * 0.6))),
    },
  ];
  return { durationMinutes: 24 * 60, replications: 1, seed: 5, intervalMinutes: INTERVAL_MIN, queues, agents };
}

out(`machine: ${os.cpus().length} CPU(s), load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);

if (only.has('sim')) {
  const input = seedsCenter();
  const headcount = input.agents.reduce((s, g) => s + g.count, 0);
  const reps = Number(args.replications);
  const times: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const res = simulateReplication(input, r);
    const sec = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    times.push(sec);
    out(`replication ${r}: ${sec.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU`);
    const offered = Object.values(res.queues).reduce((s, q) => s + q.offered, 0);
    out(`replication ${r}: ${offered.toLocaleString('en')} calls offered to agent queues (${res.calls.toLocaleString('en')} arrivals + transfers), ${headcount.toLocaleString('en')} agents, ${res.events.toLocaleString('en')} events, overall occupancy ${res.occupancy.toFixed(3)}`);
    for (const [id, q] of Object.entries(res.queues))
      out(`  ${id.padEnd(14)} offered ${String(q.offered).padStart(7)}  SL ${q.serviceLevel.toFixed(3)}  ASA ${q.asa.toFixed(1).padStart(6)} s  abandon ${q.pAbandon.toFixed(3)}  occupancy ${q.occupancy.toFixed(3)}`);
  }
  const worst = Math.max(...times);
  out(`simulation, one day of the seeds' center: ${worst.toFixed(2)} s per replication (worst of ${reps})   target ≤ 10 s   ${verdict(worst <= 10)}`);
}

if (only.has('routing')) {
  const DESKS = ['complaints', 'key-accounts', 'data-services', 'devices', 'billing'];
  const u = stream(42, 0);
  const router = new Router();
  const busy: string[] = [];
  for (let i = 0; i < 3_000; i++) {
    const skills = i < 2_300 ? [{ skill: 'front', proficiency: 1 + (i % 5) }] : [{ skill: DESKS[i % 5], proficiency: 5 }, { skill: 'front', proficiency: 2 }];
    router.upsertAgent({ id: `a${i}`, skills }, 'on_call', 0);
    busy.push(`a${i}`);
  }
  let callId = 0;
  const offer = (now: number) => {
    const r = u();
    const skill = r < 0.8 ? 'front' : DESKS[Math.floor((r - 0.8) * 25)];
    return router.offerCall({ id: `c${callId++}`, queue: skill, skill, priority: r < 0.05 ? 2 : 0, overflow: skill === 'front' ? undefined : { afterSeconds: 60, skills: ['front'] } }, now);
  };
  for (let i = 0; i < 300; i++) offer(0);
  const decisions = Number(args.decisions);
  let now = 1;
  let made = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (made < decisions) {
    now += 0.01;
    // a call arrives
    const a = offer(now);
    made++;
    if (a) {
      busy.push(a.agentId);
      router.forgetCall(a.call.id);
    }
    // a busy agent finishes and takes the next call (or idles)
    const k = Math.floor(u() * busy.length);
    const agentId = busy[k];
    busy[k] = busy[busy.length - 1];
    busy.pop();
    const b = router.setAgentState(agentId, 'available', now);
    made++;
    if (b) {
      busy.push(agentId);
      router.forgetCall(b.call.id);
    }
    for (const o of router.releaseOverflows(now)) {
      busy.push(o.agentId);
      router.forgetCall(o.call.id);
    }
  }
  const sec = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const perSec = made / sec;
  out(`routing: ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU, ${Math.round(made / ((cpu.user + cpu.system) / 1e6)).toLocaleString('en')} decisions per CPU second`);
  const waiting = ['front', ...DESKS].reduce((s, d) => s + router.waitingCount(d), 0);
  out(`routing: ${made.toLocaleString('en')} decisions in ${sec.toFixed(2)} s with 3,000 agents, ${waiting} calls waiting at the end`);
  out(`routing decisions per second: ${Math.round(perSec).toLocaleString('en')}   target ≥ 50,000   ${verdict(perSec >= 50_000)}`);
}
