import { useEffect, useMemo, useRef, useState } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { columnSizingFeature, createColumnHelper, tableFeatures, useTable } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, errorMessage, withQuery } from '../../api/client.ts';
import { useRegions } from '../../api/regions.ts';
import type { CustomerListItem, Page } from '../../api/types.ts';
import { useCan } from '../../auth.tsx';
import { Icon } from '../../components/Icon.tsx';
import { useDebounced } from '../../components/useDebounced.ts';
import { dayToIso, formatDateTime, formatMoney } from '../../format.ts';
import { rfmColors } from '../analytics/api.ts';
import { pct } from '../analytics/format.ts';
import { CreateCustomerDialog } from './CreateCustomerDialog.tsx';
import { readValueFilters, ValueFilterChips, type ValueFilterKey } from './ValueFilters.tsx';

const features = tableFeatures({ columnSizingFeature });
const helper = createColumnHelper<typeof features, CustomerListItem>();
const emptyRows: CustomerListItem[] = [];
const sorts = ['-created', 'created', 'name', '-updated'] as const;
type Sort = (typeof sorts)[number];
const ROW_HEIGHT = 36;
const PAGE_SIZE = 100;
/** Columns that take the spare width on wide screens. */
const FLEX_COLUMNS = new Set(['emails', 'tags', 'region']);

export interface CustomerFilters {
  q?: string;
  tags?: string;
  region?: string;
  createdFrom?: string;
  createdTo?: string;
  sort: Sort;
}

function TagList({ tags }: { tags: string[] }) {
  return (
    <span className="tags">
      {tags.slice(0, 3).map((tag) => (
        <span key={tag} className="tag">
          {tag}
        </span>
      ))}
      {tags.length > 3 && <span className="tag tag-more">+{tags.length - 3}</span>}
    </span>
  );
}

function FirstOf({ values, mono }: { values: string[]; mono?: boolean }) {
  if (!values.length) return <span className="muted">—</span>;
  return (
    <span className={mono ? 'mono' : undefined} title={values.join('\n')}>
      {values[0]}
      {values.length > 1 && <span className="muted"> +{values.length - 1}</span>}
    </span>
  );
}

