// URLs whose connections all share one database session: the embedded PGlite served by
// pglite-socket (embedded.ts). There, a named prepared statement made by one connection exists
// for all of them, and LISTEN would listen for every connection, so hot paths send unnamed
// statements and the change feed stays off. A tiny module so client.ts need not load PGlite.
const shared = new Set<string>();

export function markSharedSession(url: string): void {
  shared.add(url);
}

export function isSharedSession(url: string): boolean {
  return shared.has(url);
}
