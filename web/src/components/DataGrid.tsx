import { useMemo, type ReactNode } from 'react';
import { columnSizingFeature, createColumnHelper, tableFeatures, useTable, type ColumnDef, type RowData } from '@tanstack/react-table';

export const gridFeatures = tableFeatures({ columnSizingFeature });
export type GridColumn<T extends RowData> = ColumnDef<typeof gridFeatures, T, unknown>;
export function gridHelper<T extends RowData>() {
  return createColumnHelper<typeof gridFeatures, T>();
}

/**
 * The dense table of the work lists (same look as the customer list, without virtual scrolling: these lists
 * page by 50 with "load more"). Columns named in `flex` take the spare width.
 */
export function DataGrid<T extends RowData & { id: string }>({
  columns,
  rows,
  flex = [],
  onRowClick,
  rowTestId,
  rowClass,
  empty,
  loading,
  footer,
}: {
  columns: GridColumn<T>[];
  rows: T[];
  flex?: string[];
  onRowClick?: (row: T) => void;
  rowTestId?: string;
  rowClass?: (row: T) => string | undefined;
  empty: ReactNode;
  loading?: boolean;
  footer?: ReactNode;
}) {
  const table = useTable({ features: gridFeatures, columns, data: rows, getRowId: (r) => r.id });
  const flexSet = useMemo(() => new Set(flex), [flex]);
  const leaf = table.getAllLeafColumns();
  const gridTemplate = leaf.map((c) => (flexSet.has(c.id) ? `minmax(${c.getSize()}px, 1fr)` : `${c.getSize()}px`)).join(' ');
  const minWidth = leaf.reduce((s, c) => s + c.getSize(), 0);
  return (
    <div className="grid-table grid-static" role="table" aria-rowcount={rows.length}>
      <div className="grid-head" role="row" style={{ gridTemplateColumns: gridTemplate, minWidth }}>
        {table.getHeaderGroups()[0]?.headers.map((header) => (
          <div key={header.id} role="columnheader" className="grid-th">
            <table.FlexRender header={header} />
          </div>
        ))}
      </div>
      <div className="grid-body" style={{ minWidth }}>
        {table.getRowModel().rows.map((row) => (
          <div
            key={row.id}
            role="row"
            data-testid={rowTestId}
            className={`grid-tr ${rowClass?.(row.original) ?? ''}`}
            style={{ gridTemplateColumns: gridTemplate }}
            onClick={onRowClick ? () => onRowClick(row.original) : undefined}
            onKeyDown={(e) => {
              if (onRowClick && e.key === 'Enter') onRowClick(row.original);
            }}
            tabIndex={onRowClick ? 0 : undefined}
          >
            {row.getAllCells().map((cell) => (
              <div key={cell.id} role="cell" className="grid-td">
                <table.FlexRender cell={cell} />
              </div>
            ))}
          </div>
        ))}
      </div>
      {loading && !rows.length && <div className="empty">…</div>}
      {!loading && rows.length === 0 && <div className="empty">{empty}</div>}
      {footer}
    </div>
  );
}
