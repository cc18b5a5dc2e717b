import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { buildApp } from './app.ts';
import { fieldsFromZod } from './errors.ts';
import { fieldMessages } from '../i18n/field-messages.ts';
import { messageTemplate } from '../i18n/messages.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { createCustomer } from '../customers/create-customer.ts';
import { createOrder } from '../orders/create-order.ts';
import { createProduct } from '../orders/create-product.ts';
import { recordReturn } from '../orders/record-return.ts';

const config = { sessionHours: 12, maxUploadBytes: 1024 * 1024, loginRatePerMinute: 100, cookieSecure: false };

describeDb('field messages in the caller\'s language', (get) => {
  it('a zod failure and a domain refusal give each field\'s message in zh-CN or en, path and code unchanged', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Field messages');
    const cup = await createProduct(org.ctx.admin, { sku: 'CUP-1', name: '茶杯', category: 'ware', priceMinor: 3_550 });
    const c = await createCustomer(org.ctx.admin, { name: '李雷' });
    const order = await createOrder(org.ctx.admin, { customerId: c.id, orderNo: 'SO-1', orderedAt: '2025-03-01T08:00:00Z', lines: [{ productId: cup.id, quantity: 3 }] });
    await recordReturn(org.ctx.admin, order.id, { orderLineId: order.lines[0].id, kind: 'return', quantity: 1, reason: '破损' });

    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    try {
      const token = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: org.emails.agent, password: org.password } })).json().token as string;
      const post = async (lang: string, url: string, payload: object) => {
        const res = await app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}`, 'accept-language': lang } });
        expect(res.statusCode).toBe(400);
        const body = res.json() as { code: string; fields: { path: string; code: string; message: string }[] };
        expect(body.code).toBe('invalid');
        return Object.fromEntries(body.fields.map((f) => [f.path, [f.code, f.message]]));
      };

      // (a) zod, at the route: a reason too short, a quantity too big, a kind not in the enum.
      const bad = { orderLineId: order.lines[0].id, kind: 'swap', quantity: 2_000_000, reason: '' };
      const zh = await post('zh-CN', `/api/orders/${order.id}/returns`, bad);
      const en = await post('en-US,en;q=0.9', `/api/orders/${order.id}/returns`, bad);
      expect(zh).toEqual({
        'body.kind': ['invalid_value', '无效选项：期望以下之一 "return"|"exchange"'],
        'body.quantity': ['too_big', '数值过大：期望 number <=1000000'],
        'body.reason': ['too_small', '数值过小：期望 string >=1 字符'],
      });
      expect(en).toEqual({
        'body.kind': ['invalid_value', 'Invalid option: expected one of "return"|"exchange"'],
        'body.quantity': ['too_big', 'Too big: expected number to be <=1000000'],
        'body.reason': ['too_small', 'Too small: expected string to have >=1 characters'],
      });
      // A wrong type names what was sent, in either language (zod drops the input from its issues).
      const typed = { orderLineId: order.lines[0].id, kind: 'return', quantity: '2', reason: 'x' };
      expect((await post('zh-CN', `/api/orders/${order.id}/returns`, typed))['body.quantity']).toEqual(['invalid_type', '无效输入：期望 数字，实际接收 string']);
      expect((await post('en', `/api/orders/${order.id}/returns`, typed))['body.quantity']).toEqual(['invalid_type', 'Invalid input: expected number, received string']);
      // A message the schema sets itself is a key: the phone rule's.
      const phone = { name: '韩梅梅', phones: ['12345'] };
      expect((await post('zh-CN', '/api/customers', phone))['body.phones.0']).toEqual(['invalid_format', '电话号码格式不正确']);
      expect((await post('en', '/api/customers', phone))['body.phones.0']).toEqual(['invalid_format', 'Not a valid phone number']);

      // Fastify's own 400 (a body that is not JSON) says so in Chinese too, its detail kept.
      const notJson = await app.inject({ method: 'POST', url: `/api/orders/${order.id}/returns`, payload: '{"kind": ', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': 'zh-CN' } });
      expect(notJson.statusCode).toBe(400);
      expect(notJson.json().fields).toMatchObject([{ path: 'body', message: expect.stringMatching(/^请求无法解析（.+）$/) }]);

      // (b) the domain: 3 bought, 1 returned, 3 more asked for.
      const more = { orderLineId: order.lines[0].id, kind: 'return', quantity: 3, reason: '破损' };
      expect(await post('zh-CN', `/api/orders/${order.id}/returns`, more)).toEqual({ quantity: ['exceeds_returnable', '购买 3 件，已退换 1 件：最多还能退 2 件'] });
      expect(await post('en', `/api/orders/${order.id}/returns`, more)).toEqual({ quantity: ['exceeds_returnable', 'Bought 3, already returned or exchanged 1: at most 2'] });
    } finally {
      await app.close();
    }

    // A ZodError a use case raises itself maps the same way.
    const err = await recordReturn(org.ctx.admin, order.id, { orderLineId: order.lines[0].id, kind: 'return', quantity: 0, reason: 'x' }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ZodError);
    expect(fieldsFromZod(err as ZodError, 'zh-CN')).toEqual([{ path: 'quantity', code: 'too_small', message: '数值过小：期望 number >=1' }]);
    expect(fieldsFromZod(err as ZodError, 'en')).toEqual([{ path: 'quantity', code: 'too_small', message: 'Too small: expected number to be >=1' }]);
  });
});

describe('field message keys', () => {
  it('a domain field error needs a key: Invalid takes only fields built by fieldError', () => {
    // The type is the enforcement (npx tsc fails on an English-only field); this line keeps it so.
    // @ts-expect-error a field without messageKey and params
    const plain = new Invalid([{ path: 'x', code: 'y', message: 'z' }]);
    expect(plain.fields).toHaveLength(1);
    const keyed = fieldError('quantity', 'exceeds_returnable', 'field.orders.exceeds_returnable', { bought: 3, returned: 1, returnable: 2 });
    expect(keyed).toEqual({ path: 'quantity', code: 'exceeds_returnable', messageKey: 'field.orders.exceeds_returnable', params: { bought: 3, returned: 1, returnable: 2 }, message: 'Bought 3, already returned or exchanged 1: at most 2' });
  });

  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('has every key in both languages with the same placeholders', () => {
    for (const [key, texts] of Object.entries(fieldMessages)) {
      expect(texts['zh-CN'].trim(), key).not.toBe('');
      expect(texts.en.trim(), key).not.toBe('');
      expect(placeholders(texts['zh-CN']), key).toEqual(placeholders(texts.en));
    }
  });

  it('every key a field error names in src/ exists in both languages', async () => {
    // Modules register their own messages when loaded; the app loads them all.
    await import('./app.ts');
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
      });
    const used = new Set<string>();
    for (const f of files('src')) {
      // fieldError(path, code, 'the.key', …): the third argument.
      const calls = /fieldError\(\s*(?:'[^']*'|`[^`]*`|[\w.]+)\s*,\s*(?:'[^']*'|[\w.]+)\s*,\s*'([\w.]+)'/g;
      for (const m of readFileSync(f, 'utf8').matchAll(calls)) used.add(m[1]);
    }
    // The wfm solver-input validators name their keys by slug: fail(path, code, 'slug', …).
    for (const f of ['src/wfm/model/shifts.ts', 'src/wfm/model/roster-types.ts']) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bfail\(\s*(?:'[^']*'|`[^`]*`|[\w.]+)\s*,\s*'[^']*'\s*,\s*'(\w+)'/g)) used.add(`field.wfm.input.${m[1]}`);
    }
    expect(used.size).toBeGreaterThan(100); // the scan sees the calls
    // Messages zod schemas set themselves are keys too: `{ message: 'invalid_phone' }` names zod.invalid_phone.
    for (const f of files('src')) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bmessage: '([a-z][a-z0-9_]*)'/g)) used.add(`zod.${m[1]}`);
    }
    for (const key of used) {
      expect(messageTemplate('zh-CN', key), key).toBeTruthy();
      expect(messageTemplate('en', key), key).toBeTruthy();
    }
  });
});
