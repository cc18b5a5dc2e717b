// Commission (提成) of a won order under an organization's rules, and its reversal when goods come
// back. Pure integer arithmetic on minor units (分); no database, no clock.
//
// Rule choice, per order line: among the active rules that apply to the line, the most specific wins —
// a rule for the line's own product category beats a rule for any category (category null); between
// equally specific rules the higher `priority` wins, then the lower id (stable). A fixed rule applies
// only to orders in its own currency (a fixed amount cannot be converted without a rate).
//
// Amounts:
// - percent: line net amount × basis points / 10 000, rounded half up on minor units
//   (e.g. 1 999 分 at 250 bp = 49.975 → 50 分; 1 998 → 49.95 → 50; 1 979 → 49.475 → 49; 20 → 0.5 → 1).
// - fixed: the rule's amount is paid ONCE PER WON ORDER (not per line or unit), and for the ledger it
//   is split across the lines that chose the rule in proportion to their net amounts (largest
//   remainder, so the parts add up exactly; ties to the earlier line). Splitting it lets a return of
//   one line reverse that line's share.
// A line's net amount is what was sold less what was already returned when the opportunity was won.
//
// Reversal: a refund R on a line whose commission was C on a base B reverses C × (refunded so far) / B
// rounded half up, minus what was already reversed — cumulative, so several partial returns never
// drift from one full return, the total never exceeds C, and returning the whole line reverses C exactly.

export interface CommissionRule {
  id: string;
  productCategory: string | null;
  kind: 'percent' | 'fixed';
  basisPoints: number | null;
  fixedMinor: number | null;
  currency: string | null;
  priority: number;
}

export interface CommissionLine {
  id: string;
  category: string | null;
  /** Net amount of the line in minor units (sold less already returned), ≥ 0. */
  amountMinor: number;
}

export interface LineCommission {
  lineId: string;
  ruleId: string;
  baseMinor: number;
  amountMinor: number;
}

/** a × b / c rounded half up, for non-negative integers (exact in BigInt). */
export function mulDivHalfUp(a: number, b: number, c: number): number {
  if (c <= 0) throw new RangeError('divisor must be positive');
  const n = BigInt(a) * BigInt(b) * 2n + BigInt(c);
  return Number(n / (BigInt(c) * 2n));
}

function specificity(rule: CommissionRule, category: string | null): number {
  if (rule.productCategory === null) return 1;
  return category !== null && rule.productCategory === category ? 2 : 0;
}

/** The rule a line earns under, or null when none applies. */
export function ruleForLine(rules: readonly CommissionRule[], line: Pick<CommissionLine, 'category'>, currency: string): CommissionRule | null {
  let best: CommissionRule | null = null;
  let bestScore = 0;
  for (const r of rules) {
    const s = specificity(r, line.category);
    if (s === 0) continue;
    if (r.kind === 'fixed' && r.currency !== currency) continue;
    if (!best || s > bestScore || (s === bestScore && (r.priority > best.priority || (r.priority === best.priority && r.id < best.id)))) {
      best = r;
      bestScore = s;
    }
  }
  return best;
}

/** Splits `total` over `weights` in proportion, largest remainder first (ties: earlier index). */
export function splitProportionally(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  // All weights zero: split evenly.
  const w = sum > 0 ? weights : weights.map(() => 1);
  const s = sum > 0 ? sum : weights.length;
  const parts = w.map((x) => Number((BigInt(total) * BigInt(x)) / BigInt(s)));
  const rema = w.map((x, i) => ({ i, r: (BigInt(total) * BigInt(x)) % BigInt(s) }));
  let left = total - parts.reduce((a, b) => a + b, 0);
  rema.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of rema) {
    if (left <= 0) break;
    parts[i]! += 1;
    left--;
  }
  return parts;
}

/** Commission per line of a won order; lines without a rule or with a zero amount are left out. */
export function commissionForOrder(rules: readonly CommissionRule[], order: { currency: string; lines: readonly CommissionLine[] }): LineCommission[] {
  const chosen = order.lines.map((line) => ({ line, rule: ruleForLine(rules, line, order.currency) }));
  const out = new Map<string, LineCommission>();
  for (const { line, rule } of chosen) {
    if (rule?.kind === 'percent') {
      out.set(line.id, { lineId: line.id, ruleId: rule.id, baseMinor: line.amountMinor, amountMinor: mulDivHalfUp(line.amountMinor, rule.basisPoints ?? 0, 10_000) });
    }
  }
  const fixedRules = new Map<string, { rule: CommissionRule; lines: CommissionLine[] }>();
  for (const { line, rule } of chosen) {
    if (rule?.kind !== 'fixed') continue;
    const g = fixedRules.get(rule.id) ?? { rule, lines: [] };
    g.lines.push(line);
    fixedRules.set(rule.id, g);
  }
  for (const { rule, lines } of fixedRules.values()) {
    const parts = splitProportionally(rule.fixedMinor ?? 0, lines.map((l) => l.amountMinor));
    lines.forEach((l, i) => out.set(l.id, { lineId: l.id, ruleId: rule.id, baseMinor: l.amountMinor, amountMinor: parts[i]! }));
  }
  // Keep the order's line order.
  return order.lines.map((l) => out.get(l.id)).filter((c): c is LineCommission => c !== undefined && c.amountMinor > 0);
}

/**
 * How much of a line's commission a refund takes back (a positive number; the ledger stores it
 * negated). `refundedBeforeMinor`/`reversedBeforeMinor`: refunds and reversals already booked for
 * this line since the opportunity was won.
 */
export function commissionReversal(p: {
  commissionMinor: number;
  baseMinor: number;
  refundedBeforeMinor: number;
  refundMinor: number;
  reversedBeforeMinor: number;
}): number {
  if (p.refundMinor <= 0 || p.commissionMinor <= 0) return 0;
  if (p.baseMinor <= 0) return Math.max(0, p.commissionMinor - p.reversedBeforeMinor);
  const refunded = Math.min(p.baseMinor, p.refundedBeforeMinor + p.refundMinor);
  const target = mulDivHalfUp(p.commissionMinor, refunded, p.baseMinor);
  return Math.max(0, Math.min(p.commissionMinor, target) - p.reversedBeforeMinor);
}

/** 'YYYY-MM' of an instant in a time zone (the ledger's month). */
export function monthIn(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(at);
  const y = parts.find((p) => p.type === 'year')?.value;
  const m = parts.find((p) => p.type === 'month')?.value;
  return `${y}-${m}`;
}
