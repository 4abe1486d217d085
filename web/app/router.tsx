import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { SkeletonRows } from '@/components/states';
import { LoginPage } from '@/features/auth/login-page';
import { NotFoundPage } from '@/features/not-found-page';
import { RouteErrorPage } from './error-boundary';
import { NAV_ITEMS } from './navigation';
import { RequireSession, RoleGate } from './session';
import { AppShell } from './shell';

// Screens load on demand so the first paint ships only the shell.
function page(load: () => Promise<{ default: ComponentType }>): ReactNode {
  const Page = lazy(load);
  return (
    <Suspense fallback={<SkeletonRows rows={8} />}>
      <Page />
    </Suspense>
  );
}

function gated(path: string, element: ReactNode): ReactNode {
  const item = NAV_ITEMS.find((i) => i.path === path);
  return item ? <RoleGate roles={item.roles}>{element}</RoleGate> : element;
}

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage />, errorElement: <RouteErrorPage /> },
  {
    path: '/',
    element: (
      <RequireSession>
        <AppShell />
      </RequireSession>
    ),
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <Navigate to="/customers" replace /> },
      {
        path: 'customers',
        element: gated(
          '/customers',
          page(() => import('@/features/customers/customers-page').then((m) => ({ default: m.CustomersPage }))),
        ),
      },
      {
        path: 'customers/:customerId',
        element: gated(
          '/customers',
          page(() => import('@/features/customers/customer-page').then((m) => ({ default: m.CustomerPage }))),
        ),
      },
      {
        path: 'webhooks',
        element: gated(
          '/webhooks',
          page(() => import('@/features/webhooks/webhooks-page').then((m) => ({ default: m.WebhooksPage }))),
        ),
      },
      {
        path: 'webhooks/:eventId',
        element: gated(
          '/webhooks',
          page(() => import('@/features/webhooks/event-page').then((m) => ({ default: m.EventPage }))),
        ),
      },
      {
        path: 'refunds',
        element: gated(
          '/refunds',
          page(() => import('@/features/refunds/refunds-page').then((m) => ({ default: m.RefundsPage }))),
        ),
      },
      {
        path: 'disputes',
        element: gated(
          '/disputes',
          page(() => import('@/features/disputes/disputes-page').then((m) => ({ default: m.DisputesPage }))),
        ),
      },
      {
        path: 'disputes/:disputeId',
        element: gated(
          '/disputes',
          page(() => import('@/features/disputes/dispute-page').then((m) => ({ default: m.DisputePage }))),
        ),
      },
      {
        path: 'blocks',
        element: gated(
          '/blocks',
          page(() => import('@/features/blocks/blocks-page').then((m) => ({ default: m.BlocksPage }))),
        ),
      },
      {
        path: 'reports',
        element: gated(
          '/reports',
          page(() => import('@/features/reports/reports-page').then((m) => ({ default: m.ReportsPage }))),
        ),
      },
      {
        path: 'catalog',
        element: gated(
          '/catalog',
          page(() => import('@/features/catalog/catalog-page').then((m) => ({ default: m.CatalogPage }))),
        ),
      },
      {
        path: 'audit',
        element: gated(
          '/audit',
          page(() => import('@/features/audit/audit-page').then((m) => ({ default: m.AuditPage }))),
        ),
      },
      {
        path: 'settings',
        element: gated(
          '/settings',
          page(() => import('@/features/settings/settings-page').then((m) => ({ default: m.SettingsPage }))),
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
