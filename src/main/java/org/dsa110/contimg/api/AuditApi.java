package org.dsa110.contimg.api;

import org.dsa110.contimg.security.AuditLog;
import org.dsa110.contimg.security.Role;

/** {@code GET /api/operations/audit}: the audit trail (admin only), filtered by key, path prefix and time. */
public class AuditApi extends ApiRoutes {

    @Override
    public void configure() {
        AuditLog audit = lookup("auditLog", AuditLog.class);
        get("/operations/audit", "audit.list",
                "Audit trail of mutating calls and Jolokia execs, newest first (key_name, path, since, until)",
                Role.ADMIN, req -> audit.list(new AuditLog.Filter(req.query("key_name"), req.query("path"),
                        req.instantQuery("since"), req.instantQuery("until"), req.intQuery("limit", 100, 1, 1000),
                        req.intQuery("offset", 0, 0, Integer.MAX_VALUE))))
                .queryString("key_name", null)
                .queryString("path", null)
                .queryTime("since", null)
                .queryTime("until", null)
                .page(100, 1000)
                .returns(AuditLog.AuditPage.class);
    }
}
