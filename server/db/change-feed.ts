// What other processes changed, for the caches a process keeps of things that rarely change (the
// catalog, API keys), and new work for the background jobs (outbox rows, automatic top-ups). One
// LISTEN connection per process on "creditdesk_changes"; triggers (migrations
// 20261205200000_change_notifications, 20261206095212_wake_jobs_on_work) name the topic on every
// commit that touches it, whoever wrote it. Each topic has a generation that moves on every notice;
// a cache keeps a value only while the generation it was loaded under is current (see `cached`).
// Listeners (`onNotice`, the job runner's wakes) hear every notice, and every topic when the feed
// becomes live, since anything may have been written while it was not.
//
// A cache is trusted only while the feed is live: LISTEN established and proven by a probe that
// came back. Until then, after the connection drops, or where notifications never arrive (the
// embedded PGlite), every read goes to the database, so a revocation is never missed.
import pg from 'pg';

export type ChangeTopic = 'catalog' | 'api_key' | 'outbound' | 'auto_topup';
const TOPICS: ChangeTopic[] = ['catalog', 'api_key', 'outbound', 'auto_topup'];
const CHANNEL = 'creditdesk_changes';
const PROBE_TIMEOUT_MS = 2000;
const RECONNECT_MS = 1000;

export class ChangeFeed {
  private client: pg.Client | null = null;
  private readonly generations = new Map<ChangeTopic, number>(TOPICS.map((t) => [t, 0]));
  private live = false;
  private stopped = false;
  private probe: string | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly listeners = new Map<ChangeTopic, Set<() => void>>();

  constructor(
    private readonly databaseUrl: string,
    private readonly log?: { warn(obj: object, msg: string): void },
  ) {}

  /** True while notices are known to arrive: caches may answer from memory. */
  isLive(): boolean {
    return this.live;
  }

  generation(topic: ChangeTopic): number {
    return this.generations.get(topic)!;
  }

  /** Calls `listener` on every notice of `topic` and when the feed becomes live; returns the unsubscribe. */
  onNotice(topic: ChangeTopic, listener: () => void): () => void {
    const set = this.listeners.get(topic) ?? new Set();
    this.listeners.set(topic, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Resolves once the feed is live, or false when it could not be proven (caches stay off). */
  async start(): Promise<boolean> {
    if (this.stopped) return false;
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'creditdesk-change-feed' });
    this.client = client;
    const lost = () => this.lost(client);
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      if (this.stopped) throw new Error('stopped');
      const proven = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS);
        client.on('notification', (msg) => {
          if (msg.channel !== CHANNEL) return;
          if (msg.payload === this.probe) {
            clearTimeout(timer);
            resolve(true);
          } else if (TOPICS.includes(msg.payload as ChangeTopic)) this.notice(msg.payload as ChangeTopic);
        });
      });
      await client.query(`LISTEN ${CHANNEL}`);
      this.probe = `probe:${process.pid}:${Math.random()}`;
      await client.query('SELECT pg_notify($1, $2)', [CHANNEL, this.probe]);
      const ok = await proven;
      if (this.stopped || this.client !== client) {
        client.removeAllListeners('end');
        await client.end().catch(() => {});
        return false;
      }
      if (!ok) {
        // No notifications here (the embedded database): give the connection back, stay off.
        this.stopped = true;
        client.removeListener('end', lost);
        await client.end().catch(() => {});
        return false;
      }
      // Whatever was loaded before the feed was live may be stale by now.
      this.live = true;
      for (const topic of TOPICS) this.notice(topic);
      return true;
    } catch (err) {
      if (this.stopped) {
        client.removeAllListeners('end');
        await client.end().catch(() => {});
        return false;
      }
      this.log?.warn({ err }, 'change feed: could not LISTEN; caches are off until it can');
      this.lost(client);
      return false;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.live = false;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
  }

  private bump(topic: ChangeTopic): void {
    this.generations.set(topic, this.generation(topic) + 1);
  }

  private notice(topic: ChangeTopic): void {
    this.bump(topic);
    for (const listener of this.listeners.get(topic) ?? []) {
      try {
        listener();
      } catch (err) {
        this.log?.warn({ err, topic }, 'change feed: a listener failed');
      }
    }
  }

  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.live = false;
    for (const topic of TOPICS) this.bump(topic);
    client.removeAllListeners('end');
    void client.end().catch(() => {});
    if (this.stopped) return;
    this.reconnectTimer = setTimeout(() => void this.start(), RECONNECT_MS);
    this.reconnectTimer.unref();
  }
}

/**
 * A value loaded from the database and kept while `topic` has not changed and the feed is live;
 * without a live feed every get loads. Concurrent misses share one load.
 */
export function cached<T>(feed: ChangeFeed | null, topic: ChangeTopic, load: () => Promise<T>): () => Promise<T> {
  let kept: { value: T; generation: number } | null = null;
  let loading: { promise: Promise<T>; generation: number } | null = null;
  return async () => {
    if (!feed?.isLive()) return load();
    const generation = feed.generation(topic);
    if (kept && kept.generation === generation) return kept.value;
    if (loading && loading.generation === generation) return loading.promise;
    const promise = load();
    loading = { promise, generation };
    try {
      const value = await promise;
      // A notice that arrived while loading may describe a change the load did not see.
      if (feed.isLive() && feed.generation(topic) === generation) kept = { value, generation };
      return value;
    } finally {
      if (loading?.promise === promise) loading = null;
    }
  };
}
