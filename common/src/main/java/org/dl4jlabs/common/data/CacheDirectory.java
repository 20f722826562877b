package org.dl4jlabs.common.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where downloaded and generated data sets are kept between runs.
 */
public final class CacheDirectory {

    /** Names the cache directory when no option does. */
    public static final String ENVIRONMENT_VARIABLE = "DL4J_LABS_DATA";

    private CacheDirectory() {
    }

    /**
     * The cache directory: {@code explicit} if given, else {@code $DL4J_LABS_DATA} if set, else
     * {@code ~/.dl4j-labs/data}.
     *
     * @param explicit a directory chosen on the command line, or null
     */
    public static Path resolve(Path explicit) {
        return resolve(explicit, System.getenv(), System.getProperty("user.home"));
    }

    static Path resolve(Path explicit, Map<String, String> environment, String userHome) {
        if (explicit != null) {
            return explicit.toAbsolutePath();
        }
        String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment.trim()).toAbsolutePath();
        }
        return Path.of(userHome, ".dl4j-labs", "data").toAbsolutePath();
    }
}
