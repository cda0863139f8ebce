package io.m31r.release.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.m31r.release.cli.M31rCli;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfLauncherTest {
  @TempDir Path tmp;

  /**
   * As under spark-submit: the application jar and a --jars jar are known only to a URL class
   * loader above the system one, and java.class.path is SPARK_HOME's jars.
   */
  @Test
  void theChildGetsTheJarsOfTheApplicationClassLoaderAndTheJvmClassPath() throws Exception {
    Path app = tmp.resolve("app.jar");
    Path libtorch = tmp.resolve("pytorch-native-cpu.jar");
    Path spark = tmp.resolve("spark-core.jar");
    try (URLClassLoader parent = new URLClassLoader(new URL[] {spark.toUri().toURL()}, null);
        URLClassLoader loader = new URLClassLoader(
            new URL[] {app.toUri().toURL(), libtorch.toUri().toURL(), new URL("http://127.0.0.1:1/remote.jar")}, parent)) {
      String javaClassPath = String.join(File.pathSeparator, "/spark/conf", spark.toString(), "", "/spark/jars/a.jar");
      List<String> cp = SelfLauncher.classPath(app, loader, javaClassPath);
      assertEquals(List.of(app.toString(), libtorch.toString(), spark.toString(), "/spark/conf", "/spark/jars/a.jar"), cp);
    }
  }

  @Test
  void inAPlainJvmTheCommandStartsTheCliWithThisClassPathOffline() {
    List<String> cmd = SelfLauncher.command();
    assertEquals(M31rCli.class.getName(), cmd.get(cmd.size() - 1));
    assertTrue(cmd.contains("-Dai.djl.offline=true"), cmd.toString());
    String cp = cmd.get(cmd.indexOf("-cp") + 1);
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      assertTrue(cp.contains(entry), entry);
    }
  }
}
