package org.dsa110.contimg;

import org.apache.camel.CamelContext;

/** The one registry lookup of the configuration classes: a bean another one needs, or a clear start-up failure. */
public final class Beans {
    private Beans() {
    }

    /** The registry bean {@code name} of {@code type}; fails start-up fast when the wiring is missing. */
    public static <T> T bean(CamelContext context, String name, Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(name, type);
        if (bean == null) {
            throw new IllegalStateException("missing bean " + name);
        }
        return bean;
    }
}
