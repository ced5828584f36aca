import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real redis-server (Debian package `redis-server`) on 127.0.0.1 with a free port, no persistence. */
export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts redis-server and resolves once it accepts connections.
 *
 * @example const redis = await startRedis(); … await redis.stop();
 */
export async function startRedis(extraArgs: string[] = []): Promise<RedisServer> {
  // A free port can be taken between choosing and binding it (redis-server then exits at once): a few tries.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchRedis(extraArgs);
    } catch (error) {
      if (attempt >= 5 || (error as Error).message.includes('could not start')) throw error;
    }
  }
}

async function launchRedis(extraArgs: string[]): Promise<RedisServer> {
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--enable-debug-command',
    'local',
    ...extraArgs,
  ];
  const child: ChildProcess = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server not ready within 10 s: ${out.slice(-300)}`));
    }, 10_000);
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`redis-server could not start (apt-get install redis-server): ${error.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited ${code}: ${out.slice(-500)}`));
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A 3-master Redis Cluster on 127.0.0.1 (no replicas), made with `redis-cli --cluster create`. */
export interface RedisCluster {
  nodes: RedisServer[];
  stop(): Promise<void>;
}

/**
 * Starts three cluster-enabled redis-servers (own temp dir each, for nodes.conf) and joins them.
 *
 * @example const cluster = await startRedisCluster(); createCluster({ rootNodes: cluster.nodes.map((n) => ({ url: n.url })) });
 */
export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'modelwire-redis-cluster-'));
  const nodes: RedisServer[] = [];
  for (let i = 0; i < 3; i++) {
    nodes.push(await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${i}.conf`), '--dir', dir]));
  }
  const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
  execFileSync('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { stdio: 'pipe' });
  // The cluster answers once every node agrees on the slots.
  for (let i = 0; i < 200; i++) {
    const info = execFileSync('redis-cli', ['-p', String(nodes[0]?.port), 'cluster', 'info'], { encoding: 'utf8' });
    if (info.includes('cluster_state:ok')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    nodes,
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
