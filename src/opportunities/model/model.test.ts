import { describe, expect, it } from 'vitest';
import { commissionForOrder, commissionReversal, monthIn, mulDivHalfUp, ruleForLine, splitProportionally, type CommissionRule } from './commission.ts';
import { allowedMoves, canMove, chooseOwner, followUpDue } from './pipeline.ts';

const rule = (r: Partial<CommissionRule> & Pick<CommissionRule, 'id' | 'kind'>): CommissionRule => ({
  productCategory: null,
  basisPoints: null,
  fixedMinor: null,
  currency: null,
  priority: 0,
  ...r,
});

describe('commission of a won order', () => {
  it('rounds percentages half up on minor units', () => {
    expect(mulDivHalfUp(1999, 250, 10_000)).toBe(50); // 49.975
    expect(mulDivHalfUp(1998, 250, 10_000)).toBe(50); // 49.95
    expect(mulDivHalfUp(1979, 250, 10_000)).toBe(49); // 49.475
    expect(mulDivHalfUp(20, 250, 10_000)).toBe(1); // 0.5 exactly
    expect(mulDivHalfUp(19, 250, 10_000)).toBe(0); // 0.475
  });

  it('takes the most specific rule per line: own category over any, then priority; fixed once per order, split by amount', () => {
    const rules = [
      rule({ id: 'r-any', kind: 'percent', basisPoints: 200 }),
      rule({ id: 'r-printer-low', kind: 'percent', productCategory: 'printer', basisPoints: 500 }),
      rule({ id: 'r-printer-high', kind: 'percent', productCategory: 'printer', basisPoints: 300, priority: 5 }),
      rule({ id: 'r-toner', kind: 'fixed', productCategory: 'toner', fixedMinor: 3000, currency: 'CNY' }),
    ];
    const out = commissionForOrder(rules, {
      currency: 'CNY',
      lines: [
        { id: 'L1', category: 'printer', amountMinor: 129_900 }, // 3 % (priority 5) = 3 897
        { id: 'L2', category: 'toner', amountMinor: 2_000 }, // 3 000 × 2 000 / 8 000 = 750
        { id: 'L3', category: 'toner', amountMinor: 6_000 }, // 3 000 × 6 000 / 8 000 = 2 250
        { id: 'L4', category: 'paper', amountMinor: 1_999 }, // 2 % = 39.98 → 40
        { id: 'L5', category: null, amountMinor: 1_250 }, // 2 % = 25
      ],
    });
    expect(out).toEqual([
      { lineId: 'L1', ruleId: 'r-printer-high', baseMinor: 129_900, amountMinor: 3_897 },
      { lineId: 'L2', ruleId: 'r-toner', baseMinor: 2_000, amountMinor: 750 },
      { lineId: 'L3', ruleId: 'r-toner', baseMinor: 6_000, amountMinor: 2_250 },
      { lineId: 'L4', ruleId: 'r-any', baseMinor: 1_999, amountMinor: 40 },
      { lineId: 'L5', ruleId: 'r-any', baseMinor: 1_250, amountMinor: 25 },
    ]);
  });

  it('skips a fixed rule in another currency and leaves out lines no rule covers', () => {
    const rules = [rule({ id: 'usd', kind: 'fixed', productCategory: 'toner', fixedMinor: 500, currency: 'USD' })];
    expect(ruleForLine(rules, { category: 'toner' }, 'CNY')).toBeNull();
    expect(commissionForOrder(rules, { currency: 'CNY', lines: [{ id: 'L', category: 'toner', amountMinor: 100 }] })).toEqual([]);
    const withAny = [...rules, rule({ id: 'any', kind: 'percent', basisPoints: 1000 })];
    expect(commissionForOrder(withAny, { currency: 'CNY', lines: [{ id: 'L', category: 'toner', amountMinor: 100 }] })).toEqual([
      { lineId: 'L', ruleId: 'any', baseMinor: 100, amountMinor: 10 },
    ]);
  });

  it('splits a fixed amount so the parts add up exactly (largest remainder, ties to the earlier line)', () => {
    expect(splitProportionally(1000, [1, 1, 1])).toEqual([334, 333, 333]);
    expect(splitProportionally(1000, [0, 0])).toEqual([500, 500]);
    expect(splitProportionally(10, [1, 2])).toEqual([3, 7]); // 3.33 / 6.67
  });
});

