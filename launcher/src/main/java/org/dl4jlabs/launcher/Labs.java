package org.dl4jlabs.launcher;

import org.dl4jlabs.common.cli.BenchCommand;
import org.dl4jlabs.common.cli.LabsApp;
import org.dl4jlabs.common.cli.LabsCli;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ./labs}: every app on the classpath as a subcommand (each registers itself as a
 * {@link LabsApp} service), plus {@code bench}.
 */
@Command(name = "labs", mixinStandardHelpOptions = true, version = "dl4j-labs 0.1.0",
        description = "Deeplearning4j labs: train, evaluate and explore neural networks on the JVM.",
        footer = {"", "Run './labs <app> --help' for an app's commands, e.g. './labs mnist-mlp train --help'."},
        subcommands = BenchCommand.class)
public class Labs implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        LabsCli.main(LabsCli.withApps(new Labs()), args);
    }
}
