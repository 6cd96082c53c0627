package org.dsa110.contimg.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.dsa110.contimg.TestHub;
import org.dsa110.contimg.core.Json;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md is generated from what the hub really serves (the OpenAPI document of a running hub and the alias
 * table), and this test keeps it so: it fails when an operation is added, removed or re-described without the doc
 * being regenerated. Regenerate with {@code ./mvnw -B test -Dtest=ApiDocTest -Dapi.doc.write=true}.
 */
class ApiDocTest {
    private static final Path DOC = Path.of("docs", "api.md");
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

    @Test
    void apiDocListsEveryOperation() throws Exception {
        TestHub hub = TestHub.shared();
        String document = hub.get("/api/openapi.json").body();
        // the served document, for the linter and the TypeScript client of .ci/run
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "openapi.json"), document);
        JsonNode paths = Json.MAPPER.readTree(document).path("paths");
        String expected = render(paths);
        if (Boolean.getBoolean("api.doc.write")) {
            Files.writeString(DOC, expected);
        }
        assertEquals(expected, Files.readString(DOC), "docs/api.md is out of date: regenerate it with"
                + " ./mvnw -B test -Dtest=ApiDocTest -Dapi.doc.write=true");
    }

    /** Issue 17: every operation declares its response, so the suite's contract check covers every body. */
    @Test
    void everyOperationDeclaresItsResponse() throws Exception {
        JsonNode paths = Json.MAPPER.readTree(TestHub.shared().get("/api/openapi.json").body()).path("paths");
        List<String> untyped = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> p = it.next();
            for (String m : METHODS) {
                JsonNode op = p.getValue().get(m);
                if (op != null && responseOf(op).equals(UNTYPED)) {
                    untyped.add(m.toUpperCase() + " " + p.getKey());
                }
            }
        }
        assertEquals(List.of(), untyped, "declare the response (returns/returnsList/returnsMedia/returnsNothing)");
    }

    static final String UNTYPED = "untyped";

    /** What the operation's successful response is, as the document declares it. */
    static String responseOf(JsonNode op) {
        for (Iterator<Map.Entry<String, JsonNode>> it = op.path("responses").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> r = it.next();
            if (!r.getKey().startsWith("2")) {
                continue;
            }
            if (r.getKey().equals("2XX")) {
                return UNTYPED;
            }
            JsonNode content = r.getValue().path("content");
            if (content.isMissingNode() || content.isEmpty()) {
                return r.getKey() + " no body";
            }
            String media = content.fieldNames().next();
            JsonNode schema = content.path(media).path("schema");
            String prefix = r.getKey().equals("200") ? "" : r.getKey() + " ";
            if (!media.equals("application/json")) {
                return prefix + "`" + media + "`";
            }
            if (schema.has("$ref")) {
                return prefix + "`" + schemaName(schema) + "`";
            }
            if (schema.path("items").has("$ref")) {
                return prefix + "`[" + schemaName(schema.path("items")) + "]`";
            }
            return prefix + "`" + schema.path("type").asText("any") + "`";
        }
        return UNTYPED;
    }

    private static String schemaName(JsonNode ref) {
        String r = ref.path("$ref").asText();
        return r.substring(r.lastIndexOf('/') + 1);
    }

    static String render(JsonNode paths) {
        Map<String, List<String[]>> byArea = new TreeMap<>();
        int count = 0;
        int untyped = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> p = it.next();
            for (String m : METHODS) {
                JsonNode op = p.getValue().get(m);
                if (op == null) {
                    continue;
                }
                String purpose = op.path("summary").asText(op.path("description").asText(""));
                String area = op.path("tags").path(0).asText("api");
                String response = responseOf(op);
                if (response.equals(UNTYPED)) {
                    untyped++;
                }
                byArea.computeIfAbsent(area, k -> new ArrayList<>()).add(new String[] {m.toUpperCase(), p.getKey(),
                        purpose.replace("|", "\\|").replace("\n", " "), response});
                count++;
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("# API\n\n");
        out.append("Generated from the running hub's OpenAPI document (`/api/openapi.json`) and the alias table by\n");
        out.append("`ApiDocTest` (`./mvnw -B test -Dtest=ApiDocTest -Dapi.doc.write=true`); the test fails when this\n");
        out.append("file and the served surface differ. ").append(count).append(" operations. Paths are under `/api`;\n");
        out.append("a parameter that may hold slashes (`{name:path}` in the route builders) appears as `{name}`.\n");
        out.append("Errors everywhere use the body `{\"error\", \"status\": \"error\", \"code\", \"details\"}`\n");
        out.append("(see `docs/architecture.md`).\n\n");
        out.append("Types: ").append(count - untyped).append(" of ").append(count).append(" operations declare their response\n");
        out.append("(the `response` column: a schema of `/api/openapi.json`'s `components/schemas`, `[X]` an array of X, a\n");
        if (untyped == 0) {
            out.append("media type for non-JSON bodies), so the suite's response check (`ContractCheckingHttpClient`) checks\n");
            out.append("every body it receives. Every operation's 4XX/5XX is the error envelope `ErrorBody`, except where an\n");
            out.append("operation declares its own 5XX body (the health probes' 503). How to declare a type:\n");
            out.append("`docs/architecture.md`, \"The API contract\".\n\n");
        } else {
            out.append("media type for non-JSON bodies); the other ").append(untyped).append(" are `").append(UNTYPED)
                    .append("`: any 2XX body, so the\n");
            out.append("suite's response check (`ContractCheckingHttpClient`) checks only their errors. Every operation's 4XX/5XX\n");
            out.append("is the error envelope `ErrorBody`. How to declare a type: `docs/architecture.md`, \"The API contract\".\n\n");
        }
        out.append("The operators' dashboard's fields sit beside the hub's own; where the two conflict the decisions are in\n");
        out.append("`docs/dashboard.md`. Note for clients: in `/api/data` and `/api/data/{data_id}`, `created_at` and\n");
        out.append("`published_at` are Unix seconds (as the earlier backend stored them and the dashboard parses them), with\n");
        out.append("the ISO-8601 forms in `created_at_iso` / `published_at_iso`; every other time in the API is ISO-8601\n");
        out.append("unless its name says otherwise.\n\n");
        out.append("## Live channels (outside the REST DSL)\n\n");
        out.append("| method | path | purpose |\n|---|---|---|\n");
        out.append("| WS | `/api/ws/status` | status_update every 10 s, typed events, `ping` → `pong` |\n");
        out.append("| GET | `/api/sse/status` | the same messages as Server-Sent Events, heartbeat comments |\n");
        out.append("| GET | `/api/jobs/id/{job_id}/logs` | a job's log lines as SSE, live while it runs |\n");
        out.append("| GET/POST | `/api/jolokia/*` | Jolokia (Hawtio) |\n\n");
        out.append("## Legacy dashboard aliases\n\n");
        out.append("Rerouted at the HTTP edge to the canonical path (same handler, same shape); the table is\n");
        out.append("`api.LegacyAliases`. A prefix alias maps every path below it.\n\n");
        out.append("| alias | canonical | match |\n|---|---|---|\n");
        for (LegacyAliases.Alias a : LegacyAliases.TABLE) {
            out.append("| `").append(a.alias()).append("` | `").append(a.canonical()).append("` | ")
                    .append(a.exact() ? "exact" : "prefix").append(" |\n");
        }
        out.append("\n## Operations by area\n");
        byArea.forEach((area, ops) -> {
            out.append("\n### ").append(area).append("\n\n| method | path | purpose | response |\n|---|---|---|---|\n");
            ops.sort((x, y) -> x[1].equals(y[1]) ? METHODS.indexOf(x[0].toLowerCase())
                    - METHODS.indexOf(y[0].toLowerCase()) : x[1].compareTo(y[1]));
            for (String[] o : ops) {
                out.append("| ").append(o[0]).append(" | `").append(o[1]).append("` | ").append(o[2]).append(" | ")
                        .append(o[3]).append(" |\n");
            }
        });
        return out.toString();
    }
}
