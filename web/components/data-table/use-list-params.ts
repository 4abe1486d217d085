// A list's state lives in the URL so a link can be pasted into a ticket: its filters (one search
// param each) and the page, kept as the stack of cursors that led to it (`after=c1,c2`), so
// "Previous" needs no server support and the page number is the stack's depth. Changing a filter
// starts again at the first page, because the cursors belong to the old result.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

export interface CursorPager {
  /** The cursor to ask the server for (null: the first page). */
  cursor: string | null;
  /** 1-based page number. */
  page: number;
  hasPrevious: boolean;
  previous: () => void;
  /** Go to the page after `nextCursor` (the server's answer for the current page). */
  next: (nextCursor: string) => void;
}

export interface ListParams<K extends string> {
  filters: Record<K, string>;
  /** Sets (or, with null or '', clears) one filter and goes back to the first page. */
  setFilter: (key: K, value: string | null) => void;
  setFilters: (values: Partial<Record<K, string | null>>) => void;
  pager: CursorPager;
}

/**
 * URL state of one list. `prefix` keeps two lists on one page apart (e.g. `history.` and
 * `blocked.`); params the list does not own (a tab, a highlighted id) are left untouched.
 */
export function useListParams<K extends string>(keys: readonly K[], options: { prefix?: string } = {}): ListParams<K> {
  const [params, setParams] = useSearchParams();
  const prefix = options.prefix ?? '';
  const afterKey = `${prefix}after`;
  const stack = useMemo(() => (params.get(afterKey) ?? '').split(',').filter(Boolean), [params, afterKey]);
  // The keys are a literal list per call site: their contents, not the array's identity, matter.
  const keyList = keys.join(',');
  const filters = useMemo(
    () => Object.fromEntries(keyList.split(',').map((k) => [k, params.get(prefix + k) ?? ''])) as Record<K, string>,
    [params, prefix, keyList],
  );

  const update = useCallback(
    (change: (p: URLSearchParams) => void, replace: boolean) =>
      setParams(
        (current) => {
          const p = new URLSearchParams(current);
          change(p);
          return p;
        },
        { replace },
      ),
    [setParams],
  );

  const setFilters = useCallback(
    (values: Partial<Record<K, string | null>>) =>
      update((p) => {
        for (const [k, v] of Object.entries(values) as Array<[K, string | null | undefined]>) {
          if (v) p.set(prefix + k, v);
          else p.delete(prefix + k);
        }
        p.delete(afterKey);
      }, true),
    [update, prefix, afterKey],
  );
  const setFilter = useCallback(
    (key: K, value: string | null) => setFilters({ [key]: value } as Partial<Record<K, string | null>>),
    [setFilters],
  );

  const goTo = useCallback(
    (next: string[]) =>
      update((p) => {
        if (next.length) p.set(afterKey, next.join(','));
        else p.delete(afterKey);
      }, false),
    [update, afterKey],
  );

  return {
    filters,
    setFilter,
    setFilters,
    pager: {
      cursor: stack.at(-1) ?? null,
      page: stack.length + 1,
      hasPrevious: stack.length > 0,
      previous: () => goTo(stack.slice(0, -1)),
      next: (nextCursor) => goTo([...stack, nextCursor]),
    },
  };
}
