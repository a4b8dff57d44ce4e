package io.candles.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.candles.deploy.Images.Build;
import io.candles.deploy.Images.Dockerfile;

/** The container images: their documented builds, their Dockerfiles against the apps, and the native profile. */
class ImagesTest {

    /** Variables of the base images' start scripts, not settings of the apps. */
    private static final Set<String> BASE_IMAGE_ENV = Set.of("LANGUAGE", "JAVA_OPTS_APPEND", "JAVA_APP_JAR",
            "GC_CONTAINER_OPTIONS");

    /**
     * Apps without a {@code *PackagedIT} yet: {@code -Dnative} builds their executable, but no test runs against it.
     * docs/deployment.md says so too.
     */
    @Test
    void theDocsBuildAJvmAndANativeImageOfEachAppFromItsOwnDockerfileAndDirectory() {
        List<Build> builds = Images.documentedBuilds();

        assertThat(builds.stream().map(Build::tag)).containsExactlyInAnyOrder(
                "candles/producer-app:jvm", "candles/producer-app:native",
                "candles/consumer-app:jvm", "candles/consumer-app:native",
                "candles/query-app:jvm", "candles/query-app:native");
        for (Build build : builds) {
            assertThat(build.context()).as(build.command()).isEqualTo(Repo.path(build.app()));
            assertThat(build.dockerfile()).as(build.command())
                    .isEqualTo(build.context().resolve("src/main/docker/Dockerfile." + build.mode()))
                    .isRegularFile();
        }
    }

    @Test
    void theDocsBuildTheNativeExecutableInAContainerWithTheNativeProfile() {
        List<String> mavenBuilds = Repo.read(Images.DOCS).lines().map(String::trim)
                .filter(line -> line.startsWith("./mvnw") && line.contains(" package ")).toList();

        assertThat(mavenBuilds).anyMatch(line -> !line.contains("-Dnative"));
        assertThat(mavenBuilds).anyMatch(line -> line.contains(" -Dnative ")
                && line.contains("-Dquarkus.native.container-build=true")
                && App.ALL.stream().allMatch(app -> line.contains(app.name)));
    }

    @Test
    void jvmImagesRunThePackagedAppOnTheOpenJdk17RuntimeOfQuarkus() {
        for (App app : App.ALL) {
            Dockerfile jvm = Dockerfile.parse(app.dir.resolve("src/main/docker/Dockerfile.jvm"));

            assertThat(jvm.last("FROM")).startsWith("registry.access.redhat.com/ubi9/openjdk-17-runtime:");
            assertThat(jvm.copySources()).as(app.name).containsExactly("target/quarkus-app/lib/",
                    "target/quarkus-app/*.jar", "target/quarkus-app/app/", "target/quarkus-app/quarkus/");
            assertThat(jvm.env()).containsEntry("JAVA_APP_JAR", "/deployments/quarkus-run.jar");
            assertThat(jvm.last("ENTRYPOINT")).contains("/opt/jboss/container/java/run/run-java.sh");
        }
    }

    /**
     * The JVM images run the apps as the local launcher does (the options were measured there, docs/performance.md).
     * run-java.sh takes the collector from GC_CONTAINER_OPTIONS: a second collector in JAVA_OPTS_APPEND would stop the
     * JVM. JAVA_OPTS would replace run-java.sh's container-aware defaults.
     */
    @Test
    void jvmImagesStartTheAppsWithTheJvmOptionsOfTheLocalLauncher() {
        List<String> launcher = LocalLauncher.jvmOptions();
        List<String> collector = launcher.stream().filter(LocalLauncher::selectsCollector).toList();
        List<String> others = launcher.stream().filter(option -> !LocalLauncher.selectsCollector(option)).toList();
        for (App app : App.ALL) {
            Map<String, String> env = Dockerfile.parse(app.dir.resolve("src/main/docker/Dockerfile.jvm")).env();
            List<String> appended = List.of(env.getOrDefault("JAVA_OPTS_APPEND", "").split("\\s+"));

            assertThat(env).as(app.name).doesNotContainKey("JAVA_OPTS");
            assertThat(List.of(env.getOrDefault("GC_CONTAINER_OPTIONS", "").split("\\s+"))).as(app.name)
                    .containsExactlyElementsOf(collector);
            assertThat(appended).as("JAVA_OPTS_APPEND of %s", app.name)
                    .containsSubsequence(others)
                    .noneMatch(LocalLauncher::selectsCollector);
        }
    }

    /**
     * An AppCDS archive works only with the JVM build that wrote it, so each JVM image writes its own (the one Maven
     * writes into target/quarkus-app is for the local launcher, and COPY target/quarkus-app/*.jar leaves it out). The
     * archive records the jar as it was named, so it is written with run-java.sh's JAVA_APP_JAR.
     */
    @Test
    void jvmImagesWriteTheirAppCdsArchiveWithTheirOwnJvmAndStartWithIt() {
        for (App app : App.ALL) {
            assertThat(app.property("quarkus.package.jar.appcds.enabled")).as(app.name).contains("true");

            Dockerfile jvm = Dockerfile.parse(app.dir.resolve("src/main/docker/Dockerfile.jvm"));
            Map<String, String> env = jvm.env();
            List<String> archives = List.of(env.getOrDefault("JAVA_OPTS_APPEND", "").split("\\s+")).stream()
                    .filter(option -> option.startsWith("-XX:SharedArchiveFile=")).toList();
            assertThat(archives).as("-XX:SharedArchiveFile in JAVA_OPTS_APPEND of %s", app.name).hasSize(1);
            String archive = archives.get(0).substring("-XX:SharedArchiveFile=".length());

            List<String> runs = jvm.all("RUN").stream().map(run -> run.replaceAll("\\s+", " ")).toList();
            assertThat(runs).as("%s writes %s with its own JVM, and fails without it", app.name, archive)
                    .anyMatch(run -> run.contains("java -XX:ArchiveClassesAtExit=" + archive
                            + " -Dquarkus.appcds.generate=true")
                            && run.contains(" -jar " + env.get("JAVA_APP_JAR") + " ")
                            && run.contains("test -s " + archive));
        }
    }

