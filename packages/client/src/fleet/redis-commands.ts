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
  /** ZADD key score member, then PEXPIRE key ttlMs. */
  zAddExpiring(key: string, score: number, member: string, ttlMs: number): Promise<void>;
  zRem(key: string, member: string): Promise<void>;
  /** ZRANGEBYSCORE key (minScore +inf: the members scored above minScore. */
  zMembersAbove(key: string, minScore: number): Promise<string[]>;
}

/** A node-redis or ioredis client, as far as the shared cache uses it. */
export type RedisLike = {
  get(key: string): Promise<unknown>;
  set(key: string, value: string, ...options: unknown[]): Promise<unknown>;
  del(key: string): Promise<unknown>;
};

type Call = (...args: unknown[]) => Promise<unknown>;

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
    zAddExpiring: async (key, score, member, ttlMs) => {
      const ms = Math.max(1, Math.ceil(ttlMs));
      if (nodeRedis) {
        await method(client, 'zAdd')(key, { score, value: member });
        await method(client, 'pExpire')(key, ms);
      } else {
        await method(client, 'zadd')(key, score, member);
        await method(client, 'pexpire')(key, ms);
      }
    },
    zRem: async (key, member) => {
      await method(client, nodeRedis ? 'zRem' : 'zrem')(key, member);
    },
    zMembersAbove: async (key, minScore) => {
      const members = await method(client, nodeRedis ? 'zRangeByScore' : 'zrangebyscore')(key, `(${minScore}`, '+inf');
      return Array.isArray(members) ? members.map(String) : [];
    },
  };
}

/** A command method of the client, bound to it (node-redis and ioredis name them differently). */
function method(client: RedisLike, name: string): Call {
  const fn = (client as unknown as Record<string, unknown>)[name];
  if (typeof fn !== 'function') throw new Error(`the Redis client has no ${name}()`);
  return (fn as Call).bind(client);
}
