package io.modelwire.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The one certificate helper of the Java tests: a test CA, a server certificate for 127.0.0.1 and a
 * client certificate, all made at test time by the {@code openssl} CLI (P-256 keys; PKCS#12 stores
 * as OpenSSL 3 writes them by default), and the {@link SSLContext}s built from them.
 * Made once per JVM in a temporary directory that is deleted on exit.
 *
 * <pre>{@code SSLContext mtls = TestTls.get().clientContext(true); }</pre>
 */
final class TestTls {
  static final String OPENSSL = Files.isExecutable(Path.of("/usr/bin/openssl")) ? "/usr/bin/openssl" : "openssl";
  private static final char[] PASSWORD = "modelwire-test".toCharArray();
  private static TestTls instance;

  final Path dir;
  final Path caCert;
  final Path serverP12;
  final Path clientP12;

  private TestTls(Path dir) {
    this.dir = dir;
    this.caCert = dir.resolve("ca.crt");
    this.serverP12 = dir.resolve("server.p12");
    this.clientP12 = dir.resolve("client.p12");
  }

  /** The certificates (made on first use). {@code TestTls.get()} */
  static synchronized TestTls get() {
    if (instance == null) {
      try {
        Path dir = Files.createTempDirectory("modelwire-tls-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        TestTls t = new TestTls(dir);
        t.make();
        instance = t;
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException("cannot make the test certificates with openssl: " + e.getMessage(), e);
      }
    }
    return instance;
  }

  private void make() throws IOException, InterruptedException {
    String ec = "ec_paramgen_curve:P-256";
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", ec, "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "2", "-subj", "/CN=modelwire test CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    leaf("server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    leaf("client", "/CN=modelwire-test-client", "extendedKeyUsage=clientAuth\n");
  }

  // a key, a certificate signed by the CA, and a PKCS#12 store holding both (with the CA)
  private void leaf(String name, String subject, String extensions) throws IOException, InterruptedException {
    Files.writeString(dir.resolve(name + ".ext"), extensions, StandardCharsets.US_ASCII);
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key",
        "-out", name + ".csr", "-subj", subject);
    openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-extfile", name + ".ext", "-out", name + ".crt");
    openssl("pkcs12", "-export", "-inkey", name + ".key", "-in", name + ".crt", "-certfile", "ca.crt",
        "-name", name, "-passout", "pass:" + new String(PASSWORD), "-out", name + ".p12");
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(OPENSSL);
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + out);
  }

  /**
   * A client context trusting the test CA, presenting the client certificate when {@code withCert}.
   *
   * @param withCert whether to present the client certificate
   * @return the context
   */
  SSLContext clientContext(boolean withCert) {
    return context(withCert ? clientP12 : null);
  }

  /** The server's context: its certificate, trusting client certificates signed by the test CA. */
  SSLContext serverContext() {
    return context(serverP12);
  }

  private SSLContext context(Path keyStore) {
    try {
      KeyManagerFactory kmf = null;
      if (keyStore != null) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
          ks.load(in, PASSWORD);
        }
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD);
      }
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(caCert)) {
        Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
        trust.setCertificateEntry("modelwire-test-ca", ca);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot load the test certificates: " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }
}
