package org.dsa110.contimg.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.openapi.OpenApiRestApiProcessorFactory;
import org.apache.camel.spi.RestApiProcessorFactory;
import org.apache.camel.spi.RestConfiguration;
import org.apache.camel.support.processor.DelegateProcessor;
import org.dsa110.contimg.core.Json;
import org.dsa110.contimg.security.AccessPolicy;
import org.dsa110.contimg.security.Role;

/**
 * The one place where /api/openapi.json is completed. camel-openapi-java renders the operations of the REST DSL
 * (paths, path parameters, operation ids, tags, summaries, security schemes and requirements); this class, bound as
 * the context's {@link RestApiProcessorFactory} (Camel's REST API endpoint takes the one in the registry), wraps
 * its processor and adds what each operation declared on its {@link ApiOperation}: query and header parameters
 * with type, default, range and enum; the request body; the response types, with their schemas under
 * {@code components/schemas} ({@link ApiSchemas}); the error envelope as every operation's 4XX and 5XX response.
 *
 * <p>Why not {@code outType}/{@code type} in the REST DSL: camel-openapi-java resolves them through swagger-core
 * with a plain ObjectMapper of its own, so a record's schema names camelCase properties (the hub writes
 * snake_case), schemas are named by fully qualified class name with an {@code x-className} extension, and query
 * parameters have no minimum/maximum. Rendering from {@link Json#MAPPER}'s own introspection gives the names the
 * hub really writes. docs/architecture.md ("The API contract") says how to declare a typed operation.
 */
public final class ApiDocument implements RestApiProcessorFactory {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    static final String ERROR_RESPONSE = "Error";

    private final Map<String, ApiOperation> operations = new ConcurrentHashMap<>();

    /** Records an operation's declarations; its REST DSL id is {@code rest.<operationId>}. */
    void register(ApiOperation op) {
        operations.put("rest." + op.operationId(), op);
    }

    @Override
    public Processor createApiProcessor(CamelContext camelContext, String contextPath, RestConfiguration configuration,
            Map<String, Object> parameters) throws Exception {
        Processor camel = new OpenApiRestApiProcessorFactory().createApiProcessor(camelContext, contextPath,
                configuration, parameters);
        CamelContextAware.trySetCamelContext(camel, camelContext);
        AccessPolicy policy = camelContext.getRegistry().lookupByNameAndType("accessPolicy", AccessPolicy.class);
        return new DelegateProcessor(camel) {
            @Override
            public void process(Exchange exchange) throws Exception {
                super.process(exchange);
                byte[] rendered = exchange.getMessage().getBody(byte[].class);
                String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
                if (rendered != null && rendered.length > 0 && (type == null || type.contains("json"))) {
                    exchange.getMessage().setBody(Json.MAPPER.writeValueAsBytes(
                            complete((ObjectNode) Json.MAPPER.readTree(rendered), policy)));
                }
            }
        };
    }

