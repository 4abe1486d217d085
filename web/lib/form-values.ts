// What an optional text field means to a contract: blank is null (for example "the plan's
// default"); anything else is passed on for the contract to check. Use as react-hook-form's
// `setValueAs`, so the form's values are the procedure's input and its contract is the resolver.
// Values that are not text (the defaults put into the field) pass through unchanged.

/** Blank: null; otherwise the typed text as a number (NaN when it is not one: the contract says so). */
export function numberOrNull(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value.trim() === '' ? null : Number(value);
}

/** Blank: null; otherwise the text as typed (the contract trims it). */
export function textOrNull(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return value.trim() === '' ? null : value;
}
