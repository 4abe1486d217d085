import { useQuery, useQueryClient } from '@tanstack/react-query';
import { LogOutIcon, MenuIcon, MoonIcon, SunIcon } from 'lucide-react';
import { useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { authClient } from '@/lib/auth-client';
import { toastError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { cn } from '@/lib/utils';
import { canSee, NAV_ITEMS } from './navigation';
import { useStaff } from './session';
import { KeyboardShortcuts } from './shortcuts';
import { useTheme } from './theme';

function StripeModeBadge() {
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions());
  const mode = info.data?.stripeMode;
  if (!mode) return null;
  if (mode === 'emulator') {
    return (
      <Badge tone="warning" title="Stripe calls go to the local Stripe emulator, not to Stripe">
        Stripe emulator
      </Badge>
    );
  }
  if (mode === 'unconfigured') return <Badge tone="danger">Stripe not configured</Badge>;
  return <Badge tone={mode === 'live' ? 'success' : 'neutral'}>Stripe {mode}</Badge>;
}

function Sidebar({ onNavigate }: { onNavigate?: () => void }) {
  const user = useStaff();
  return (
    <nav aria-label="Main" className="flex flex-col gap-0.5 p-2">
      {NAV_ITEMS.filter((item) => canSee(user.role, item)).map((item) => (
        <NavLink
          key={item.path}
          to={item.path}
          onClick={onNavigate}
          className={({ isActive }) =>
            cn(
              'flex h-8 items-center gap-2 rounded-md px-2 text-sm text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring outline-none',
              isActive && 'bg-accent font-medium text-foreground',
            )
          }
        >
          <item.icon className="size-4" aria-hidden />
          {item.label}
        </NavLink>
      ))}
    </nav>
  );
}

export function AppShell() {
  const user = useStaff();
  const { theme, toggle } = useTheme();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [mobileNav, setMobileNav] = useState(false);

  async function signOut() {
    try {
      await authClient.signOut();
      queryClient.clear();
      navigate('/login', { replace: true });
    } catch (err) {
      toastError(err, 'Sign-out failed');
    }
  }

  return (
    <KeyboardShortcuts>
      <div className="flex min-h-screen">
        <aside className="hidden w-56 shrink-0 border-r bg-sidebar md:block">
          <div className="flex h-12 items-center px-4 font-semibold tracking-tight">Creditdesk</div>
          <Sidebar />
        </aside>
        {mobileNav && (
          <div className="fixed inset-0 z-40 bg-black/40 md:hidden" onClick={() => setMobileNav(false)}>
            <aside className="h-full w-60 border-r bg-sidebar" onClick={(e) => e.stopPropagation()}>
              <div className="flex h-12 items-center px-4 font-semibold">Creditdesk</div>
              <Sidebar onNavigate={() => setMobileNav(false)} />
            </aside>
          </div>
        )}
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex h-12 items-center gap-3 border-b px-4">
            <Button
              variant="ghost"
              size="icon"
              className="md:hidden"
              aria-label="Open navigation"
              onClick={() => setMobileNav(true)}
            >
              <MenuIcon />
            </Button>
            <kbd className="hidden text-xs text-muted-foreground sm:inline">Ctrl/⌘ K to search · ? for shortcuts</kbd>
            <div className="ml-auto flex items-center gap-2">
              <StripeModeBadge />
              <Button
                variant="ghost"
                size="icon"
                aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
                onClick={toggle}
              >
                {theme === 'dark' ? <SunIcon /> : <MoonIcon />}
              </Button>
              <DropdownMenu>
                <DropdownMenuTrigger asChild>
                  <Button variant="outline" size="sm" aria-label="Account menu">
                    {user.name}
                    <Badge tone="outline" className="ml-1" data-testid="role-badge">
                      {user.role}
                    </Badge>
                  </Button>
                </DropdownMenuTrigger>
                <DropdownMenuContent align="end">
                  <DropdownMenuLabel className="font-normal">
                    <div className="text-sm">{user.name}</div>
                    <div className="text-xs text-muted-foreground">{user.email}</div>
                  </DropdownMenuLabel>
                  <DropdownMenuSeparator />
                  <DropdownMenuItem onSelect={() => void signOut()}>
                    <LogOutIcon className="size-4" /> Sign out
                  </DropdownMenuItem>
                </DropdownMenuContent>
              </DropdownMenu>
            </div>
          </header>
          <main id="main" className="min-w-0 flex-1 px-4 py-6 md:px-8">
            <Outlet />
          </main>
        </div>
      </div>
    </KeyboardShortcuts>
  );
}
