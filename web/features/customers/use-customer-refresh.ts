import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTRPC } from '@/lib/trpc';

/** After a repair: everything the customer page shows is read again (and only that). */
export function useCustomerRefresh() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries(trpc.support.pathFilter()),
        queryClient.invalidateQueries(trpc.ledger.pathFilter()),
        queryClient.invalidateQueries(trpc.customers.pathFilter()),
        queryClient.invalidateQueries(trpc.blocks.pathFilter()),
      ]),
    [queryClient, trpc],
  );
}
