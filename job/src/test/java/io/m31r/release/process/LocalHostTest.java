package io.m31r.release.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalHostTest {
  private static final LocalHost.Resolver UNRESOLVED = () -> {
    throw new UnknownHostException("ip-10-0-0-7: Name or service not known");
  };

  @Test
  void theResolvedNameComesFirst() {
    assertEquals("node7", LocalHost.name(() -> "node7", Map.of("HOSTNAME", "container-1")::get));
  }

  @Test
  void anUnresolvedHostIsNamedByHostnameAndOtherwiseByOneFixedWord() {
    assertEquals("container-1", LocalHost.name(UNRESOLVED, Map.of("HOSTNAME", "container-1")::get));
    assertEquals(LocalHost.UNKNOWN, LocalHost.name(UNRESOLVED, Map.of("HOSTNAME", " ")::get));
    assertEquals("unknown-host", LocalHost.name(UNRESOLVED, Map.<String, String>of()::get));
  }
}
