package io.m31r.release.process;

import java.io.IOException;
import java.net.InetAddress;
import java.util.function.Function;

/**
 * This machine's host name, for records and messages that say where something ran (a lease's
 * holder, a rebuild record, an executor). One lookup with one fallback everywhere, so that the
 * same machine is named the same way in each of them.
 */
public final class LocalHost {
  /** The name when neither the resolver nor {@code HOSTNAME} gives one. */
  public static final String UNKNOWN = "unknown-host";

  private LocalHost() {}

  public static String name() {
    return name(LocalHost::resolved, System::getenv);
  }

  interface Resolver {
    String hostName() throws IOException;
  }

  static String name(Resolver resolver, Function<String, String> env) {
    try {
      return resolver.hostName();
    } catch (IOException e) {
      // Containers whose name does not resolve still set HOSTNAME.
      String fromEnv = env.apply("HOSTNAME");
      return fromEnv == null || fromEnv.isBlank() ? UNKNOWN : fromEnv;
    }
  }

  private static String resolved() throws IOException {
    return InetAddress.getLocalHost().getHostName();
  }
}
