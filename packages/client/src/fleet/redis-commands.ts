/**
 * The two Redis commands the shared cache needs, over the application's own client: node-redis (`redis` ≥ 5,
 * single node or cluster) or ioredis (`Redis` or `Cluster`). The SDK never connects, quits or closes it.
 */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  /** SET key value PX ttlMs. */
  setPx(key: string, value: string, ttlMs: number): Promise<void>;
  /** SET key value NX PX ttlMs: true when this call created the key. */
  setNxPx(key: string, value: string, ttlMs: number): Promise<boolean>;
  del(key: string): Promise<void>;
}

/** A node-redis or ioredis client, as far as the shared cache uses it. */
export type RedisLike = {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, ...options: unknown[]): Promise<unknown>;
  del(key: string): Promise<unknown>;
};

/**
 * Adapts the application's Redis client. node-redis clients have a boolean `isOpen` and take SET options
 * as an object; ioredis takes them as arguments.
 *
 * @example redisCommands(createClient({ url: 'redis://127.0.0.1:6379' })) // node-redis
 */
export function redisCommands(client: RedisLike): RedisCommands {
  const nodeRedis = typeof (client as { isOpen?: unknown }).isOpen === 'boolean';
  return {
    get: async (key) => {
      const value = await client.get(key);
      if (value === null || value === undefined) return null;
      return typeof value === 'string' ? value : String(value);
    },
    setPx: async (key, value, ttlMs) => {
      const ms = Math.max(1, Math.ceil(ttlMs));
      if (nodeRedis) await client.set(key, value, { expiration: { type: 'PX', value: ms } });
      else await client.set(key, value, 'PX', ms);
    },
    setNxPx: async (key, value, ttlMs) => {
      const ms = Math.max(1, Math.ceil(ttlMs));
      const reply = nodeRedis
        ? await client.set(key, value, { condition: 'NX', expiration: { type: 'PX', value: ms } })
        : await client.set(key, value, 'PX', ms, 'NX');
      return reply === 'OK';
    },
    del: async (key) => {
      await client.del(key);
    },
  };
}
