// Dates in server-written text (event summaries, ledger reasons, the evidence sent to banks):
// always UTC and said so, since the reader's time zone is unknown when the text is written.

/** 2026-11-21 09:30 UTC */
export function dateTime(d: Date | string): string {
  return `${new Date(d).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** 2026-11-21 */
export function day(d: Date | string): string {
  return new Date(d).toISOString().slice(0, 10);
}
