// The one door from production code into the Stripe emulator (emulator/, development, demos and
// tests only). Both loaders import dynamically: the server bundle keeps the emulator in a chunk of
// its own that is parsed only when these run, and they run only without STRIPE_SECRET_KEY
// (server/stripe/client.ts refuses that in production). Nothing else under server/ or web/ may
// import emulator/ (eslint.config.js).

export type { EmulatorDriver } from '../../emulator/driver.ts';

/** The emulator's server (started by server/stripe/client.ts when no Stripe keys are set). */
export function loadStripeEmulator(): Promise<typeof import('../../emulator/index.ts')> {
  return import('../../emulator/index.ts');
}

/** The emulator's control API client (the demo seed plays customers, banks and the Dashboard with it). */
export async function loadEmulatorDriver(): Promise<typeof import('../../emulator/driver.ts').EmulatorDriver> {
  return (await import('../../emulator/driver.ts')).EmulatorDriver;
}
