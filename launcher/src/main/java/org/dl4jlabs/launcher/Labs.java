package org.dl4jlabs.launcher;

import org.dl4jlabs.common.cli.BenchCommand;
import org.dl4jlabs.common.cli.LabsCli;
import org.dl4jlabs.mnist.App;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./labs}: every app of the suite as a subcommand, plus {@code bench}. */
@Command(name = "labs", mixinStandardHelpOptions = true, version = "dl4j-labs 0.1.0",
        description = "Deeplearning4j labs: train, evaluate and explore neural networks on the JVM.",
        footer = {"", "Run './labs <app> --help' for an app's commands, e.g. './labs mnist-mlp train --help'."},
        subcommands = {App.class, org.dl4jlabs.cifar.App.class, org.dl4jlabs.autoencoder.App.class,
                org.dl4jlabs.lstm.App.class, BenchCommand.class})
public class Labs implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        LabsCli.main(new Labs(), args);
    }
}
