package org.dl4jlabs.common;

/**
 * A problem the user can fix (bad input, missing data, wrong model file). Its message is shown
 * as is, without a stack trace, and the command exits non-zero. Write the message for a student:
 * say what is wrong, with which file or option, and what to do about it.
 */
public class LabsException extends RuntimeException {

    public LabsException(String message) {
        super(message);
    }

    public LabsException(String message, Throwable cause) {
        super(message, cause);
    }
}
