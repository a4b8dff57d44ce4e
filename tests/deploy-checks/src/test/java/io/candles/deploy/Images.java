package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The container images: how docs/deployment.md builds them, and what their Dockerfiles say. */
final class Images {

    static final Path DOCS = Repo.path("docs/deployment.md");

    /** {@code candles/<app>:<mode>}, mode {@code jvm} or {@code native}: the one naming scheme of every file. */
    static final Pattern NAME = Pattern.compile("candles/([a-z-]+):(jvm|native)");

    private Images() {
    }

    /** One documented {@code docker build -f <Dockerfile> -t <tag> <context>}, run from the repository root. */
    record Build(String command, Path dockerfile, String tag, Path context) {

        String app() {
            return matcher().group(1);
        }

        String mode() {
            return matcher().group(2);
        }

        private Matcher matcher() {
            Matcher matcher = NAME.matcher(tag);
            assertThat(matcher.matches()).as("tag %s follows candles/<app>:<jvm|native>", tag).isTrue();
            return matcher;
        }
    }

    static List<Build> documentedBuilds() {
        List<Build> builds = new ArrayList<>();
        for (String line : Repo.read(DOCS).lines().map(String::trim).toList()) {
            if (!line.startsWith("docker build ")) {
                continue;
            }
            String[] words = line.replaceFirst("\\s+#.*$", "").split("\\s+");
            String dockerfile = null;
            String tag = null;
            for (int i = 2; i < words.length - 1; i++) {
                if (words[i].equals("-f")) {
                    dockerfile = words[++i];
                } else if (words[i].equals("-t")) {
                    tag = words[++i];
                }
            }
            assertThat(dockerfile).as("-f in: %s", line).isNotNull();
            assertThat(tag).as("-t in: %s", line).isNotNull();
            builds.add(new Build(line, Repo.path(dockerfile), tag, Repo.path(words[words.length - 1])));
        }
        return builds;
    }

    /** The image tags the documented builds produce. */
    static List<String> documentedTags() {
        return documentedBuilds().stream().map(Build::tag).toList();
    }

    /** A Dockerfile's instructions, continuation lines joined, comments dropped. */
    record Dockerfile(Path file, List<Instruction> instructions) {

        record Instruction(String keyword, String arguments) {
        }

        static Dockerfile parse(Path file) {
            List<Instruction> instructions = new ArrayList<>();
            StringBuilder pending = new StringBuilder();
            for (String line : Repo.read(file).lines().toList()) {
                String trimmed = line.trim();
                if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                    continue;
                }
                if (trimmed.endsWith("\\")) {
                    pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                    continue;
                }
                String whole = pending.append(trimmed).toString();
                pending.setLength(0);
                String[] keywordAndRest = whole.split("\\s+", 2);
                instructions.add(new Instruction(keywordAndRest[0].toUpperCase(),
                        keywordAndRest.length > 1 ? keywordAndRest[1].trim() : ""));
            }
            return new Dockerfile(file, instructions);
        }

        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }

        String last(String keyword) {
            List<String> all = all(keyword);
            assertThat(all).as("%s in %s", keyword, Repo.relative(file)).isNotEmpty();
            return all.get(all.size() - 1);
        }

        /** ENV name=value pairs (the forms {@code ENV A=b C="d e"} and {@code ENV A b}). */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            Pattern pair = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|\\S+)");
            for (String arguments : all("ENV")) {
                if (!arguments.contains("=")) {
                    String[] nameAndValue = arguments.split("\\s+", 2);
                    env.put(nameAndValue[0], nameAndValue[1]);
                    continue;
                }
                Matcher matcher = pair.matcher(arguments);
                while (matcher.find()) {
                    env.put(matcher.group(1), matcher.group(2).replaceAll("^[\"']|[\"']$", ""));
                }
            }
            return env;
        }

        /** The source paths of every COPY, relative to the build context. */
        List<String> copySources() {
            List<String> sources = new ArrayList<>();
            for (String arguments : all("COPY")) {
                List<String> words = new ArrayList<>(List.of(arguments.split("\\s+")));
                words.removeIf(word -> word.startsWith("--"));
                sources.addAll(words.subList(0, words.size() - 1));
            }
            return sources;
        }

        int user() {
            String user = last("USER");
            assertThat(user).as("USER of %s is a numeric uid, which runAsNonRoot can check", Repo.relative(file))
                    .matches("\\d+(:\\d+)?");
            return Integer.parseInt(user.split(":")[0]);
        }
    }
}
