package io.m31r.release.git;

import io.m31r.release.config.ReleaseSettings;
import io.m31r.release.failure.BadInputException;
import io.m31r.release.failure.InfrastructureException;
import io.m31r.release.failure.ReleaseException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.common.SshException;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * How to reach {@code release.git_remote}: its URL and, resolved against the folder of
 * release.yaml once, either the environment variable holding an HTTPS token or the SSH key and
 * known-hosts files. Secrets are read when a command runs and never put into a message, a log line
 * or a URL.
 */
public final class RemoteAccess {
  private final ReleaseSettings.GitRemote remote;
  private final Path sshKey;
  private final Path knownHosts;

  private RemoteAccess(ReleaseSettings.GitRemote remote, Path sshKey, Path knownHosts) {
    this.remote = remote;
    this.sshKey = sshKey;
    this.knownHosts = knownHosts;
  }

  /** Resolves the remote's files against {@code baseDir}; a named file that is missing is exit 2. */
  public static RemoteAccess of(ReleaseSettings.GitRemote remote, Path baseDir) {
    if (!remote.isSsh()) {
      return new RemoteAccess(remote, null, null);
    }
    return new RemoteAccess(remote, existing(baseDir, remote.sshKeyFile(), "ssh_key_file"),
        existing(baseDir, remote.knownHostsFile(), "known_hosts_file"));
  }

  private static Path existing(Path baseDir, String file, String key) {
    Path p = baseDir.resolve(file).toAbsolutePath().normalize();
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw new BadInputException("config release.git_remote." + key + ": no readable file at " + p);
    }
    return p;
  }

  public String url() {
    return remote.url();
  }

  /** Sets the timeout and the credentials or SSH session of one JGit remote command. */
  <C extends TransportCommand<C, ?>> C configure(C command, int timeoutSeconds) {
    command.setTimeout(timeoutSeconds);
    if (sshKey != null) {
      SshdSessionFactory ssh = sshSessions();
      command.setTransportConfigCallback(t -> {
        if (t instanceof SshTransport s) {
          s.setSshSessionFactory(ssh);
        }
      });
    } else if (remote.tokenEnv() != null) {
      String token = System.getenv(remote.tokenEnv());
      if (token == null || token.isEmpty()) {
        throw new BadInputException("release.git_remote.token_env: environment variable " + remote.tokenEnv() + " is not set");
      }
      command.setCredentialsProvider(
          new UsernamePasswordCredentialsProvider(remote.username() == null ? "x-access-token" : remote.username(), token));
    }
    return command;
  }

  /**
   * The failure of one remote command: a retry may reach a remote that did not answer (exit 1), but
   * not one whose host key the known-hosts file does not vouch for (exit 2: a configuration
   * error, or someone in between).
   */
  ReleaseException failure(String what, Throwable e) {
    for (Throwable c = e; c != null && knownHosts != null; c = c.getCause()) {
      if (c instanceof SshException && String.valueOf(c.getMessage()).contains("Server key did not validate")) {
        return new BadInputException(what + ": the server's host key is not the one release.git_remote.known_hosts_file ("
            + knownHosts + ") lists for it");
      }
    }
    String m = String.valueOf(e.getMessage());
    return new InfrastructureException(what + ": " + m.lines().findFirst().orElse(e.getClass().getSimpleName()), e);
  }

  /**
   * Only the configured key and known-hosts file count: no ~/.ssh/config, no agent, no default
   * identities, so a run does not depend on the machine's user. With no way to ask, JGit refuses a
   * host whose key is not in the known-hosts file, or differs from it.
   */
  private SshdSessionFactory sshSessions() {
    File home = sshKey.getParent().toFile();
    return new SshdSessionFactoryBuilder()
        .setHomeDirectory(home)
        .setSshDirectory(home)
        .setConfigStoreFactory((h, f, user) -> null)
        .setDefaultIdentities(dir -> List.of(sshKey))
        .setDefaultKnownHostsFiles(dir -> List.of(knownHosts))
        .setPreferredAuthentications("publickey")
        .build(null);
  }
}
