package io.modelwire.client;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP sockets this JVM holds open to one remote port, read from Linux's /proc: the socket
 * inodes among /proc/self/fd, matched against the rows of /proc/net/tcp and /proc/net/tcp6.
 *
 * <pre>{@code Set<String> open = ProcessSockets.toRemotePort(8080); }</pre>
 */
final class ProcessSockets {
  private ProcessSockets() {}

  /** True where /proc can be read (Linux). {@code ProcessSockets.supported()} */
  static boolean supported() {
    return Files.isDirectory(Paths.get("/proc/self/fd")) && Files.isReadable(Paths.get("/proc/net/tcp"));
  }

  /**
   * The inodes of this process's sockets whose remote end is {@code port}.
   *
   * <pre>{@code ProcessSockets.toRemotePort(mockPort).size() }</pre>
   *
   * @param port remote TCP port
   * @return socket inodes
   */
  static Set<String> toRemotePort(int port) {
    Set<String> own = ownSocketInodes();
    Set<String> out = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> rows;
      try {
        rows = Files.readAllLines(Paths.get(table));
      } catch (IOException e) {
        continue; // no IPv6 table on this host
      }
      for (String row : rows.subList(Math.min(1, rows.size()), rows.size())) {
        // columns: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
        String[] c = row.trim().split("\\s+");
        if (c.length < 10) continue;
        String remote = c[2];
        int remotePort = Integer.parseInt(remote.substring(remote.indexOf(':') + 1), 16);
        if (remotePort == port && own.contains(c[9])) out.add(c[9]);
      }
    }
    return out;
  }

  private static Set<String> ownSocketInodes() {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Paths.get("/proc/self/fd"))) {
      for (Path fd : fds) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
          continue; // closed while listing
        }
        if (target.startsWith("socket:[")) inodes.add(target.substring("socket:[".length(), target.length() - 1));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc/self/fd", e);
    }
    return inodes;
  }
}
