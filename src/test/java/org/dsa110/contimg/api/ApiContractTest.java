package org.dsa110.contimg.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.dsa110.contimg.ContractCheckingHttpClient;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The served document describes what the hub writes, and the suite's response check really checks: a real body
 * matches its declared schema, a body with a renamed or extra field does not, and errors are the envelope.
 */
class ApiContractTest {
    private static TestHub hub;
    private static String document;
    private static OpenApiInteractionValidator validator;

    @BeforeAll
    static void load() throws Exception {
        hub = TestHub.shared();
        document = hub.get("/api/openapi.json").body();
        validator = ContractCheckingHttpClient.validatorFor(document);
    }

    @Test
    void aTypedBodyMatchesAndADriftedOneDoesNot() throws Exception {
        HttpResponse<String> status = hub.get("/api/status");
        assertEquals(200, status.statusCode());
        assertEquals(List.of(), check("GET", "/api/status", 200, status.body()));
        // the same body with one field renamed to camelCase, and with a field the record does not have
        String camel = status.body().replace("\"recent_groups\"", "\"recentGroups\"");
        assertFalse(check("GET", "/api/status", 200, camel).isEmpty(), "a renamed field must be a mismatch");
        String extra = status.body().replaceFirst("\\{", "{\"surprise\":1,");
        assertFalse(check("GET", "/api/status", 200, extra).isEmpty(), "an undeclared field must be a mismatch");
    }

    @Test
    void errorsAreTheEnvelopeEverywhere() throws Exception {
        HttpResponse<String> missing = hub.get("/api/groups/no-such-group");
        assertEquals(404, missing.statusCode());
        assertEquals(List.of(), check("GET", "/api/groups/no-such-group", 404, missing.body()));
        assertFalse(check("GET", "/api/groups/x", 404, "{\"detail\":\"not found\"}").isEmpty(),
                "a FastAPI-style error body must be a mismatch");
    }

    @Test
    void declaredQueryParametersCarryTheHandlersRanges() throws Exception {
        JsonNode limit = null;
        for (JsonNode p : Json.MAPPER.readTree(document).path("paths").path("/status").path("get").path("parameters")) {
            if (p.path("name").asText().equals("limit")) {
                limit = p.path("schema");
            }
        }
        assertTrue(limit != null, "limit is declared");
        assertEquals(20, limit.path("default").asInt());
        assertEquals(1, limit.path("minimum").asInt());
        assertEquals(1000, limit.path("maximum").asInt());
        // and the handler enforces what the document says
        assertEquals(400, hub.get("/api/status?limit=1001").statusCode());
    }

    private static List<String> check(String method, String path, int status, String body) {
        return ContractCheckingHttpClient.mismatches(validator, method, path, status, "application/json", body);
    }
}
