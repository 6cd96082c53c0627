package org.dsa110.contimg.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An external command from config, e.g. {@code wsclean -name {output_dir}/img -size 4096 4096 {input}}. The
 * template is split into arguments first (whitespace; single or double quotes group), then placeholders are
 * filled per argument, so a value with spaces never splits and no shell ever interprets it. An argument that is
 * exactly {@code {inputs}} expands to one argument per input path; inside a longer argument the inputs are
 * joined with spaces.
 */
public final class CommandTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_][a-z0-9_.]*)}");

    private final String template;
    private final List<String> tokens;

    public CommandTemplate(String template) {
        if (template == null || template.isBlank()) {
            throw new IllegalArgumentException("empty command template");
        }
        this.template = template;
        this.tokens = split(template);
    }

    public String template() {
        return template;
    }

    /**
     * The argument vector. {@code values} holds single-valued placeholders; {@code inputs} fills {@code {inputs}}
     * (and {@code {input}} when not given in values). Unknown placeholders are an error naming them.
     */
    public List<String> render(Map<String, String> values, List<String> inputs) {
        for (String input : inputs) {
            // inputs reach the command as whole arguments: one starting with '-' would be read as an option
            // (client paths are made absolute when a task is submitted; this is the last line of defence)
            if (input.startsWith("-")) {
                throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                        "input '" + input + "' looks like a command-line option");
            }
        }
        List<String> args = new ArrayList<>();
        for (String token : tokens) {
            if (token.equals("{inputs}")) {
                args.addAll(inputs);
                continue;
            }
            Matcher m = PLACEHOLDER.matcher(token);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String value;
                if (name.equals("inputs")) {
                    value = String.join(" ", inputs);
                } else if (values.containsKey(name)) {
                    value = values.get(name);
                } else if (name.equals("input")) {
                    value = inputs.isEmpty() ? "" : inputs.get(0);
                } else {
                    throw new PermanentStageException(PermanentStageException.INVALID_INPUT,
                            "unknown placeholder {" + name + "} in command template: " + template);
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : value));
            }
            m.appendTail(out);
            args.add(out.toString());
        }
        return args;
    }

    /** Splits on unquoted whitespace; quotes group and are removed; a backslash escapes the next character. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < s.length()) {
                    cur.append(s.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inToken = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
            } else {
                cur.append(c);
                inToken = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unbalanced quote in command template: " + s);
        }
        if (inToken) {
            out.add(cur.toString());
        }
        return out;
    }
}
