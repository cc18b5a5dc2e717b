import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { createServiceOrder } from './create-service-order.ts';
import { expireIdempotencyKeys } from './expire-idempotency-keys.ts';
import { seedService } from './test-setup.ts';

describeDb('idempotency key expiry', (get) => {
  it('forgets keys older than a day, in batches, and keeps the recent ones answering retries', async () => {
    const f = await seedService(get().db, 'IdemExpiry');
    const body = { type: 'repair' as const, customerId: f.gdCustomerId, title: '洗衣机漏水' };
    const old = await Promise.all(['a', 'b', 'c'].map((k) => createServiceOrder(f.ctx.agent, { ...body, title: k }, { idempotencyKey: `old-${k}` })));
    f.advance(23 * 60);
    const recent = await createServiceOrder(f.ctx.agent, body, { idempotencyKey: 'recent' });
    f.advance(2 * 60); // the old keys are now 25 h old, the recent one 2 h

    // A batch of 2 makes the loop run twice over the three old keys.
    expect(await expireIdempotencyKeys(get().db, f.clock.now, { batchSize: 2 })).toEqual({ deleted: 3 });
    expect(await expireIdempotencyKeys(get().db, f.clock.now)).toEqual({ deleted: 0 });

    // The recent key still answers its retry with the same order …
    expect((await createServiceOrder(f.ctx.agent, body, { idempotencyKey: 'recent' })).id).toBe(recent.id);
    // … and an expired key is free again: its reuse creates a new order.
    const again = await createServiceOrder(f.ctx.agent, { ...body, title: 'a' }, { idempotencyKey: 'old-a' });
    expect(old.map((o) => o.id)).not.toContain(again.id);
  });
});
