// Demo products and orders, generated deterministically: for the same seed and the same customers
// (in id order) the same orders, lines, stage events and returns, whatever the batch size or
// database. Pure: no I/O; the anchor (clock) and the id generator are passed in.
import { createRng, WeightedTable, type Rng } from '../../../customers/demo/model/prng.ts';
import { orderStages, type OrderStage } from '../../tables.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;

export interface DemoProduct {
  sku: string;
  name: string;
  category: string;
  priceMinor: number;
  costMinor: number;
  consumptionCycleDays: number | null;
  /** Relative popularity. */
  weight: number;
}

/** The demo catalogue: household appliances and their consumables (the replenishment use case). */
export const demoProducts: readonly DemoProduct[] = [
  { sku: 'WP-100', name: '净水器 RO-100', category: '净水', priceMinor: 199_900, costMinor: 120_000, consumptionCycleDays: null, weight: 3 },
  { sku: 'WP-F1', name: '净水器PP棉滤芯', category: '耗材', priceMinor: 9_900, costMinor: 3_000, consumptionCycleDays: 90, weight: 10 },
  { sku: 'WP-F2', name: '净水器RO膜滤芯', category: '耗材', priceMinor: 39_900, costMinor: 15_000, consumptionCycleDays: 365, weight: 4 },
  { sku: 'AP-200', name: '空气净化器 AP-200', category: '空气', priceMinor: 259_900, costMinor: 150_000, consumptionCycleDays: null, weight: 3 },
  { sku: 'AP-H13', name: '空气净化器HEPA滤网', category: '耗材', priceMinor: 19_900, costMinor: 6_000, consumptionCycleDays: 180, weight: 7 },
  { sku: 'VC-X5', name: '扫地机器人 X5', category: '清洁', priceMinor: 299_900, costMinor: 180_000, consumptionCycleDays: null, weight: 3 },
  { sku: 'VC-KIT', name: '扫地机边刷尘袋套装', category: '耗材', priceMinor: 8_900, costMinor: 2_500, consumptionCycleDays: 60, weight: 8 },
  { sku: 'CM-10', name: '胶囊咖啡机', category: '厨房', priceMinor: 129_900, costMinor: 70_000, consumptionCycleDays: null, weight: 2 },
  { sku: 'CM-CAP', name: '咖啡胶囊（50粒）', category: '耗材', priceMinor: 14_900, costMinor: 6_000, consumptionCycleDays: 30, weight: 9 },
  { sku: 'RC-5L', name: '智能电饭煲 5L', category: '厨房', priceMinor: 59_900, costMinor: 30_000, consumptionCycleDays: null, weight: 4 },
  { sku: 'TB-EH', name: '电动牙刷', category: '个护', priceMinor: 29_900, costMinor: 12_000, consumptionCycleDays: null, weight: 4 },
  { sku: 'TB-HD', name: '电动牙刷刷头（4支）', category: '耗材', priceMinor: 12_900, costMinor: 3_000, consumptionCycleDays: 90, weight: 8 },
  { sku: 'WS-8KG', name: '滚筒洗衣机 8kg', category: '大家电', priceMinor: 329_900, costMinor: 220_000, consumptionCycleDays: null, weight: 2 },
  { sku: 'WS-CLN', name: '洗衣机槽清洁剂', category: '耗材', priceMinor: 3_990, costMinor: 1_000, consumptionCycleDays: 30, weight: 6 },
  { sku: 'SV-2Y', name: '延保服务（2年）', category: '服务', priceMinor: 29_900, costMinor: 5_000, consumptionCycleDays: null, weight: 2 },
];

const channels = new WeightedTable(['天猫', '京东', '门店', '微信小程序', '电话', '抖音'], [30, 25, 20, 12, 5, 8]);
const returnReasons = ['商品破损', '不想要了', '质量问题', '发错货', '尺寸/型号不合适'];
const returnOutcomes = { return: '已退款', exchange: '已换新' } as const;

/** Minutes between entering a stage and entering the next one: [min, max]. */
const stageMinutes: Record<Exclude<OrderStage, 'feedback'>, [number, number]> = {
  received: [10, 360],
  allocated: [60, 1_800],
  in_production: [240, 3_600],
  dispatched: [1_440, 7_200],
  delivered: [1_440, 14_400],
  settled: [1_440, 20_160],
};

export interface DemoCustomerRef {
  id: string;
  ownerId: string | null;
  createdAt: Date;
}

export interface DemoOrder {
  id: string;
  customerId: string;
  ownerId: string | null;
  orderNo: string;
  channel: string;
  totalMinor: number;
  status: 'open' | 'completed';
  stage: OrderStage;
  stageAt: Date;
  orderedAt: Date;
  lines: { id: string; lineNo: number; sku: string; quantity: number; unitPriceMinor: number; amountMinor: number }[];
  events: { id: string; stage: OrderStage; fromStage: OrderStage | null; at: Date; actorId: string | null }[];
  returns: { id: string; lineId: string; kind: 'return' | 'exchange'; quantity: number; amountMinor: number; reason: string; outcome: string; at: Date }[];
}

export class DemoOrderGenerator {
  private readonly rng: Rng;
  private readonly life: Rng;
  private readonly productTable = new WeightedTable(demoProducts, demoProducts.map((p) => p.weight));
  private readonly consumables = demoProducts.filter((p) => p.consumptionCycleDays !== null);

