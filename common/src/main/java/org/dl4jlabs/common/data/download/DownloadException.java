package org.dl4jlabs.common.data.download;

import org.dl4jlabs.common.LabsException;

/**
 * No mirror could deliver a file. The message tells the user how to put the files in place by hand;
 * {@link #reason()} is the short account of what went wrong, for a one-line log.
 */
public class DownloadException extends LabsException {

    private final String reason;

    public DownloadException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
