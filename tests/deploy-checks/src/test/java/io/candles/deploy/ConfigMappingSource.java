package io.candles.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The setting names a {@code @ConfigMapping} interface declares, read from its Java source: {@code prefix} plus each
 * method in kebab case ({@code maxInFlight()} -> {@code generator.max-in-flight}), {@code @WithName} honoured, nested
 * interfaces as groups ({@code Load load()} -> {@code generator.load.*}). Enough for the plain mapping interfaces of
 * these apps; anything it cannot read yields no names, and the checks that need them fail loudly.
 */
final class ConfigMappingSource {

    private static final Pattern MAPPING = Pattern.compile(
            "@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"\\s*\\)[^{]*?interface\\s+(\\w+)[^{]*\\{");
    private static final Pattern NESTED = Pattern.compile("interface\\s+(\\w+)[^{]*\\{");
    private static final Pattern METHOD = Pattern.compile(
            "((?:@\\w+(?:\\([^)]*\\))?\\s*)*)([\\w.]+(?:<[^;(){}]*>)?(?:\\[\\])?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*;");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\s*\\(\\s*\"([^\"]+)\"\\s*\\)");

    private ConfigMappingSource() {
    }

    static Set<String> settings(String javaSource) {
        String source = withoutComments(javaSource);
        Set<String> settings = new TreeSet<>();
        Matcher mapping = MAPPING.matcher(source);
        if (mapping.find()) {
            String body = block(source, mapping.end() - 1);
            collect(mapping.group(1), body, settings);
        }
        return settings;
    }

    private static void collect(String prefix, String body, Set<String> settings) {
        Map<String, String> nested = new LinkedHashMap<>();
        StringBuilder own = new StringBuilder();
        int from = 0;
        Matcher interfaces = NESTED.matcher(body);
        while (interfaces.find(from)) {
            String nestedBody = block(body, interfaces.end() - 1);
            nested.put(interfaces.group(1), nestedBody);
            own.append(body, from, interfaces.start());
            from = interfaces.end() - 1 + nestedBody.length() + 2;
        }
        own.append(body.substring(Math.min(from, body.length())));

        Matcher method = METHOD.matcher(own);
        while (method.find()) {
            Matcher withName = WITH_NAME.matcher(method.group(1));
            String name = prefix + "." + (withName.find() ? withName.group(1) : kebab(method.group(3)));
            String type = method.group(2);
            if (nested.containsKey(type)) {
                collect(name, nested.get(type), settings);
            } else {
                settings.add(name);
            }
        }
    }

    /** The text between the brace at {@code open} and its matching closing brace. */
    private static String block(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return text.substring(open + 1, i);
            }
        }
        throw new IllegalArgumentException("Unbalanced braces in a @ConfigMapping interface");
    }

    static String kebab(String camel) {
        List<String> words = new ArrayList<>();
        for (String word : camel.split("(?<=[a-z0-9])(?=[A-Z])")) {
            words.add(word.toLowerCase(Locale.ROOT));
        }
        return String.join("-", words);
    }

    private static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    }
}
