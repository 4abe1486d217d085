// One table for every list: TanStack Table renders the columns a feature defines (its
// `columns.tsx`), the kit draws the loading, error and empty states, and the server pages (the
// pager and filters live in the URL, see use-list-params.ts). Rows may open a page on click;
// clicks on a link or button inside the row keep their own meaning.
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type OnChangeFn,
  type Row,
  type RowData,
  type RowSelectionState,
} from '@tanstack/react-table';
import type { ReactNode } from 'react';
import { ErrorState, SkeletonRows } from '@/components/states';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { cn } from '@/lib/utils';

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Classes for the column's cells and header (alignment, width, truncation). */
    className?: string;
    /** Header-only classes. */
    headerClassName?: string;
  }
}

export interface DataTableProps<TData> {
  /** The table's accessible name (also what layout checks report). */
  label: string;
  // Columns mix value types; TanStack's own examples type the list this way.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: Array<ColumnDef<TData, any>>;
  data: TData[] | undefined;
  getRowId: (row: TData) => string;
  /** The first load: skeleton rows. */
  isPending?: boolean;
  /** A later load (next page, new filter): the old rows stay, marked busy. */
  isFetching?: boolean;
  error?: unknown;
  onRetry?: () => void;
  /** What shows when there are no rows: say what would appear and how to make it appear. */
  empty: ReactNode;
  onRowClick?: (row: TData) => void;
  rowProps?: (row: Row<TData>) => Record<string, string | boolean | undefined> & { className?: string };
  skeletonRows?: number;
  className?: string;
  /** Row selection by row id (kept across pages by the caller); enables `row.getIsSelected()`. */
  rowSelection?: RowSelectionState;
  onRowSelectionChange?: OnChangeFn<RowSelectionState>;
}

export function DataTable<TData>({
  label,
  columns,
  data,
  getRowId,
  isPending,
  isFetching,
  error,
  onRetry,
  empty,
  onRowClick,
  rowProps,
  skeletonRows = 6,
  className,
  rowSelection,
  onRowSelectionChange,
}: DataTableProps<TData>) {
  // TanStack Table hands back fresh functions each render, so the React Compiler leaves this
  // component unmemoized; that is expected and cheap for a page of rows.
  // eslint-disable-next-line react-hooks/incompatible-library
  const table = useReactTable({
    data: data ?? [],
    columns,
    getRowId: (row) => getRowId(row),
    getCoreRowModel: getCoreRowModel(),
    manualPagination: true,
    manualFiltering: true,
    manualSorting: true,
    enableRowSelection: !!onRowSelectionChange,
    state: rowSelection ? { rowSelection } : {},
    onRowSelectionChange,
  });

  if (error && !data) return <ErrorState error={error} onRetry={onRetry} />;
  if (isPending || !data) return <SkeletonRows rows={skeletonRows} />;
  if (!data.length) return <>{empty}</>;

  return (
    <div className={cn('rounded-lg border', className)} aria-busy={isFetching || undefined}>
      <Table aria-label={label}>
        <TableHeader>
          {table.getHeaderGroups().map((group) => (
            <TableRow key={group.id}>
              {group.headers.map((header) => {
                const meta = header.column.columnDef.meta;
                return (
                  <TableHead key={header.id} className={cn(meta?.className, meta?.headerClassName)}>
                    {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                  </TableHead>
                );
              })}
            </TableRow>
          ))}
        </TableHeader>
        <TableBody>
          {table.getRowModel().rows.map((row) => {
            const { className: rowClass, ...extra } = rowProps?.(row) ?? {};
            return (
              <TableRow
                key={row.id}
                className={cn(onRowClick && 'cursor-pointer', rowClass)}
                data-state={row.getIsSelected() ? 'selected' : undefined}
                onClick={
                  onRowClick
                    ? (e) => {
                        if ((e.target as HTMLElement).closest('a,button,input,select,label,[role="menuitem"]')) return;
                        onRowClick(row.original);
                      }
                    : undefined
                }
                {...extra}
              >
                {row.getVisibleCells().map((cell) => (
                  <TableCell key={cell.id} className={cell.column.columnDef.meta?.className}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </TableCell>
                ))}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
