package org.dsa110.contimg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.Configuration;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.support.scan.DefaultPackageScanClassResolver;
import org.junit.jupiter.api.Test;

/** The hub starts from listed classes (HubModules); every configuration and route builder of the package is listed. */
class HubModulesTest {
    private static final String MAIN_CLASSES = "/classes/";

    private static Set<String> names(Iterable<? extends Class<?>> classes) {
        Set<String> names = new TreeSet<>();
        for (Class<?> c : classes) {
            String location = c.getProtectionDomain().getCodeSource().getLocation().getPath();
            // the package's main classes only (the test classes share the package)
            if (location.endsWith(MAIN_CLASSES) && !Modifier.isAbstract(c.getModifiers())) {
                names.add(c.getName());
            }
        }
        return names;
    }

    @Test
    void everyConfigurationClassIsListed() {
        Set<Class<?>> found = new DefaultPackageScanClassResolver().findAnnotated(Configuration.class,
                "org.dsa110.contimg");
        assertEquals(HubModules.CONFIGURATIONS.size(), names(HubModules.CONFIGURATIONS).size());
        assertEquals(names(found), names(HubModules.CONFIGURATIONS));
    }

    @Test
    void everyRouteBuilderIsListed() {
        Set<Class<?>> found = new DefaultPackageScanClassResolver().findImplementations(RoutesBuilder.class,
                "org.dsa110.contimg");
        assertEquals(HubModules.ROUTES.size(), names(HubModules.ROUTES).size());
        assertEquals(names(found), names(HubModules.ROUTES));
    }
}