describe('commission reversal on a return', () => {
  it('reverses in proportion to the refund, cumulatively, never more than earned', () => {
    // 100 earned on 300; three refunds of 100: targets 33.3→33, 66.7→67, 100.
    const first = commissionReversal({ commissionMinor: 100, baseMinor: 300, refundedBeforeMinor: 0, refundMinor: 100, reversedBeforeMinor: 0 });
    const second = commissionReversal({ commissionMinor: 100, baseMinor: 300, refundedBeforeMinor: 100, refundMinor: 100, reversedBeforeMinor: 33 });
    const third = commissionReversal({ commissionMinor: 100, baseMinor: 300, refundedBeforeMinor: 200, refundMinor: 100, reversedBeforeMinor: 67 });
    expect([first, second, third]).toEqual([33, 34, 33]);
    // One full return reverses all of it; more refund than the base reverses no more.
    expect(commissionReversal({ commissionMinor: 3897, baseMinor: 129_900, refundedBeforeMinor: 0, refundMinor: 129_900, reversedBeforeMinor: 0 })).toBe(3897);
    expect(commissionReversal({ commissionMinor: 3897, baseMinor: 129_900, refundedBeforeMinor: 129_900, refundMinor: 10, reversedBeforeMinor: 3897 })).toBe(0);
    // An exchange refunds nothing and reverses nothing.
    expect(commissionReversal({ commissionMinor: 3897, baseMinor: 129_900, refundedBeforeMinor: 0, refundMinor: 0, reversedBeforeMinor: 0 })).toBe(0);
  });

  it('books the month in the organization time zone', () => {
    expect(monthIn(new Date('2026-03-31T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-04');
    expect(monthIn(new Date('2026-03-31T16:30:00Z'), 'UTC')).toBe('2026-03');
  });
});

describe('pipeline rules', () => {
  it('moves forward only, closes from any open stage, and never leaves won or lost', () => {
    expect(allowedMoves('new')).toEqual(['contacted', 'proposal', 'won', 'lost']);
    expect(allowedMoves('proposal')).toEqual(['won', 'lost']);
    expect(canMove('proposal', 'contacted')).toBe(false);
    expect(canMove('won', 'lost')).toBe(false);
    expect(canMove('lost', 'new')).toBe(false);
    expect(canMove('new', 'new')).toBe(false);
  });

  it('gives the opportunity to the customer manager, else the sales team, else the finder team, else the finder', () => {
    expect(chooseOwner({ customerManagerId: 'm', defaultTeamId: 't', finderId: 'f', finderTeamId: 'ft' })).toEqual({ ownerUserId: 'm', ownerTeamId: null });
    expect(chooseOwner({ customerManagerId: null, defaultTeamId: 't', finderId: 'f', finderTeamId: 'ft' })).toEqual({ ownerUserId: null, ownerTeamId: 't' });
    expect(chooseOwner({ customerManagerId: null, defaultTeamId: null, finderId: 'f', finderTeamId: 'ft' })).toEqual({ ownerUserId: null, ownerTeamId: 'ft' });
    expect(chooseOwner({ customerManagerId: null, defaultTeamId: null, finderId: 'f', finderTeamId: null })).toEqual({ ownerUserId: 'f', ownerTeamId: null });
  });

  it('sets the first follow-up by grade (A 1 day, B 3, C 7 by default)', () => {
    const at = new Date('2026-03-02T01:00:00Z');
    expect(followUpDue(at, 'A').toISOString()).toBe('2026-03-03T01:00:00.000Z');
    expect(followUpDue(at, 'C').toISOString()).toBe('2026-03-09T01:00:00.000Z');
    expect(followUpDue(at, 'B', { A: 1, B: 2, C: 5 }).toISOString()).toBe('2026-03-04T01:00:00.000Z');
  });
});
