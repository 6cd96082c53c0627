package org.dsa110.contimg.pipeline.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.dsa110.contimg.pipeline.PermanentStageException;
import org.junit.jupiter.api.Test;

/** Stage parameters: defaults, parsing, and a malformed or out-of-range value failing with the key's name. */
class StageParamsTest {
    private static StageParams params(Map<String, Object> values) {
        return new StageParams("imaging", values);
    }

    @Test
    void valuesAndDefaults() {
        StageParams p = params(Map.of("cell-arcsec", "2.5", "field-model-max-sources", "0", "field-model", "FALSE"));
        assertEquals(2.5, p.nonNegative("cell-arcsec", 0), 0);
        assertEquals(0, p.nonNegativeInteger("field-model-max-sources", 50));
        assertEquals(false, p.bool("field-model", true));
        assertEquals(7.0, p.nonNegative("absent", 7), 0);
        assertEquals(50, p.nonNegativeInteger("absent", 50));
    }

    @Test
    void negativeOrMalformedValuesNameTheKey() {
        for (Map.Entry<String, Object> bad : Map.<String, Object>of("cell-arcsec", "-1", "field-model-max-sources",
                "-5", "max-size", "1.5", "field-model", "yes", "robust", "abc").entrySet()) {
            StageParams p = params(Map.of(bad.getKey(), bad.getValue()));
            PermanentStageException e = assertThrows(PermanentStageException.class, () -> {
                switch (bad.getKey()) {
                    case "cell-arcsec" -> p.nonNegative(bad.getKey(), 0);
                    case "field-model" -> p.bool(bad.getKey(), true);
                    case "robust" -> p.number(bad.getKey(), 0);
                    default -> p.nonNegativeInteger(bad.getKey(), 0);
                }
            }, bad.toString());
            assertTrue(e.getMessage().contains("hub.stage.imaging.param." + bad.getKey()), e.getMessage());
            assertTrue(e.getMessage().contains("'" + bad.getValue() + "'"), e.getMessage());
        }
    }
}