export function CustomerListPage() {
  const { t } = useTranslation();
  const can = useCan();
  const navigate = useNavigate();
  const regions = useRegions();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const debounced = useDebounced(search.trim(), 300);
  const [creating, setCreating] = useState(false);
  const [tagsInput, setTagsInput] = useState(params.get('tags') ?? '');
  const applyTags = () => setParam('tags', tagsInput.replace(/，/g, ',').trim());

  const setParam = (key: string, value: string) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  };

  useEffect(() => {
    if ((params.get('q') ?? '') !== debounced) setParam('q', debounced);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [debounced]);

  const sortParam = params.get('sort');
  const filters: CustomerFilters = {
    q: params.get('q') || undefined,
    tags: params.get('tags') || undefined,
    region: params.get('region') || undefined,
    createdFrom: dayToIso(params.get('from') ?? ''),
    createdTo: dayToIso(params.get('to') ?? '', true),
    sort: sorts.includes(sortParam as Sort) ? (sortParam as Sort) : '-created',
  };
  // Value filters from the analytics drill-downs (chips below the toolbar).
  const valueFilters = readValueFilters(params);
  const byValue = Object.keys(valueFilters).length > 0;
  const hasFilters = Boolean(filters.q || filters.tags || filters.region || params.get('from') || params.get('to') || byValue);
  const removeValueFilters = (keys: ValueFilterKey[]) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      for (const k of keys) next.delete(k);
      return next;
    });

  const list = useInfiniteQuery({
    queryKey: ['customers', filters, valueFilters],
    queryFn: ({ pageParam, signal }) =>
      api<Page<CustomerListItem> & { valueCurrency?: string }>('/api/customers', { query: { ...filters, ...valueFilters, cursor: pageParam, limit: PAGE_SIZE }, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });

  const rows = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? emptyRows, [list.data]);
  // Value-filtered pages say which currency their amounts are in (the analytics currency).
  const valueCurrency = list.data?.pages[0]?.valueCurrency ?? 'CNY';

  const columns = useMemo(() => {
    const base = helper.columns([
      helper.accessor('name', {
        header: () => t('customer.name'),
        size: 180,
        cell: (info) => (
          <span className="cell-name" title={info.getValue()}>
            <span className={`kind-dot kind-${info.row.original.kind}`} title={t(`customer.kind.${info.row.original.kind}`)} />
            <span className="strong">{info.getValue()}</span>
          </span>
        ),
      }),
      helper.accessor('phones', { header: () => t('customer.phones'), size: 140, cell: (info) => <FirstOf values={info.getValue()} mono /> }),
      helper.accessor('emails', { header: () => t('customer.emails'), size: 190, cell: (info) => <FirstOf values={info.getValue()} /> }),
      helper.accessor('regionName', {
        header: () => t('customer.region'),
        size: 190,
        cell: (info) => (info.getValue() ? <span title={info.getValue()}>{info.getValue()}</span> : <span className="muted">—</span>),
      }),
      helper.accessor('tags', { header: () => t('customer.tags'), size: 150, cell: (info) => <TagList tags={info.getValue()} /> }),
      helper.accessor('ownerName', { header: () => t('customer.owner'), size: 90, cell: (info) => info.getValue() ?? <span className="muted">—</span> }),
      helper.accessor('source', { header: () => t('customer.source'), size: 90, cell: (info) => info.getValue() ?? <span className="muted">—</span> }),
      helper.accessor('createdAt', { header: () => t('customer.createdAt'), size: 130, cell: (info) => <span className="mono muted">{formatDateTime(info.getValue())}</span> }),
    ]);
    if (!byValue) return base;
    // Filtered by value: the measures replace the tags column.
    const measures = helper.columns([
      helper.accessor((c) => c.value?.rfmClass ?? null, {
        id: 'rfmClass',
        header: () => t('analytics.rfmClassLabel'),
        size: 130,
        cell: (info) => {
          const cls = info.getValue();
          return cls ? (
            <span data-testid="customer-rfm-class">
              <span className="swatch" style={{ background: rfmColors[cls] }} />
              {t(`analytics.rfmClass.${cls}`)}
            </span>
          ) : (
            <span className="muted">{t('analytics.unscored')}</span>
          );
        },
      }),
      helper.accessor((c) => c.value?.clvMinor ?? null, {
        id: 'clv',
        header: () => 'CLV',
        size: 110,
        cell: (info) => <span className="num">{info.getValue() === null ? '—' : formatMoney(info.getValue()!, valueCurrency)}</span>,
      }),
      helper.accessor((c) => c.value?.pAlive ?? null, {
        id: 'pAlive',
        header: () => t('analytics.pAlive'),
        size: 90,
        cell: (info) => <span className="num">{pct(info.getValue())}</span>,
      }),
    ]);
    return [...base.slice(0, 4), ...measures, ...base.slice(5)];
  }, [t, byValue, valueCurrency]);

  const table = useTable({ features, columns, data: rows, getRowId: (row) => row.id });
  const gridTemplate = table
    .getAllLeafColumns()
    .map((c) => (FLEX_COLUMNS.has(c.id) ? `minmax(${c.getSize()}px, 1fr)` : `${c.getSize()}px`))
    .join(' ');
  const minWidth = table.getAllLeafColumns().reduce((s, c) => s + c.getSize(), 0);

  const scrollRef = useRef<HTMLDivElement>(null);
  const tableRows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (i) => tableRows[i].id,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;

  // Infinite scroll: fetch the next page when the viewport nears the end of what is loaded.
  useEffect(() => {
    if (lastIndex >= tableRows.length - 20 && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  }, [lastIndex, tableRows.length, list.hasNextPage, list.isFetchingNextPage, list]);

  // A new search starts at the top.
  const filterKey = JSON.stringify([filters, valueFilters]);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [filterKey]);

  // The export takes the list's filters, value filters included, so the file holds exactly the customers listed.
  const exportHref = (format: 'csv' | 'xlsx') => withQuery('/api/customers/export', { ...filters, ...valueFilters, format });

  return (
    <div className="page page-fill">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t('nav.customers')}</h1>
          <p className="page-sub muted">{t('customer.listHint')}</p>
        </div>
        <div className="page-actions">
          {can('customer.export') && (
            <div className="btn-group">
              <a className="btn" href={exportHref('xlsx')} download data-testid="export-xlsx">
                <Icon name="download" />
                {t('customer.exportXlsx')}
              </a>
              <a className="btn" href={exportHref('csv')} download data-testid="export-csv">
                {t('customer.exportCsv')}
              </a>
            </div>
          )}
          {can('customer.write') && (
            <button className="btn btn-primary" onClick={() => setCreating(true)} data-testid="customer-create">
              <Icon name="plus" />
              {t('customer.create')}
            </button>
          )}
        </div>
      </div>

      <div className="toolbar">
        <div className="search-box">
          <Icon name="search" />
          <input
            data-testid="customer-search"
            type="search"
            placeholder={t('customer.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            aria-label={t('customer.search')}
          />
        </div>
        <input
          className="input-tags"
          placeholder={t('customer.tagsFilter')}
          value={tagsInput}
          onChange={(e) => setTagsInput(e.target.value)}
          onBlur={applyTags}
          onKeyDown={(e) => {
            if (e.key === 'Enter') applyTags();
          }}
          aria-label={t('customer.tags')}
          title={t('customer.tagsFilterHint')}
        />
        <select value={params.get('region') ?? ''} onChange={(e) => setParam('region', e.target.value)} aria-label={t('customer.region')}>
          <option value="">{t('customer.allProvinces')}</option>
          {regions.data?.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))}
        </select>
        <div className="date-range" title={t('customer.createdRange')}>
          <span className="muted">{t('customer.created')}</span>
          <input type="date" value={params.get('from') ?? ''} onChange={(e) => setParam('from', e.target.value)} aria-label={t('customer.createdFrom')} />
          <span className="muted">–</span>
          <input type="date" value={params.get('to') ?? ''} onChange={(e) => setParam('to', e.target.value)} aria-label={t('customer.createdTo')} />
        </div>
        <select value={filters.sort} onChange={(e) => setParam('sort', e.target.value === '-created' ? '' : e.target.value)} aria-label={t('customer.sort')}>
          {sorts.map((s) => (
            <option key={s} value={s}>
              {t(`customer.sortBy.${s}`)}
            </option>
          ))}
        </select>
        {hasFilters && (
          <button
            className="btn btn-ghost btn-sm"
            onClick={() => {
              setSearch('');
              setTagsInput('');
              setParams(filters.sort === '-created' ? {} : { sort: filters.sort }, { replace: true });
            }}
          >
            {t('common.clearFilters')}
          </button>
        )}
        <div className="toolbar-spacer" />
        <span className="muted count">
          {list.isFetching && !list.isFetchingNextPage ? t('common.loading') : t('customer.loaded', { count: rows.length, more: list.hasNextPage ? '+' : '' })}
        </span>
      </div>

      <ValueFilterChips filters={valueFilters} onRemove={removeValueFilters} currency={valueCurrency} />

      {list.isError && <div className="alert alert-error">{errorMessage(list.error)}</div>}

      <div className="grid-table" ref={scrollRef} role="table" aria-rowcount={rows.length}>
        <div className="grid-head" role="row" style={{ gridTemplateColumns: gridTemplate, minWidth }}>
          {table.getHeaderGroups()[0]?.headers.map((header) => (
            <div key={header.id} role="columnheader" className="grid-th">
              <table.FlexRender header={header} />
            </div>
          ))}
        </div>
        <div className="grid-body" style={{ height: virtualizer.getTotalSize(), minWidth }}>
          {items.map((item) => {
            const row = tableRows[item.index];
            return (
              <div
                key={row.id}
                role="row"
                data-testid="customer-row"
                data-index={item.index}
                className="grid-tr"
                style={{ gridTemplateColumns: gridTemplate, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={() => navigate(`/customers/${row.id}`)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') navigate(`/customers/${row.id}`);
                }}
                tabIndex={0}
              >
                {row.getAllCells().map((cell) => (
                  <div key={cell.id} role="cell" className="grid-td">
                    <table.FlexRender cell={cell} />
                  </div>
                ))}
              </div>
            );
          })}
        </div>
        {!list.isPending && rows.length === 0 && (
          <div className="empty">{hasFilters ? t('customer.noMatches') : t('customer.empty')}</div>
        )}
        {list.isPending && <div className="empty">{t('common.loading')}</div>}
        {list.isFetchingNextPage && <div className="grid-loading">{t('common.loadingMore')}</div>}
      </div>

      {creating && <CreateCustomerDialog onClose={() => setCreating(false)} onCreated={(c) => navigate(`/customers/${c.id}`)} />}
    </div>
  );
}
