package io.m31r.release.git;

import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.BadInputException;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The credentials of {@code release.git_remote}: an HTTPS token read from the environment variable
 * the config names, at the moment it is needed. The token is never put into a message, a log line
 * or a URL.
 */
final class RemoteCredentials {
  private RemoteCredentials() {}

  /** Null when the remote needs none (file:, git://, or no token_env). */
  static CredentialsProvider of(ReleaseSettings.GitRemote remote) {
    if (remote.tokenEnv() == null) {
      return null;
    }
    String token = System.getenv(remote.tokenEnv());
    if (token == null || token.isEmpty()) {
      throw new BadInputException("release.git_remote.token_env: environment variable " + remote.tokenEnv() + " is not set");
    }
    return new UsernamePasswordCredentialsProvider(remote.username() == null ? "x-access-token" : remote.username(), token);
  }
}
