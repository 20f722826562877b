package org.dl4jlabs.common.layers.fast;

import org.dl4jlabs.common.layers.onednn.OneDnn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one guard every fast layer asks before a pass: whether it may leave DL4J's code, and a record
 * of what it chose. Each layer class counts its fast passes and its fallbacks to DL4J's
 * implementation, so a test can assert that the fast path really ran where it should (an
 * equivalence test alone would pass if the guard always said no) and fell back where it should.
 * The first pass of each layer, and any later change of mind, is logged at debug level.
 */
public final class FastPath {

    private static final Logger log = LoggerFactory.getLogger(FastPath.class);

    private static final Map<Class<?>, LongAdder> FAST = new ConcurrentHashMap<>();
    private static final Map<Class<?>, LongAdder> FALLBACK = new ConcurrentHashMap<>();
    private static final Map<Object, Boolean> LAST_CHOICE = Collections.synchronizedMap(new WeakHashMap<>());

    private FastPath() {
    }

    /**
     * Whether {@code layer} may take its fast path: the fast layers are on ({@link FastLayers}), and
     * {@code applies}, the layer's own test of its input and configuration. Counts the answer.
     */
    public static boolean take(Object layer, boolean applies) {
        boolean fast = FastLayers.enabled() && applies;
        (fast ? FAST : FALLBACK).computeIfAbsent(layer.getClass(), c -> new LongAdder()).increment();
        if (log.isDebugEnabled()) {
            Boolean before = LAST_CHOICE.put(layer, fast);
            if (before == null || before != fast) {
                log.debug("{}: {}", layer.getClass().getSimpleName(), fast ? "fast path"
                        : FastLayers.enabled() ? "DL4J's implementation (the fast path does not cover this input)"
                        : "DL4J's implementation (fast layers switched off)");
            }
        }
        return fast;
    }

    /** {@link #take}, for the layers that compute through oneDNN: also needs its natives loaded. */
    public static boolean takeOneDnn(Object layer, boolean applies) {
        return take(layer, OneDnn.available() && applies);
    }

    /** Fast passes taken by layers of {@code type} in this JVM so far. */
    public static long fastPasses(Class<?> type) {
        LongAdder count = FAST.get(type);
        return count == null ? 0 : count.sum();
    }

    /** Passes that layers of {@code type} handed to DL4J's implementation in this JVM so far. */
    public static long fallbacks(Class<?> type) {
        LongAdder count = FALLBACK.get(type);
        return count == null ? 0 : count.sum();
    }
}
