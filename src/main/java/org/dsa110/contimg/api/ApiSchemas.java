package org.dsa110.contimg.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.dsa110.contimg.core.Json;

/**
 * OpenAPI 3.0 schemas of the types operations declare, as the hub's own mapper ({@link Json#MAPPER}) sees them:
 * property names are the names Jackson writes (snake_case, {@code @JsonProperty} honoured), enums their written
 * values, java.time values ISO-8601 strings. A record becomes a named schema under {@code components/schemas}
 * that is strict: every property required (the mapper writes nulls, {@code Include.ALWAYS}, unless a class or
 * property says otherwise) and no other property allowed. Properties of reference types are nullable, as Java
 * does not say otherwise; primitives are not. A {@code Map} is an open object whose values have the map's value
 * type: that is what a map is, not a loose record.
 */
final class ApiSchemas {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, ObjectNode> named = new TreeMap<>();
    private final Map<Class<?>, String> names = new HashMap<>();
    private final Map<String, java.util.Set<Class<?>>> bySimpleName = new HashMap<>();
    private final java.util.Set<String> clashing;
    /** Names some schema refers to; a type only ever written inline ({@code @JsonUnwrapped}) is not a component. */
    private final java.util.Set<String> referenced = new java.util.HashSet<>();

    /**
     * @param clashing simple names that more than one declared type has ({@link #clashes()} of a first pass): those
     *                 types are named with their enclosing class (HubCacheStats, DlqStoreStats), so a schema's
     *                 name does not depend on which operation happened to be rendered first
     */
    ApiSchemas(java.util.Set<String> clashing) {
        this.clashing = clashing;
    }

