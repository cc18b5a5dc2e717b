// The segment editor's rule builder (web) against the server's rule compiler: the same whitelisted fields, and every
// (field, operator) the builder offers produces a rule the server accepts; saved rules come back into the builder unchanged.
import { describe, expect, it } from 'vitest';
import { compileRule, ruleFields } from '../../src/analytics/segment-rule.ts';
import { fromRule, isListOp, isUnary, ruleFieldDefs, ruleFieldList, toRule, type Condition, type ValueKind } from '../../web/src/pages/analytics/rules.ts';

const sample: Record<ValueKind, [string, string]> = {
  class: ['important_win_back', 'important_value, general_value'],
  score: ['3', '3，4'],
  int: ['10', '10'],
  money: ['1234.5', '1234.5'],
  number: ['1.5', '1.5'],
  probability: ['0.4', '0.4'],
  province: ['320000', '320000, 440000'],
  code: ['320100', '320100 320200'],
  tag: ['VIP', 'VIP, 会员'],
  text: ['web', 'web, phone'],
  kind: ['person', 'person, company'],
};
const owner = ['01a20c9a-202d-79c0-a3e2-2ae0b665f02b', '01a20c9a-202d-79c0-a3e2-2ae0b665f02b, 01a20c9a-202d-79c0-a3e2-2ae0b665f02c'];

describe('segment rule builder (web) against the server compiler', () => {
  it('offers exactly the server whitelist of fields', () => {
    expect([...ruleFieldList].sort()).toEqual([...ruleFields].sort());
  });

  it('builds a rule the server compiles for every field and operator it offers', () => {
    let key = 1;
    for (const field of ruleFieldList) {
      for (const op of ruleFieldDefs[field].ops) {
        const [one, many] = field === 'owner' ? owner : sample[ruleFieldDefs[field].kind];
        const c: Condition = { key: key++, field, op, text: isUnary(op) ? '' : isListOp(op) ? many : one };
        const rule = toRule({ combinator: 'any', conditions: [c] });
        const compiled = compileRule(rule);
        expect(compiled.ok, `${field} ${op}: ${JSON.stringify(compiled.ok ? null : compiled.errors)}`).toBe(true);
      }
    }
  });

  it('converts money between yuan (typed) and minor units (stored), lists to arrays, and back', () => {
    const rule = toRule({
      combinator: 'all',
      conditions: [
        { key: 1, field: 'clv', op: 'gte', text: '1234.5' },
        { key: 2, field: 'provinceCode', op: 'in', text: '320000，440000' },
        { key: 3, field: 'pAlive', op: 'lt', text: '0.3' },
        { key: 4, field: 'rfmClass', op: 'isNull', text: '' },
      ],
    });
    expect(rule).toEqual({
      all: [
        { field: 'clv', op: 'gte', value: 123450 },
        { field: 'provinceCode', op: 'in', value: ['320000', '440000'] },
        { field: 'pAlive', op: 'lt', value: 0.3 },
        { field: 'rfmClass', op: 'isNull' },
      ],
    });
    const back = fromRule(rule);
    expect(back?.combinator).toBe('all');
    expect(back?.conditions.map((c) => [c.field, c.op, c.text])).toEqual([
      ['clv', 'gte', '1234.5'],
      ['provinceCode', 'in', '320000, 440000'],
      ['pAlive', 'lt', '0.3'],
      ['rfmClass', 'isNull', ''],
    ]);
    expect(toRule(back!)).toEqual(rule);
    // Nested rules are edited as JSON, not flattened.
    expect(fromRule({ all: [{ any: [{ field: 'rScore', op: 'eq', value: 5 }] }] })).toBeNull();
    expect(fromRule({ field: 'rScore', op: 'eq', value: 5 })?.conditions[0].text).toBe('5');
  });
});
