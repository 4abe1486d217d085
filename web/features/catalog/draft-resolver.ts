// The catalog editor's resolver: the catalog contract (server/contracts/validate-catalog.ts, the
// catalogJson schema plus the checks across the whole catalog) run on the draft in its file format.
// The editor shows the contract's problems as soon as a field changes, at the same paths the
// server's check and the CLI import use; the server's check (use-catalog-editor.ts) adds only what
// needs the database (customers on a removed plan, the impacts). Problems are carried in
// react-hook-form's `errors.root`, keyed by their path in the file ("plans[1].stripePriceIds[0]"),
// because the file's paths are not always the draft's field names (the rules are flat here).
import type { FieldErrors, GlobalError, Resolver } from 'react-hook-form';
import type { CatalogProblem } from '../../../server/contracts/catalog.ts';
import { validateCatalog } from '../../../server/contracts/validate-catalog.ts';
import { toCatalogJson, type Draft } from './draft';

const CONTRACT = 'contract';

export const catalogResolver: Resolver<Draft> = (values) => {
  const result = validateCatalog(toCatalogJson(values));
  if (result.ok) return { values, errors: {} };
  const root: Record<string, GlobalError> = {};
  for (const { path, message } of result.problems) {
    const seen = root[path]?.message;
    // Messages are single lines; several at one path are kept one per line.
    root[path] = { type: CONTRACT, message: seen ? `${seen}\n${message}` : message };
  }
  return { values: {}, errors: { root } as FieldErrors<Draft> };
};

/** The contract's problems the resolver left in `errors`, with their paths. */
export function contractProblems(errors: FieldErrors<Draft>): CatalogProblem[] {
  return Object.entries(errors.root ?? {}).flatMap(([path, error]) =>
    error && typeof error === 'object' && error.type === CONTRACT && error.message
      ? error.message.split('\n').map((message) => ({ path, message }))
      : [],
  );
}
