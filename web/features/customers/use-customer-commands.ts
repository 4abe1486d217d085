// Customer search inside the Cmd/Ctrl-K palette: any handle (email, name, user id, Stripe id)
// finds customers as you type; Enter opens the customer (with a Stripe object highlighted), and
// the last entry opens the full search page.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { useTRPC } from '@/lib/trpc';
import type { PaletteCommand } from '@/app/shortcuts';
import { customerPath } from './customer-path';

export function useCustomerCommands(query: string): PaletteCommand[] {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setQ(query.trim()), 200);
    return () => clearTimeout(timer);
  }, [query]);
  const enabled = q.length >= 2;
  const search = useQuery(trpc.support.search.queryOptions({ q, limit: 6 }, { enabled }));
  if (!enabled || query.trim() !== q) return [];
  const hits: PaletteCommand[] = (search.data?.items ?? []).map(({ customer: c, match }) => ({
    id: `customer:${c.id}`,
    label: `${c.name || c.email || c.externalId}${c.name ? ` · ${c.email}` : ''}`,
    hint: match.label,
    run: () =>
      navigate(customerPath(c.id, match.field === 'stripe' ? { tab: 'timeline', highlight: match.value } : {})),
  }));
  return [
    ...hits,
    {
      id: `customer-search:${q}`,
      label: search.isFetching && !hits.length ? `Searching customers for “${q}”…` : `Search customers for “${q}”`,
      hint: 'Enter',
      run: () => navigate(`/customers?q=${encodeURIComponent(q)}`),
    },
  ];
}