    /** Simple names shared by more than one type met so far. */
    java.util.Set<String> clashes() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        bySimpleName.forEach((n, classes) -> {
            if (classes.size() > 1) {
                out.add(n);
            }
        });
        return out;
    }

    /** The schema of {@code type}: inline for scalars, containers and maps, a $ref for records and beans. */
    ObjectNode schemaOf(Type type) {
        return schemaOf(Json.MAPPER.constructType(type));
    }

    /** Every named schema referenced so far, by name. */
    ObjectNode components() {
        ObjectNode out = NODES.objectNode();
        named.forEach((name, schema) -> {
            if (referenced.contains(name)) {
                out.set(name, schema);
            }
        });
        return out;
    }

    /** The number of named schemas referenced. */
    int size() {
        return referenced.size();
    }

    private ObjectNode schemaOf(JavaType t) {
        Class<?> raw = t.getRawClass();
        if (t.isPrimitive() || isScalar(raw)) {
            return scalar(raw);
        }
        if (raw.isEnum()) {
            ObjectNode s = NODES.objectNode().put("type", "string");
            ArrayNode values = s.putArray("enum");
            for (Object c : raw.getEnumConstants()) {
                JsonNode written = Json.MAPPER.valueToTree(c);
                values.add(written.asText());
            }
            return s;
        }
        if (raw == byte[].class) {
            return NODES.objectNode().put("type", "string").put("format", "byte");
        }
        if (t.isArrayType() || t.isCollectionLikeType()) {
            ObjectNode s = NODES.objectNode().put("type", "array");
            s.set("items", schemaOf(t.getContentType()));
            return s;
        }
        if (t.isMapLikeType()) {
            ObjectNode s = NODES.objectNode().put("type", "object");
            JavaType value = t.getContentType();
            if (value == null || isAny(value.getRawClass())) {
                s.put("additionalProperties", true);
            } else {
                s.set("additionalProperties", schemaOf(value));
            }
            return s;
        }
        if (isAny(raw)) {
            return NODES.objectNode();
        }
        if (raw == java.util.Optional.class) {
            return schemaOf(t.containedTypeOrUnknown(0));
        }
        String name = named(t);
        referenced.add(name);
        return ref(name);
    }

    static ObjectNode ref(String name) {
        return NODES.objectNode().put("$ref", "#/components/schemas/" + name);
    }

    private String named(JavaType t) {
        Class<?> raw = t.getRawClass();
        String known = names.get(raw);
        if (known != null) {
            return known;
        }
        String name = raw.getSimpleName();
        bySimpleName.computeIfAbsent(name, k -> new java.util.HashSet<>()).add(raw);
        if (clashing.contains(name) && raw.getEnclosingClass() != null) {
            name = raw.getEnclosingClass().getSimpleName() + name;
        }
        if (named.containsKey(name)) {
            if (clashing.isEmpty()) {
                name = raw.getName(); // first pass: only the clashes matter
            } else {
                throw new IllegalStateException("two API types are named " + name + ": " + raw.getName());
            }
        }
        names.put(raw, name);
        ObjectNode schema = NODES.objectNode().put("type", "object");
        named.put(name, schema); // before the properties, so a type that contains itself ends in a $ref
        BeanDescription bean = Json.MAPPER.getSerializationConfig().introspect(t);
        boolean classOmitsNulls = omitsNulls(raw.getAnnotation(JsonInclude.class));
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        for (BeanPropertyDefinition p : bean.findProperties()) {
            if (!p.couldSerialize()) {
                continue;
            }
            JavaType pt = p.getPrimaryType();
            if (p.getPrimaryMember() != null && p.getPrimaryMember().hasAnnotation(JsonUnwrapped.class)) {
                // its properties are written inline: take them (and their being required) from its own schema
                ObjectNode inner = named.get(named(pt));
                inner.path("properties").fields().forEachRemaining(e -> properties.set(e.getKey(), e.getValue()));
                inner.path("required").forEach(required::add);
                continue;
            }
            ObjectNode ps = schemaOf(pt);
            if (ps.has("items") && admitsNullItems(p)) {
                ps.set("items", nullable((ObjectNode) ps.get("items")));
            }
            if (!pt.isPrimitive()) {
                ps = nullable(ps);
            }
            properties.set(p.getName(), ps);
            JsonInclude.Value incl = p.findInclusion();
            boolean omits = classOmitsNulls || (incl != null && omitsNulls(incl.getValueInclusion()));
            if (!omits) {
                required.add(p.getName());
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        // an @JsonAnyGetter writes properties the class does not name
        schema.put("additionalProperties", bean.findAnyGetter() != null);
        return name;
    }

    /**
     * {@code schema} that also admits null (OpenAPI 3.0: a $ref takes no siblings, so it becomes one alternative of
     * an anyOf).
     */
    static ObjectNode nullable(ObjectNode schema) {
        if (schema.isEmpty()) {
            return schema; // any value, null included
        }
        if (schema.has("$ref")) {
            // OpenAPI 3.0's usual {nullable: true, allOf: [$ref]} is read by validators (swagger-request-validator
            // among them) as "null must also match the referenced object", which it cannot. An explicit null
            // alternative says the same and is checked as meant: the referenced object, or null.
            ObjectNode wrapped = NODES.objectNode();
            ArrayNode anyOf = wrapped.putArray("anyOf");
            anyOf.add(schema);
            ObjectNode nullOnly = anyOf.addObject().put("type", "object").put("nullable", true);
            nullOnly.putArray("enum").addNull();
            return wrapped;
        }
        return schema.put("nullable", true);
    }

    /**
     * A list whose items may be null (a series with a gap where a bucket has no value) says so the way Jackson
     * spells it: {@code @JsonSetter(contentNulls = Nulls.SET)}.
     */
    private static boolean admitsNullItems(BeanPropertyDefinition p) {
        JsonSetter setter = p.getPrimaryMember() == null ? null : p.getPrimaryMember().getAnnotation(JsonSetter.class);
        return setter != null && setter.contentNulls() == Nulls.SET;
    }

    private static boolean omitsNulls(JsonInclude annotation) {
        return annotation != null && omitsNulls(annotation.value());
    }

    private static boolean omitsNulls(JsonInclude.Include include) {
        return include != null && include != JsonInclude.Include.ALWAYS && include != JsonInclude.Include.USE_DEFAULTS;
    }

    private static boolean isAny(Class<?> raw) {
        return raw == Object.class || JsonNode.class.isAssignableFrom(raw);
    }

    private static boolean isScalar(Class<?> raw) {
        return raw == String.class || raw == Boolean.class || Number.class.isAssignableFrom(raw)
                || raw == Character.class || raw == Instant.class || raw == OffsetDateTime.class
                || raw == ZonedDateTime.class || raw == LocalDate.class || raw == java.time.LocalDateTime.class
                || raw == Duration.class || raw == java.util.UUID.class || raw == java.nio.file.Path.class;
    }

    private static ObjectNode scalar(Class<?> raw) {
        ObjectNode s = NODES.objectNode();
        if (raw == boolean.class || raw == Boolean.class) {
            return s.put("type", "boolean");
        }
        if (raw == int.class || raw == Integer.class || raw == short.class || raw == Short.class
                || raw == byte.class || raw == Byte.class) {
            return s.put("type", "integer").put("format", "int32");
        }
        if (raw == long.class || raw == Long.class || raw == BigInteger.class) {
            return s.put("type", "integer").put("format", "int64");
        }
        if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class
                || raw == BigDecimal.class || Number.class.isAssignableFrom(raw)) {
            return s.put("type", "number");
        }
        if (raw == Instant.class || raw == OffsetDateTime.class || raw == ZonedDateTime.class) {
            return s.put("type", "string").put("format", "date-time");
        }
        if (raw == LocalDate.class) {
            return s.put("type", "string").put("format", "date");
        }
        return s.put("type", "string");
    }
}
