// The pager under a list: the page number and Previous / Next. Server-side cursor pagination, so
// there is no page count to jump to; Next is offered while the server says there is more.
import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import type { CursorPager } from './use-list-params';

export function DataTablePagination({
  pager,
  nextCursor,
  label = 'Pages',
  total,
  pageSize,
  children,
  words = ['Previous', 'Next'],
}: {
  pager: CursorPager;
  nextCursor: string | null | undefined;
  label?: string;
  /** With the total and page size the pager also says how many pages there are. */
  total?: number;
  pageSize?: number;
  /** Extra controls before the buttons (a page-size choice). */
  children?: ReactNode;
  /** The buttons' words, e.g. ['Newer', 'Older'] for a log. */
  words?: readonly [string, string];
}) {
  if (!pager.hasPrevious && !nextCursor && !children) return null;
  return (
    <nav aria-label={label} className="flex flex-wrap items-center justify-end gap-2 text-sm">
      <span className="text-muted-foreground">
        Page {pager.page.toLocaleString('en-US')}
        {total !== undefined && pageSize
          ? ` of ${Math.max(1, Math.ceil(total / pageSize)).toLocaleString('en-US')}`
          : ''}
      </span>
      {children}
      <Button variant="outline" size="sm" disabled={!pager.hasPrevious} onClick={pager.previous}>
        {words[0]}
      </Button>
      <Button variant="outline" size="sm" disabled={!nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        {words[1]}
      </Button>
    </nav>
  );
}
