package org.dsa110.contimg.api;

import org.apache.camel.model.rest.RestDefinition;
import org.dsa110.contimg.security.Role;

/**
 * How access control appears in the OpenAPI document: two security schemes ({@code api_key}, an API key in the
 * configured header, and {@code bearer}, an HS256 JWT) and, on every operation that needs more than public
 * reading, a requirement naming both (either will do) with the role as its scope list. OpenAPI 3.0 reserves scope
 * lists for OAuth; 3.1 defines them as the roles a non-OAuth scheme needs, which is how they are meant here
 * (docs/security.md). Reads carry no requirement: they are public unless {@code hub.auth.public-reads=false}.
 */
final class ApiSecurity {
    static final String API_KEY = "api_key";
    static final String BEARER = "bearer";

    private ApiSecurity() {
    }

    /** The two schemes (Camel merges the definitions of every rest() into the document's components). */
    static void declareSchemes(RestDefinition rest, String keyHeader) {
        rest.securityDefinitions()
                .apiKey(API_KEY, "API key (name:key:role entries of HUB_API_KEYS / HUB_API_KEYS_FILE)")
                .withHeader(keyHeader).end()
                .bearerToken(BEARER, "HS256 JWT with exp and a scopes claim (read, write, admin)", "JWT")
                .end();
    }

    /** Marks an operation as needing {@code role} (nothing for plain reads). */
    static void require(RestDefinition verb, Role role) {
        if (role != Role.READ) {
            verb.security(API_KEY, role.word()).security(BEARER, role.word());
        }
    }
}
