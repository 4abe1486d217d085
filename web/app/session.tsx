import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { SkeletonRows } from '@/components/states';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { canSee, type Role } from './navigation';

export type StaffUser = NonNullable<RouterOutputs['system']['me']>;

const SessionContext = createContext<StaffUser | null>(null);

export function useStaff(): StaffUser {
  const user = useContext(SessionContext);
  if (!user) throw new Error('useStaff() outside a signed-in page');
  return user;
}

/** Pages inside the shell: signed-in staff only; otherwise to /login, keeping where they were going. */
export function RequireSession({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const location = useLocation();
  const me = useQuery(trpc.system.me.queryOptions(undefined, { retry: false }));
  if (me.isPending) {
    return (
      <div className="p-8">
        <SkeletonRows rows={6} />
      </div>
    );
  }
  if (me.isError || !me.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <SessionContext.Provider value={me.data}>{children}</SessionContext.Provider>;
}

/** A page the role may not open says so; the server refuses the data anyway. */
export function RoleGate({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const user = useStaff();
  if (!canSee(user.role, { roles })) {
    return (
      <div role="alert" className="rounded-lg border px-6 py-10 text-center">
        <p className="font-medium">Your role ({user.role}) cannot open this page.</p>
        <p className="mt-1 text-sm text-muted-foreground">
          It needs the {roles.join(' or ')} role. Ask an admin if you need access.
        </p>
      </div>
    );
  }
  return <>{children}</>;
}