    /** Adds the declared parameters, bodies, responses and schemas to Camel's rendering of the REST DSL. */
    ObjectNode complete(ObjectNode doc, AccessPolicy policy) {
        ApiSchemas schemas = new ApiSchemas(clashingNames());
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("paths").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            for (String method : METHODS) {
                JsonNode op = path.getValue().get(method);
                ApiOperation declared = op == null ? null : operations.get(op.path("operationId").asText());
                if (declared != null) {
                    completeOperation((ObjectNode) op, declared, schemas);
                }
                if (op != null && !op.has("security")) {
                    readSecurity((ObjectNode) op, policy, path.getKey());
                }
            }
        }
        ObjectNode components = doc.with("components");
        ObjectNode named = schemas.components();
        named.set("ErrorBody", errorBody());
        components.set("schemas", named);
        ObjectNode error = components.with("responses").putObject(ERROR_RESPONSE)
                .put("description", "The error envelope (seed 001): a client mistake (4XX) or a server failure (5XX)");
        error.putObject("content").putObject(ApiResponse.JSON).set("schema", ApiSchemas.ref("ErrorBody"));
        return doc;
    }

    /** Simple names that two declared types (or types they contain) share: a first pass over every declaration. */
    private java.util.Set<String> clashingNames() {
        ApiSchemas all = new ApiSchemas(java.util.Set.of());
        for (ApiOperation op : operations.values()) {
            if (op.bodyType() != null) {
                all.schemaOf(op.bodyType());
            }
            op.responses().values().stream().filter(r -> r.type() != null).forEach(r -> all.schemaOf(r.type()));
        }
        return all.clashes();
    }

    /**
     * The requirement of an operation that needs only {@code read} (ApiSecurity declares the others): anonymous
     * ({@code {}}) or a read key when reads are public or the path is public (health, metrics), a read key otherwise.
     */
    private static void readSecurity(ObjectNode op, AccessPolicy policy, String path) {
        ArrayNode security = op.putArray("security");
        if (policy == null || !policy.enabled() || policy.publicReads()
                || policy.isPublicPath(ApiRoutes.CONTEXT_PATH + path)) {
            security.addObject();
        }
        security.addObject().putArray(ApiSecurity.API_KEY).add(Role.READ.word());
        security.addObject().putArray(ApiSecurity.BEARER).add(Role.READ.word());
    }

    private static void completeOperation(ObjectNode op, ApiOperation declared, ApiSchemas schemas) {
        if (!declared.params().isEmpty()) {
            ArrayNode params = op.has("parameters") ? (ArrayNode) op.get("parameters") : op.putArray("parameters");
            for (ApiOperation.Param p : declared.params()) {
                params.add(parameter(p));
            }
        }
        if (declared.bodyType() != null) {
            ObjectNode body = op.putObject("requestBody").put("required", declared.bodyRequired());
            body.putObject("content").putObject(ApiResponse.JSON).set("schema", schemas.schemaOf(declared.bodyType()));
        }
        ObjectNode responses = op.putObject("responses");
        if (declared.typed()) {
            declared.responses().values().stream()
                    .sorted(java.util.Comparator.comparingInt(ApiOperation.Response::status))
                    .forEach(r -> responses.set(String.valueOf(r.status()), response(r, declared, schemas)));
        } else {
            // not declared yet: any successful body (docs/api.md lists these operations as untyped)
            ObjectNode any = responses.putObject("2XX").put("description", "Success (shape not declared)");
            any.putObject("content").putObject("*/*").putObject("schema");
        }
        responses.putObject("4XX").put("$ref", "#/components/responses/" + ERROR_RESPONSE);
        responses.putObject("5XX").put("$ref", "#/components/responses/" + ERROR_RESPONSE);
    }

    private static ObjectNode response(ApiOperation.Response r, ApiOperation declared, ApiSchemas schemas) {
        ObjectNode out = NODES.objectNode();
        if (r.type() == null && r.mediaType() == null) {
            return out.put("description", r.description() == null ? "No content" : r.description());
        }
        out.put("description", r.description() != null ? r.description()
                : r.status() < 300 ? "Success" : "Status " + r.status());
        if (r.mediaType() != null) {
            ObjectNode schema = out.putObject("content").putObject(r.mediaType()).putObject("schema")
                    .put("type", "string");
            if (!r.mediaType().startsWith("text/")) {
                schema.put("format", "binary");
            }
            return out;
        }
        ObjectNode schema = schemas.schemaOf(r.type());
        if (r.list()) {
            ObjectNode array = NODES.objectNode().put("type", "array");
            array.set("items", schema);
            schema = array;
        }
        ObjectNode media = out.putObject("content").putObject(ApiResponse.JSON);
        media.set("schema", schema);
        if (declared.example() != null && r.status() == 200) {
            try {
                media.set("example", Json.MAPPER.readTree(declared.example()));
            } catch (java.io.IOException e) {
                throw new IllegalStateException("example of " + declared.operationId() + " is not JSON", e);
            }
        }
        return out;
    }

    private static ObjectNode parameter(ApiOperation.Param p) {
        ObjectNode out = NODES.objectNode().put("name", p.name()).put("in", p.in());
        if (p.description() != null) {
            out.put("description", p.description());
        }
        if (p.required()) {
            out.put("required", true);
        }
        ObjectNode schema = out.putObject("schema").put("type", p.type());
        if (p.format() != null) {
            schema.put("format", p.format());
        }
        if (p.defaultValue() != null) {
            schema.set("default", Json.MAPPER.valueToTree(p.defaultValue()));
        }
        if (p.minimum() != null) {
            schema.set("minimum", Json.MAPPER.valueToTree(p.minimum()));
        }
        if (p.maximum() != null) {
            schema.set("maximum", Json.MAPPER.valueToTree(p.maximum()));
        }
        if (p.allowed() != null) {
            ArrayNode values = schema.putArray("enum");
            p.allowed().forEach(values::add);
        }
        return out;
    }

    /** The seed-001 envelope every error response has ({@link ErrorBody}). */
    private static ObjectNode errorBody() {
        ObjectNode s = NODES.objectNode().put("type", "object");
        s.putArray("required").add("error").add("status").add("code").add("details");
        ObjectNode props = s.putObject("properties");
        props.putObject("error").put("type", "string").put("description", "What went wrong, for a person");
        props.putObject("status").put("type", "string").putArray("enum").add("error");
        props.putObject("code").put("type", "string").put("description", "Stable machine-readable code");
        props.putObject("details").put("type", "object").put("additionalProperties", true)
                .put("description", "What the code needs to be acted on (parameter, value, id, ...)");
        s.put("additionalProperties", false);
        return s;
    }
}
