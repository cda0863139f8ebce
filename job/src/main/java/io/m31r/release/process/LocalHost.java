package io.m31r.release.process;

import java.io.IOException;
import java.net.InetAddress;

/** This machine's host name, for messages that say where something ran (an executor, most often). */
public final class LocalHost {
  private LocalHost() {}

  public static String name() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown host";
    }
  }
}
