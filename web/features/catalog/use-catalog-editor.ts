// The catalog editor's state: the saved catalog and its version, the draft being edited (a
// react-hook-form form over the draft, checked by the catalog contract as its resolver; see
// draft-resolver.ts), and the server's check of the draft (the problems only the database can tell,
// the customers each change touches), asked again shortly after each edit.
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { CatalogJson, CatalogProblem } from '../../../server/contracts/catalog.ts';
import { useTRPC, useTRPCClient } from '@/lib/trpc';
import { ProblemIndex, toCatalogJson, toDraft, type Draft } from './draft';
import { catalogResolver, contractProblems } from './draft-resolver';

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export type CatalogSource = 'editor' | 'file';

/** Each problem once: the contract's (here) and the server's check (which runs the contract too). */
function merge(...lists: CatalogProblem[][]): CatalogProblem[] {
  const seen = new Set<string>();
  return lists.flat().filter((p) => {
    const key = `${p.path}\n${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The saved catalog and its version (the page waits for it before the editor starts). */
export function useCatalogState() {
  const trpc = useTRPC();
  return useQuery(trpc.catalogAdmin.state.queryOptions(undefined, { staleTime: Infinity }));
}
export type CatalogState = NonNullable<ReturnType<typeof useCatalogState>['data']>;

export function useCatalogEditor(state: CatalogState) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const [source, setSource] = useState<CatalogSource>('editor');
  const saved = useMemo(() => toDraft(state.catalog), [state.catalog]);
  // Every edit is checked whole (a key can clash with another row's), so fields never validate alone.
  const form = useForm<Draft>({
    resolver: catalogResolver,
    defaultValues: saved,
    mode: 'onSubmit',
    reValidateMode: 'onSubmit',
  });

  const draft = useWatch({ control: form.control }) as Draft;
  const json = useMemo(() => toCatalogJson(draft), [draft]);
  const key = useMemo(() => JSON.stringify(json), [json]);
  const savedKey = useMemo(() => JSON.stringify(toCatalogJson(saved)), [saved]);
  const dirty = key !== savedKey;
  const checkedKey = useDebounced(key, 350);

  // A saved catalog read again elsewhere replaces the draft only when nobody has edited it.
  const shownSaved = useRef(savedKey);
  useEffect(() => {
    const before = shownSaved.current;
    shownSaved.current = savedKey;
    if (before !== savedKey && JSON.stringify(toCatalogJson(form.getValues())) === before) form.reset(saved);
  }, [savedKey, saved, form]);

  // The contract checks the whole draft after each change (the resolver; no server involved).
  useEffect(() => {
    void form.trigger();
  }, [key, form]);

  const preview = useQuery({
    queryKey: ['catalogAdmin.preview', checkedKey],
    queryFn: () => client.catalogAdmin.preview.mutate({ catalog: JSON.parse(checkedKey) as unknown }),
    enabled: dirty,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });
  // Read in render, so the editor renders again when the resolver's verdict changes.
  const contract = contractProblems(form.formState.errors);
  const problems = new ProblemIndex(dirty ? merge(contract, preview.data?.problems ?? []) : contract);

  const restart = (next: Draft, from: CatalogSource) => {
    form.reset(next);
    setSource(from);
    void form.trigger();
  };

  return {
    form,
    version: state.version,
    /** The saved version as people read it (1, 2, 3); `version` is the token a save names. */
    versionNumber: state.versionNumber,
    saved: state.catalog,
    draft,
    json,
    dirty,
    source,
    preview,
    /** The check matches what is on screen (not a few keystrokes behind). */
    checked: dirty && checkedKey === key && !preview.isFetching && !!preview.data,
    problems,
    load(catalog: CatalogJson, from: CatalogSource) {
      restart(toDraft(catalog), from);
    },
    discard() {
      restart(saved, 'editor');
    },
    /** After a save, restore or mapping elsewhere: drop the draft and read the saved catalog again. */
    async reload() {
      restart(saved, 'editor');
      await Promise.all([
        queryClient.invalidateQueries(trpc.catalogAdmin.pathFilter()),
        queryClient.invalidateQueries(trpc.catalog.pathFilter()),
      ]);
      const fresh = queryClient.getQueryData(trpc.catalogAdmin.state.queryKey());
      if (fresh) restart(toDraft(fresh.catalog), 'editor');
    },
  };
}

export type CatalogEditor = ReturnType<typeof useCatalogEditor>;
