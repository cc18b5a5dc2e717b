// The shared record editor of the admin screens (SLA policies, escalation rules, service types, commission
// rules), rendered to HTML in Node: the columns a page passes, the empty list, the server's field errors beside
// their inputs, the 409 message in both languages, what a PATCH carries, and what a save does to the list.
// The whole flow in a browser is test/browser/service-admin.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import { Fragment, createElement as h, type ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { QueryClient, QueryClientProvider, type UseQueryResult } from '@tanstack/react-query';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The UI's i18n module sets <html lang> when it loads; Node has no document.
vi.stubGlobal('document', { documentElement: { lang: '' } });
const { ApiError } = await import('../../web/src/api/client.ts');
const { i18n } = await import('../../web/src/i18n/index.ts');
const kit = await import('../../web/src/pages/settings/RecordEditor.tsx');
const { Field, RecordDialog, RecordList, RecordTable, patchBody, useRecordEditor } = kit;

const root = path.resolve(import.meta.dirname, '../..');

interface Row {
  id: string;
  name: string;
  minutes: number;
  version: number;
  active: boolean;
}
const rows: Row[] = [
  { id: 'r1', name: '加急', minutes: 30, version: 1, active: true },
  { id: 'r2', name: '普通', minutes: 240, version: 3, active: false },
];
const columns = [
  { header: '名称', className: 'strong', cell: (r: Row) => r.name },
  { header: '首次响应', num: true, testId: 'row-first', cell: (r: Row) => `${r.minutes} 分钟` },
];
const listQuery = (items: Row[] | undefined, error?: unknown) => ({ data: items && { items }, isError: error !== undefined, error }) as unknown as UseQueryResult<{ items: Row[] }>;

/** The rendered HTML's elements with this data-testid, as their inner text. */
function byTestId(html: string, id: string): string[] {
  return [...html.matchAll(new RegExp(`<(\\w+)[^>]*data-testid="${id}"[^>]*>(.*?)</\\1>`, 'g'))].map((m) => m[2].replace(/<[^>]+>/g, ''));
}

const fieldError400 = () =>
  new ApiError(400, { code: 'validation', message: 'invalid', fields: [{ path: 'body.resolutionMinutes', code: 'too_small', message: '解决时限不能短于首次响应时限' }] });
const conflict409 = (version: number) => new ApiError(409, { code: 'conflict', message: 'conflict', current: { version } });

function dialog(error: unknown): ReactElement {
  const editor = { submit: () => undefined, pending: false, error };
  const fields = h(
    Fragment,
    null,
    h(Field, { label: '名称', name: 'name', required: true, wide: true, children: h('input', { 'data-testid': 'sla-name' }) }),
    h(Field, { label: '解决时限', name: 'resolutionMinutes', hint: '分钟', children: h('input', { 'data-testid': 'sla-resolution' }) }),
  );
  return h(RecordDialog, { id: 'sla', title: '编辑', editor, onClose: () => undefined, canSave: true, children: fields });
}

