// A list's filter form: react-hook-form over the filters as typed (the URL's text), checked by the
// list procedure's input contract, so a filter the procedure would refuse (a customer id that is
// not one, a date that is no date, a text too long) is said under its field instead of failing the
// whole list. Applying writes the filters to the URL (blank: unset), where the list reads them.
import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, type FieldErrors, type Resolver } from 'react-hook-form';
import { z } from 'zod';

type Texts<K extends string> = Record<K, string>;

/** Blank text is an unset filter: the contract's `optional()` then accepts it. */
function unsetBlanks(values: Record<string, string>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim() === '' ? undefined : v]));
}

/** The contract's fields named in `keys`, on the filters as typed (blank: unset); the text is kept. */
export function filterResolver<K extends string>(contract: z.ZodObject, keys: readonly K[]): Resolver<Texts<K>> {
  const check = zodResolver(contract.pick(Object.fromEntries(keys.map((k) => [k, true])) as Record<string, true>));
  return async (values, context, options) => {
    const result = await check(unsetBlanks(values), context, options as never);
    // The URL takes text, so the contract's output (dates, trimmed text) is not what is applied.
    return Object.keys(result.errors).length
      ? { values: {}, errors: result.errors as FieldErrors<Texts<K>> }
      : { values, errors: {} };
  };
}

export function useFilterForm<K extends string>({
  keys,
  contract,
  filters,
  apply,
}: {
  /** The form's fields, named as the contract names them. */
  keys: readonly K[];
  /** The list procedure's input contract; only the fields in `keys` are checked. */
  contract: z.ZodObject;
  /** The filters now applied (from the URL). */
  filters: Texts<K>;
  /** Writes the filters (null: unset). */
  apply: (values: Record<K, string | null>) => void;
}) {
  const form = useForm<Texts<K>>({
    resolver: filterResolver<K>(contract, keys),
    defaultValues: Object.fromEntries(keys.map((k) => [k, filters[k] ?? ''])) as never,
  });
  const submit = form.handleSubmit((values) =>
    apply(Object.fromEntries(keys.map((k) => [k, values[k]?.trim() || null])) as Record<K, string | null>),
  );
  const clear = () => {
    form.reset(Object.fromEntries(keys.map((k) => [k, ''])) as never);
    apply(Object.fromEntries(keys.map((k) => [k, null])) as Record<K, string | null>);
  };
  return { form, submit, clear };
}
