// The pager under a list: the page number and Previous / Next. Server-side cursor pagination, so
// there is no page count to jump to; Next is offered while the server says there is more.
import { Button } from '@/components/ui/button';
import type { CursorPager } from './use-list-params';

export function DataTablePagination({
  pager,
  nextCursor,
  label = 'Pages',
  total,
  pageSize,
}: {
  pager: CursorPager;
  nextCursor: string | null | undefined;
  label?: string;
  /** With the total and page size the pager also says how many pages there are. */
  total?: number;
  pageSize?: number;
}) {
  if (!pager.hasPrevious && !nextCursor) return null;
  return (
    <nav aria-label={label} className="flex items-center justify-end gap-2 text-sm">
      <span className="text-muted-foreground">
        Page {pager.page.toLocaleString('en-US')}
        {total !== undefined && pageSize
          ? ` of ${Math.max(1, Math.ceil(total / pageSize)).toLocaleString('en-US')}`
          : ''}
      </span>
      <Button variant="outline" size="sm" disabled={!pager.hasPrevious} onClick={pager.previous}>
        Previous
      </Button>
      <Button variant="outline" size="sm" disabled={!nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        Next
      </Button>
    </nav>
  );
}
