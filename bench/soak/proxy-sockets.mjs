// Open TCP sockets of this process whose peer is a given port (Linux): the socket inodes behind
// /proc/self/fd joined with /proc/net/tcp and tcp6. TIME_WAIT entries have no owner, so they never count.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const STATES = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0B': 'CLOSING',
};

/**
 * Counts this process's sockets connected to `peerPort`, with their TCP states.
 *
 * @example proxySockets(41873); // { count: 2, states: { ESTABLISHED: 2 } }
 */
export function proxySockets(peerPort) {
  const inodes = new Set();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // the fd closed while we listed it
    }
  }
  const states = {};
  let count = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      const port = Number.parseInt(cols[2].split(':')[1], 16);
      if (port !== peerPort || !inodes.has(cols[9])) continue;
      count++;
      const state = STATES[cols[3]] ?? cols[3];
      states[state] = (states[state] ?? 0) + 1;
    }
  }
  return { count, states };
}
