import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { useState, type ReactNode } from 'react';
import { Toaster } from 'sonner';
import superjson from 'superjson';
import { TRPC_MAX_BATCH } from '../../server/contracts/limits.ts';
import '../../server/contracts/superjson-setup.ts';
import type { AppRouter } from '../../server/trpc/router.ts';
import { TooltipProvider } from '@/components/ui/tooltip';
import { TRPCProvider } from '@/lib/trpc';
import { ThemeProvider, useTheme } from './theme';

function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof TRPCClientError) {
    const status = (error.data as { httpStatus?: number } | undefined)?.httpStatus ?? 0;
    // Client errors (auth, validation, not found) do not get better by retrying.
    if (status >= 400 && status < 500) return false;
  }
  return failureCount < 2;
}

function ThemedToaster() {
  const { theme } = useTheme();
  // Plain (not richColors) toasts: sonner's tinted success/error palettes fail WCAG AA contrast.
  // Meaning still shows through each toast's icon and text.
  return <Toaster theme={theme} closeButton position="bottom-right" />;
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: { queries: { retry: shouldRetry, staleTime: 10_000, refetchOnWindowFocus: false } },
      }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: '/trpc', transformer: superjson, maxItems: TRPC_MAX_BATCH })],
    }),
  );
  return (
    <ThemeProvider>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <TooltipProvider delayDuration={300}>
            {children}
            <ThemedToaster />
          </TooltipProvider>
        </TRPCProvider>
      </QueryClientProvider>
    </ThemeProvider>
  );
}
