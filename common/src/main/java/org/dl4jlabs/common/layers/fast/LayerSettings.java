package org.dl4jlabs.common.layers.fast;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Copies a stock layer configuration's settings into its fast counterpart. DL4J's configurations
 * are built through private constructors and hold their settings in private fields, so the
 * settings a fast layer shares with a stock one can only be carried over field by field.
 */
final class LayerSettings {

    private LayerSettings() {
    }

    /** Copies every instance field declared in {@code shared} and its superclasses; returns {@code to}. */
    static <T> T copy(Object from, T to, Class<?> shared) {
        for (Class<?> type = shared; type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    try {
                        field.setAccessible(true);
                        field.set(to, field.get(from));
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException("cannot copy the layer setting " + field.getName(), e);
                    }
                }
            }
        }
        return to;
    }
}
