package io.m31r.release.cli;

import io.m31r.release.registry.ReleaseRoot;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** A command on a release root: plain storage reads and small writes, no Spark session. */
abstract class RegistryCommand implements Callable<Integer> {
  @CommandLine.ParentCommand M31rCli parent;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--root", paramLabel = "ROOT", defaultValue = "release",
      description = "Release root: a local path (relative to the working directory), hdfs:// or s3a:// (default: ${DEFAULT-VALUE}).")
  String root;

  /** Hadoop settings from the release config, as Spark commands pass them to their session. */
  Configuration hadoopConf() {
    Configuration conf = new Configuration();
    parent.config().hadoop().forEach(conf::set);
    return conf;
  }

  ReleaseRoot releaseRoot(Configuration conf) {
    return ReleaseRoot.at(root, conf);
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
