// The arrows the layering forbids (docs/ARCHITECTURE.md). Each rule looks at one edge of the
// import graph and names the broken rule, or returns null.
import type { Edge } from './import-graph.ts';

const under = (p: string, ...dirs: string[]) => dirs.some((d) => p === d || p.startsWith(`${d}/`));
const isTest = (p: string) => /\.test\.tsx?$/.test(p) || under(p, 'test', 'e2e', 'bench');

/** Code that runs in the product: the server (and its release step), the SPA, the published client. */
export function isProduction(p: string): boolean {
  if (isTest(p)) return false;
  return under(p, 'server', 'web', 'client/src') || p === 'scripts/db-migrate.ts';
}

/** The one file allowed to load the emulator, and only with dynamic imports. */
export const EMULATOR_LOADER = 'server/dev/emulator-loader.ts';

const TRANSPORT_DIRS = ['server/trpc', 'server/http', 'server/api'];
const TRANSPORT_FILES = ['server/stripe/webhook-route.ts', 'server/app.ts', 'server/index.ts'];
const TRANSPORT_PACKAGES = ['fastify', '@trpc/server', '@trpc/client', '@fastify/static'];
const SERVER_ONLY_PACKAGES = ['@prisma/client', '@prisma/adapter-pg', 'pg', 'pg-boss', 'fastify', 'better-auth/node'];
/** The wire format both sides register (superjson with decimal.js); the one non-zod import in contracts. */
const CONTRACTS_WIRE_FILE = 'server/contracts/superjson-setup.ts';

export interface Rule {
  name: string;
  broken(edge: Edge): boolean;
}

export const RULES: Rule[] = [
  {
    name: 'domain (server/modules) never imports transport (tRPC, Fastify, HTTP routes, the service API)',
    broken: ({ from, to }) =>
      under(from, 'server/modules') &&
      !isTest(from) &&
      (under(to, ...TRANSPORT_DIRS) || TRANSPORT_FILES.includes(to) || TRANSPORT_PACKAGES.includes(to)),
  },
  {
    name: 'web imports from the server only server/contracts (and the AppRouter type)',
    broken: ({ from, to, kind }) => {
      if (!under(from, 'web')) return false;
      if (SERVER_ONLY_PACKAGES.includes(to)) return true;
      if (!under(to, 'server')) return false;
      if (under(to, 'server/contracts')) return false;
      return !(to === 'server/trpc/router.ts' && kind === 'type');
    },
  },
  {
    name: `production code never reaches emulator/ (only ${EMULATOR_LOADER}, with dynamic imports)`,
    broken: ({ from, to, kind }) =>
      isProduction(from) && under(to, 'emulator') && !(from === EMULATOR_LOADER && kind !== 'static'),
  },
  {
    name: 'server/contracts imports only zod and other contracts',
    broken: ({ from, to }) => {
      if (!under(from, 'server/contracts') || isTest(from)) return false;
      if (to === 'zod' || under(to, 'server/contracts')) return false;
      return !(from === CONTRACTS_WIRE_FILE && (to === 'superjson' || to === 'decimal.js'));
    },
  },
];

export function brokenRules(edge: Edge): string[] {
  return RULES.filter((r) => r.broken(edge)).map((r) => r.name);
}
