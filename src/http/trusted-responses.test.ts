import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { responseSerializer } from './app.ts';

const schema = z.object({ items: z.array(z.object({ id: z.string(), phone: z.string() })), nextCursor: z.string().nullable() });
const route = (url: string, httpStatus = '200') => ({ schema, method: 'GET', url, httpStatus });
const page = { items: [{ phone: '138****1234', id: 'a' }], nextCursor: null };
const leaky = { items: [{ id: 'a', phone: '138****1234', phoneFull: '13812341234' }], nextCursor: null };

describe('response serializers of the busiest lists', () => {
  it('verifies (the default, and in tests) that the direct JSON is what the schema lets through, in any key order', () => {
    const verify = responseSerializer(route('/api/customers'), 'verify');
    expect(JSON.parse(verify(page))).toEqual(page);
    // A field outside the schema (an unmasked phone) fails loudly instead of being written out.
    expect(() => verify(leaky)).toThrow(/differs from what its schema lets through/);
  });

  it('writes the output directly on a server, and routes outside the list still go through their schema', () => {
    expect(responseSerializer(route('/api/customers'), 'serialize')(leaky)).toBe(JSON.stringify(leaky));
    const other = responseSerializer(route('/api/customers/:id'), 'serialize');
    expect(JSON.parse(other(leaky))).toEqual({ items: [{ id: 'a', phone: '138****1234' }], nextCursor: null });
    const error = responseSerializer(route('/api/customers', '400'), 'serialize');
    expect(JSON.parse(error(leaky))).toEqual({ items: [{ id: 'a', phone: '138****1234' }], nextCursor: null });
  });
});