  constructor(
    seed: string | number,
    private readonly anchor: Date,
    private readonly opts: { ordersPerCustomer: number; newId: () => string; staff: readonly string[] },
  ) {
    this.rng = createRng(seed, 'orders');
    this.life = createRng(seed, 'orders-life');
  }

  /** The orders of one customer (about M on average, very unequal between customers), oldest first. */
  ordersOf(c: DemoCustomerRef): DemoOrder[] {
    const rng = this.rng;
    const n = rng.int(0, 2 * this.opts.ordersPerCustomer);
    const anchor = this.anchor.getTime();
    const from = Math.max(c.createdAt.getTime(), anchor - 3 * 365 * DAY);
    // A customer who buys a consumable tends to rebuy the same one at roughly its cycle.
    const habit = rng.pick(this.consumables);
    // 客户流失: about 40% of customers stop buying at a random point of their span (the BG/NBD story),
    // so recency, frequency and P(alive) vary. Drawn from a stream of its own: the main stream (lines,
    // stages, returns) draws the same numbers as before.
    const span = Math.max(anchor - from, DAY);
    const active = this.life.chance(0.4) ? Math.max(DAY, Math.floor(this.life.next() * span)) : span;
    // Purchase rates differ a lot between customers (a gamma mixture, as in NBD models): scale the
    // count by an Exp(1) factor, same mean.
    const count = Math.min(10 * this.opts.ordersPerCustomer + 10, Math.round(n * -Math.log(1 - this.life.next())));
    const times: number[] = [];
    for (let i = 0; i < count; i++) times.push(from + Math.floor(rng.next() * active));
    times.sort((a, b) => a - b);
    return times.map((orderedAt) => this.order(c, Math.min(orderedAt, anchor - MINUTE), habit));
  }

  private order(c: DemoCustomerRef, orderedAt: number, habit: DemoProduct): DemoOrder {
    const rng = this.rng;
    const id = this.opts.newId();
    const picked = new Map<string, DemoProduct>();
    if (rng.chance(0.6)) picked.set(habit.sku, habit);
    const extra = rng.int(picked.size ? 0 : 1, 2);
    for (let i = 0; i < extra; i++) {
      const p = this.productTable.pick(rng);
      picked.set(p.sku, p);
    }
    const lines = [...picked.values()].map((p, i) => {
      const quantity = p.consumptionCycleDays !== null ? rng.int(1, 3) : 1;
      const discount = rng.chance(0.2) ? rng.int(80, 95) / 100 : 1;
      const amountMinor = Math.round(p.priceMinor * quantity * discount);
      return { id: this.opts.newId(), lineNo: i + 1, sku: p.sku, quantity, unitPriceMinor: p.priceMinor, amountMinor };
    });
    const actor = () => (this.opts.staff.length ? rng.pick(this.opts.staff) : null);
    const events: DemoOrder['events'] = [{ id: this.opts.newId(), stage: 'received', fromStage: null, at: new Date(orderedAt), actorId: actor() }];
    let at = orderedAt;
    for (let i = 1; i < orderStages.length; i++) {
      const prev = orderStages[i - 1] as Exclude<OrderStage, 'feedback'>;
      const [lo, hi] = stageMinutes[prev];
      // Some orders skip production (stock items).
      if (orderStages[i] === 'in_production' && rng.chance(0.5)) continue;
      const next = at + rng.int(lo, hi) * MINUTE;
      if (next >= this.anchor.getTime()) break;
      at = next;
      events.push({ id: this.opts.newId(), stage: orderStages[i], fromStage: events[events.length - 1].stage, at: new Date(at), actorId: actor() });
    }
    const last = events[events.length - 1];
    const returns: DemoOrder['returns'] = [];
    if (stageIndexOf(last.stage) >= stageIndexOf('delivered') && rng.chance(0.04)) {
      const line = rng.pick(lines);
      const kind = rng.chance(0.6) ? 'return' : 'exchange';
      const quantity = rng.int(1, line.quantity);
      const deliveredAt = events.find((e) => e.stage === 'delivered')!.at.getTime();
      const when = Math.min(deliveredAt + rng.int(60, 10_080) * MINUTE, this.anchor.getTime() - MINUTE);
      returns.push({
        id: this.opts.newId(),
        lineId: line.id,
        kind,
        quantity,
        amountMinor: kind === 'return' ? Math.round((line.amountMinor * quantity) / line.quantity) : 0,
        reason: rng.pick(returnReasons),
        outcome: returnOutcomes[kind],
        at: new Date(when),
      });
    }
    const day = new Date(orderedAt + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
    return {
      id,
      customerId: c.id,
      ownerId: c.ownerId,
      // Unique like the id (a later run never collides); everything else follows from the seed.
      orderNo: `DM${day}${id.slice(-10).toUpperCase()}`,
      channel: channels.pick(rng),
      totalMinor: lines.reduce((s, l) => s + l.amountMinor, 0),
      status: last.stage === 'feedback' ? 'completed' : 'open',
      stage: last.stage,
      stageAt: last.at,
      orderedAt: new Date(orderedAt),
      lines,
      events,
      returns,
    };
  }
}

function stageIndexOf(s: OrderStage): number {
  return orderStages.indexOf(s);
}
