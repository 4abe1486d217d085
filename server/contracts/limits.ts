// Limits the server enforces and the web client respects.

/** Procedure calls per tRPC batch request (server: maxBatchSize; web: httpBatchLink maxItems). */
export const TRPC_MAX_BATCH = 20;
