// A free 127.0.0.1 TCP port, found by letting the OS pick one and releasing it.
import { createServer } from 'node:net';

/**
 * Asks the OS for an unused loopback port (there is a small race until the caller binds it).
 *
 * @example const port = await freePort(); // 41873
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