beforeAll(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterAll(async () => {
  await i18n.changeLanguage('zh-CN');
});

describe('record list', () => {
  it("shows the page's columns: headers, cells, number alignment and test ids", () => {
    const html = renderToStaticMarkup(h(RecordTable<Row>, { rows, columns, rowKey: (r) => r.id, rowTestId: 'sla-row', onOpen: () => undefined }));
    expect(html).toContain('<th>名称</th><th class="num">首次响应</th>');
    expect(byTestId(html, 'sla-row')).toHaveLength(2);
    expect(byTestId(html, 'row-first')).toEqual(['30 分钟', '240 分钟']);
    expect(html).toContain('<td class="strong">普通</td>');
    expect(html).toContain('<td class="num" data-testid="row-first">240 分钟</td>');
  });

  it('shows the empty text instead of a table, or the headers when a page gives none, and the load error', () => {
    const props = { columns, rowKey: (r: Row) => r.id, rowTestId: 'sla-row', onOpen: () => undefined };
    const empty = renderToStaticMarkup(h(RecordList<Row>, { ...props, query: listQuery([]), empty: '还没有 SLA 策略' }));
    expect(empty).toContain('<div class="empty">还没有 SLA 策略</div>');
    expect(empty).not.toContain('<table');
    const headersOnly = renderToStaticMarkup(h(RecordList<Row>, { ...props, query: listQuery([]) }));
    expect(headersOnly).toContain('<th>名称</th>');
    expect(headersOnly).not.toContain('class="empty"');
    const failed = renderToStaticMarkup(h(RecordList<Row>, { ...props, query: listQuery(undefined, new ApiError(403, { code: 'forbidden', message: '没有权限' })) }));
    expect(failed).toContain('<div class="alert alert-error">没有权限</div>');
    expect(failed).not.toContain('<table');
  });
});

describe('record dialog', () => {
  it("puts a 400's field error beside its own input only, and asks to fix the marked fields", () => {
    const html = renderToStaticMarkup(dialog(fieldError400()));
    expect(byTestId(html, 'field-error-resolutionMinutes')).toEqual(['解决时限不能短于首次响应时限']);
    expect(byTestId(html, 'field-error-name')).toEqual([]);
    expect(html).toContain(i18n.t('admin.fixFields'));
    expect(html).toContain('<span class="field-label required">名称</span>');
    expect(html).toContain('<span class="hint muted">分钟</span>');
    expect(html).toMatch(/<form id="sla-form"/);
    expect(html).toMatch(/form="sla-form"[^>]*data-testid="sla-save"/);
  });

  it('says a 409 is someone else saving first, in zh-CN and in en', async () => {
    const zh = renderToStaticMarkup(dialog(conflict409(3)));
    expect(byTestId(zh, 'conflict-alert')[0]).toContain('已被其他人修改');
    await i18n.changeLanguage('en');
    const en = renderToStaticMarkup(dialog(conflict409(3)));
    expect(byTestId(en, 'conflict-alert')[0]).toContain('someone else changed this record');
    expect(en).toContain('>Save</button>');
    await i18n.changeLanguage('zh-CN');
  });

  it('has every settings-page string in both languages', () => {
    const dir = path.join(root, 'web/src/pages/settings');
    const code = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    const used = [...new Set([...code.matchAll(/\bt\('((?:admin|commRules|common)\.[\w.]+)'/g)].map((m) => m[1]))];
    expect(used.length).toBeGreaterThan(80);
    for (const lng of ['zh-CN', 'en']) expect(used.filter((k) => !i18n.exists(k, { lng, fallbackLng: false })), lng).toEqual([]);
  });
});

describe('saving', () => {
  it('PATCHes only the changed fields, active when it changed, and the version', () => {
    const record = { name: '加急', rank: 100, tags: ['VIP'], tier: null, active: true };
    expect(patchBody({ name: '加急', rank: 10, tags: ['VIP'], tier: null }, record, 2, true)).toEqual({ rank: 10, version: 2 });
    expect(patchBody({ name: '加急', rank: 100, tags: ['VIP', 'A'], tier: '' }, record, 4, false)).toEqual({ tags: ['VIP', 'A'], tier: '', active: false, version: 4 });
    // A built-in service type has no switch: undefined never sends active.
    expect(patchBody({ name: '加急' }, { name: '加急', active: false }, 1, undefined)).toEqual({ version: 1 });
  });

  /** Renders a dialog's editor once and hands it back, as a page would use it. */
  function editorFor(client: QueryClient, o: Parameters<typeof useRecordEditor<Row, { name: string }>>[0]) {
    let editor: ReturnType<typeof useRecordEditor<Row, { name: string }>> | undefined;
    function Probe() {
      editor = useRecordEditor(o);
      return null;
    }
    renderToStaticMarkup(h(QueryClientProvider, { client }, h(Probe)));
    return editor!;
  }
  const submitEvent = { preventDefault: () => undefined } as unknown as Parameters<ReturnType<typeof useRecordEditor>['submit']>[0];

  it("updates with the record's version and draft, refreshes the list and closes; a new record is created", async () => {
    const client = new QueryClient();
    client.setQueryData(['sla-policies'], { items: rows });
    const update = vi.fn(async () => rows[1]);
    const create = vi.fn(async () => rows[0]);
    const onClose = vi.fn();
    const editor = editorFor(client, { record: rows[1], draft: (r) => ({ name: r?.name ?? '新策略' }), create, update, queryKey: ['sla-policies'], onClose });
    expect(editor.draft).toEqual({ name: '普通' });
    editor.submit(submitEvent);
    await vi.waitFor(() => expect(onClose).toHaveBeenCalledOnce());
    expect(update).toHaveBeenCalledWith(rows[1], { name: '普通' }, 3);
    expect(create).not.toHaveBeenCalled();
    expect(client.getQueryState(['sla-policies'])?.isInvalidated).toBe(true);

    const creating = editorFor(client, { record: null, draft: (r) => ({ name: r?.name ?? '新策略' }), create, update, queryKey: ['sla-policies'], onClose });
    creating.submit(submitEvent);
    await vi.waitFor(() => expect(create).toHaveBeenCalledWith({ name: '新策略' }));
  });

  it('on a 409 keeps the dialog open and refreshes the list; on a 400 it only keeps the dialog open', async () => {
    for (const [error, refreshed] of [
      [conflict409(4), true],
      [fieldError400(), false],
    ] as const) {
      const client = new QueryClient();
      client.setQueryData(['sla-policies'], { items: rows });
      const update = vi.fn(async () => {
        throw error;
      });
      const onClose = vi.fn();
      const editor = editorFor(client, { record: rows[0], draft: (r) => ({ name: r?.name ?? '' }), create: async () => rows[0], update, queryKey: ['sla-policies'], onClose });
      editor.submit(submitEvent);
      await vi.waitFor(() => expect(update).toHaveBeenCalledOnce());
      await vi.waitFor(() => expect(client.getMutationCache().getAll()[0]?.state.status).toBe('error'));
      expect(onClose).not.toHaveBeenCalled();
      expect(client.getQueryState(['sla-policies'])?.isInvalidated).toBe(refreshed);
    }
  });
});
