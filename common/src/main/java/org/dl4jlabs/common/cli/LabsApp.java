package org.dl4jlabs.common.cli;

/**
 * An app of the suite: a picocli command with its subcommands ({@code train}, {@code eval}, ...).
 * Apps register themselves as services, in their module's
 * {@code META-INF/services/org.dl4jlabs.common.cli.LabsApp}, and {@code ./labs} finds every app
 * whose module was built, so adding an app never means editing the launcher.
 */
public interface LabsApp {
}
