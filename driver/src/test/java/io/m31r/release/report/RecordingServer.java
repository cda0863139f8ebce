package io.m31r.release.report;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback HTTP server that serves fixed pages and records every request it receives, as
 * {@code host-header path}, so a test can prove what a browser did and did not fetch.
 */
final class RecordingServer implements AutoCloseable {
  private record Page(String contentType, byte[] body) {}

  private final HttpServer server;
  private final Map<String, Page> pages = new ConcurrentHashMap<>();
  private final List<String> requests = new ArrayList<>();

  RecordingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getRawPath();
      synchronized (requests) {
        requests.add(exchange.getRequestHeaders().getFirst("Host") + " " + path);
      }
      Page page = pages.get(path);
      try (exchange) {
        if (page == null) {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
        exchange.getResponseHeaders().set("Content-Type", page.contentType());
        exchange.sendResponseHeaders(200, page.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(page.body());
        }
      }
    });
    server.start();
  }

  void serve(String path, String contentType, byte[] body) {
    pages.put(path, new Page(contentType, body));
  }

  int port() {
    return server.getAddress().getPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** Requests so far, oldest first, leaving out {@code /favicon.ico}, which browsers ask for unprompted. */
  List<String> requests() {
    synchronized (requests) {
      return requests.stream().filter(r -> !r.endsWith(" /favicon.ico")).toList();
    }
  }

  void clear() {
    synchronized (requests) {
      requests.clear();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
