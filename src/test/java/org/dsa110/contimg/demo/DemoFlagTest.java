package org.dsa110.contimg.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.camel.main.Main;
import org.dsa110.contimg.HubApplicationAccess;
import org.junit.jupiter.api.Test;

/** {@code --demo} switches demo mode on and is not handed to Camel Main's option parser (which rejects it). */
class DemoFlagTest {

    @Test
    void demoFlagSetsHubDemoAndIsRemovedFromCamelArguments() {
        Main main = HubApplicationAccess.createMain(new String[] {"--demo"});
        assertEquals("true", main.getOverrideProperties().getProperty("hub.demo"));
        assertArrayEquals(new String[] {"-d", "5"}, HubApplicationAccess.camelArgs(new String[] {"--demo", "-d", "5"}));
        assertArrayEquals(new String[0], HubApplicationAccess.camelArgs(new String[] {"--demo"}));
    }
}