    @Test
    void nativeImagesRunTheExecutableOnTheUbi9QuarkusMicroImage() {
        for (App app : App.ALL) {
            Dockerfile nativeImage = Dockerfile.parse(app.dir.resolve("src/main/docker/Dockerfile.native"));

            // UBI 9: Quarkus 3.33's builder image is UBI 9, and its executables need glibc 2.34.
            assertThat(nativeImage.last("FROM")).isEqualTo("quay.io/quarkus/ubi9-quarkus-micro-image:2.0");
            assertThat(nativeImage.copySources()).as(app.name).containsExactly("target/*-runner");
            assertThat(nativeImage.last("ENTRYPOINT")).startsWith("[\"./application\"");
        }
    }

    @Test
    void imagesExposeThePortTheAppServesAndRunAsOneNonRootUser() {
        for (App app : App.ALL) {
            Dockerfile jvm = Dockerfile.parse(app.dir.resolve("src/main/docker/Dockerfile.jvm"));
            Dockerfile nativeImage = Dockerfile.parse(app.dir.resolve("src/main/docker/Dockerfile.native"));

            for (Dockerfile image : List.of(jvm, nativeImage)) {
                assertThat(image.all("EXPOSE")).as(Repo.relative(image.file()))
                        .containsExactly(String.valueOf(app.httpPort(Map.of())));
                assertThat(image.user()).as(Repo.relative(image.file())).isNotZero();
            }
            // A volume one image of the app wrote stays writable for the other (QUARKUS_MODE switches them).
            assertThat(nativeImage.user()).as(app.name).isEqualTo(jvm.user());
        }
    }

    @Test
    void consumerImagesDeclareTheirOutputDirectoryAsAVolumeAndSetOnlySettingsTheAppReads() {
        for (App app : App.ALL) {
            for (String mode : List.of("jvm", "native")) {
                Dockerfile image = Dockerfile.parse(app.dir.resolve("src/main/docker/Dockerfile." + mode));
                Set<String> appEnv = image.env().keySet().stream().filter(name -> !BASE_IMAGE_ENV.contains(name))
                        .collect(Collectors.toSet());
                assertThat(appEnv).as("ENV of %s the app does not read", Repo.relative(image.file()))
                        .allMatch(name -> app.settingOf(name).isPresent());
            }
        }
        for (String mode : List.of("jvm", "native")) {
            Dockerfile image = Dockerfile.parse(App.CONSUMER.dir.resolve("src/main/docker/Dockerfile." + mode));
            String outputDir = image.env().get(App.envName("candles.output-dir"));

            assertThat(outputDir).as(Repo.relative(image.file())).isNotBlank();
            assertThat(image.all("VOLUME")).as(Repo.relative(image.file())).containsExactly(outputDir);
            assertThat(image.all("RUN")).as("the image creates %s writable for its user", outputDir)
                    .anyMatch(run -> run.contains("mkdir -p " + outputDir)
                            && run.contains("chown " + image.user() + ":root " + outputDir));
        }
    }

    @Test
    void buildContextsHoldOnlyTheBuildOutput() {
        for (App app : App.ALL) {
            List<String> ignore = Repo.read(app.dir.resolve(".dockerignore")).lines().map(String::trim).toList();

            assertThat(ignore).as(app.name).startsWith("*").contains("!target/quarkus-app/*", "!target/*-runner");
        }
    }

    @Test
    void theNativeProfileBuildsAnExecutableAndRunsThePackagedTestsAgainstIt() throws Exception {
        for (App app : App.ALL) {
            Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(app.dir.resolve("pom.xml").toFile());
            Element profile = profile(pom, "native");

            assertThat(text(profile, "activation/property/name")).as(app.name).isEqualTo("native");
            assertThat(text(profile, "properties/quarkus.native.enabled")).as(app.name).isEqualTo("true");
            assertThat(text(profile, "properties/quarkus.package.jar.enabled")).as(app.name).isEqualTo("false");
            assertThat(text(profile, "build/plugins/plugin/configuration/includes/include")).as(app.name)
                    .isEqualTo("**/*PackagedIT.java");

            List<Path> packagedTests = Repo.files(app.dir.resolve("src/test/java"))
                    .filter(file -> file.getFileName().toString().endsWith("PackagedIT.java")).toList();
            assertThat(packagedTests).as(app.name).isNotEmpty()
                    .allMatch(file -> Repo.read(file).contains("@QuarkusIntegrationTest"));
        }
    }

    private static Element profile(Document pom, String id) {
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (id.equals(text(profile, "id"))) {
                return profile;
            }
        }
        throw new AssertionError("no profile " + id);
    }

    /** The text of the first element along a slash-separated path of child names, or null. */
    private static String text(Element from, String path) {
        Element current = from;
        for (String name : path.split("/")) {
            Element next = null;
            for (var node = current.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element element && element.getTagName().equals(name)) {
                    next = element;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            current = next;
        }
        return current.getTextContent().trim();
    }
}
