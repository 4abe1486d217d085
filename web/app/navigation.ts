import {
  BanIcon,
  BookOpenIcon,
  ChartColumnIcon,
  ScaleIcon,
  ScrollTextIcon,
  SettingsIcon,
  UndoIcon,
  UsersIcon,
  WebhookIcon,
  type LucideIcon,
} from 'lucide-react';

export type Role = 'support' | 'finance' | 'admin';

export interface NavItem {
  label: string;
  path: string;
  icon: LucideIcon;
  /** Roles that see it; admin sees everything. Mirrors the server's procedure tiers. */
  roles: readonly Role[];
  /** `g <key>` jumps here. */
  shortcut?: string;
}

export const NAV_ITEMS: readonly NavItem[] = [
  { label: 'Customers', path: '/customers', icon: UsersIcon, roles: ['support', 'finance', 'admin'], shortcut: 'c' },
  { label: 'Webhooks', path: '/webhooks', icon: WebhookIcon, roles: ['support', 'finance', 'admin'], shortcut: 'w' },
  { label: 'Refunds', path: '/refunds', icon: UndoIcon, roles: ['finance', 'admin'], shortcut: 'r' },
  { label: 'Disputes', path: '/disputes', icon: ScaleIcon, roles: ['support', 'finance', 'admin'], shortcut: 'd' },
  { label: 'Blocks', path: '/blocks', icon: BanIcon, roles: ['support', 'finance', 'admin'], shortcut: 'b' },
  { label: 'Reports', path: '/reports', icon: ChartColumnIcon, roles: ['finance', 'admin'], shortcut: 'p' },
  { label: 'Catalog', path: '/catalog', icon: BookOpenIcon, roles: ['admin'], shortcut: 'k' },
  { label: 'Audit log', path: '/audit', icon: ScrollTextIcon, roles: ['finance', 'admin'], shortcut: 'a' },
  { label: 'Settings', path: '/settings', icon: SettingsIcon, roles: ['support', 'finance', 'admin'], shortcut: 's' },
];

export function canSee(role: Role, item: Pick<NavItem, 'roles'>): boolean {
  return role === 'admin' || item.roles.includes(role);
}
