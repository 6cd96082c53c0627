package org.dsa110.contimg.ops.schedules;

import java.text.ParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * Cron expressions as users write them: Quartz syntax (6-7 fields, seconds first) or the classic 5-field Unix form
 * ({@code m h dom mon dow}), which is converted: a seconds field of 0 is added, one of day-of-month/day-of-week
 * becomes {@code ?} as Quartz requires, and numeric days of week move from Unix 0-7 (Sunday 0 or 7) to
 * Quartz 1-7 (Sunday 1).
 */
public final class CronSyntax {
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private CronSyntax() {
    }

    /** The Quartz form of {@code expression}; IllegalArgumentException with the reason when invalid. */
    public static String toQuartz(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("cron_expression must not be empty");
        }
        String[] f = expression.trim().split("\\s+");
        String quartz;
        if (f.length == 5) {
            String dom = f[2];
            String dow = unixDaysToQuartz(f[4]);
            if (dow.equals("*")) {
                dow = "?";
            } else if (dom.equals("*")) {
                dom = "?";
            } else {
                throw new IllegalArgumentException("cron_expression: restricting both day-of-month and day-of-week "
                        + "is not supported");
            }
            quartz = String.join(" ", "0", f[0], f[1], dom, f[3], dow);
        } else if (f.length == 6 || f.length == 7) {
            quartz = String.join(" ", f);
        } else {
            throw new IllegalArgumentException("cron_expression must have 5 (Unix) or 6-7 (Quartz) fields, got "
                    + f.length);
        }
        try {
            new CronExpression(quartz);
        } catch (ParseException e) {
            throw new IllegalArgumentException("cron_expression '" + expression + "' is invalid: " + e.getMessage());
        }
        return quartz;
    }

    private static String unixDaysToQuartz(String field) {
        if (!field.matches("[0-9,\\-/*]+")) {
            return field; // names (MON-FRI) mean the same in both
        }
        // a step (*/2) counts days, not names a day: leave the number after '/' alone
        int slash = field.indexOf('/');
        String days = slash < 0 ? field : field.substring(0, slash);
        String step = slash < 0 ? "" : field.substring(slash);
        Matcher m = NUMBER.matcher(days);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int d = Integer.parseInt(m.group());
            m.appendReplacement(out, String.valueOf(d % 7 + 1));
        }
        m.appendTail(out);
        return out + step;
    }
}
