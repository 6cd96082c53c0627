package org.dsa110.contimg.security;

/**
 * Who made a request, as far as access control knows: a key's (or token's) name, never its secret, the role it
 * carries and how it was presented ({@code api-key}, {@code jwt}, {@code basic}), or an anonymous caller.
 */
public record Caller(String name, Role role, String via) {
    public static final Caller ANONYMOUS = new Caller("anonymous", null, "none");
    /** Every caller while {@code HUB_AUTH=off}: allowed everything, recorded under this name. */
    public static final Caller AUTH_OFF = new Caller("auth-off", Role.ADMIN, "none");

    public boolean authenticated() {
        return role != null;
    }

    /** True when this caller may do what {@code needed} requires ({@code null} = nothing required). */
    public boolean may(Role needed) {
        return needed == null || role != null && role.covers(needed);
    }
}
