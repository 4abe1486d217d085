// The catalog editor's state: the saved catalog and its version, the draft being edited, and the
// server's check of the draft (every problem with its path, the customers each change touches),
// asked again shortly after each edit so problems show inline while typing.
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { CatalogJson } from '../../../server/contracts/catalog.ts';
import { useTRPC, useTRPCClient } from '@/lib/trpc';
import { ProblemIndex, toCatalogJson, toDraft, type Draft } from './draft';

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export type CatalogSource = 'editor' | 'file';

export function useCatalogEditor() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const state = useQuery(trpc.catalogAdmin.state.queryOptions(undefined, { staleTime: Infinity }));
  const [edited, setEdited] = useState<Draft | null>(null);
  const [source, setSource] = useState<CatalogSource>('editor');

  const saved = useMemo(() => (state.data ? toDraft(state.data.catalog) : null), [state.data]);
  const draft = edited ?? saved;
  const json = useMemo(() => (draft ? toCatalogJson(draft) : null), [draft]);
  const key = useMemo(() => (json ? JSON.stringify(json) : ''), [json]);
  const savedKey = useMemo(() => (saved ? JSON.stringify(toCatalogJson(saved)) : ''), [saved]);
  const dirty = !!edited && key !== savedKey;
  const checkedKey = useDebounced(key, 350);

  const preview = useQuery({
    queryKey: ['catalogAdmin.preview', checkedKey],
    queryFn: () => client.catalogAdmin.preview.mutate({ catalog: JSON.parse(checkedKey) as unknown }),
    enabled: dirty && checkedKey !== '',
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });
  const problems = useMemo(
    () => new ProblemIndex(dirty && preview.data ? preview.data.problems : []),
    [dirty, preview.data],
  );

  return {
    state,
    version: state.data?.version ?? null,
    /** The saved version as people read it (1, 2, 3); `version` is the token a save names. */
    versionNumber: state.data?.versionNumber ?? null,
    saved: state.data?.catalog ?? null,
    draft,
    json,
    dirty,
    source,
    preview,
    /** The check matches what is on screen (not a few keystrokes behind). */
    checked: dirty && checkedKey === key && !preview.isFetching && !!preview.data,
    problems,
    update(fn: (draft: Draft) => void) {
      setEdited((prev) => {
        const base = prev ?? saved;
        if (!base) return prev;
        const next = structuredClone(base);
        fn(next);
        return next;
      });
    },
    load(catalog: CatalogJson, from: CatalogSource) {
      setEdited(toDraft(catalog));
      setSource(from);
    },
    discard() {
      setEdited(null);
      setSource('editor');
    },
    /** After a save, restore or mapping elsewhere: read the saved catalog again and drop the draft. */
    async reload() {
      setEdited(null);
      setSource('editor');
      await Promise.all([
        queryClient.invalidateQueries(trpc.catalogAdmin.pathFilter()),
        queryClient.invalidateQueries(trpc.catalog.pathFilter()),
      ]);
    },
  };
}

export type CatalogEditor = ReturnType<typeof useCatalogEditor>;
