package org.dl4jlabs.common.data.download;

import java.net.URI;
import java.util.List;

/**
 * A file to download: the name it gets in the cache, where it can be fetched from (mirrors, tried in
 * order) and the check that proves a copy is the right one.
 */
public record RemoteFile(String name, List<URI> mirrors, FileCheck check) {

    public RemoteFile {
        if (name.isBlank() || name.contains("/") || name.contains("\\")) {
            throw new IllegalArgumentException("a cache file name, not a path: '" + name + "'");
        }
        mirrors = List.copyOf(mirrors);
        if (mirrors.isEmpty()) {
            throw new IllegalArgumentException("no mirror for " + name);
        }
    }
}
