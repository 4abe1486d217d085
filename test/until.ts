/** Polls `probe` until it yields something truthy (and returns it), or fails after `ms`. */
export async function until<T>(
  probe: () => Promise<T | null | undefined | false>,
  ms = 20_000,
  pollMs = 100,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
