package io.m31r.release.git;

import java.util.Objects;

/** One commit of a changelog range: its id and full message. */
record CommitMessage(String id, String message) {
  CommitMessage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(message, "message");
  }

  String abbreviated() {
    return id.substring(0, 7);
  }
}
