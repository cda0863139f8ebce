package io.m31r.release.cli;

import picocli.CommandLine;

/** The tool's version, from the jar manifest when packaged. */
public final class ToolVersion implements CommandLine.IVersionProvider {
  public static String get() {
    String v = ToolVersion.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"m31r-release " + get()};
  }
}
