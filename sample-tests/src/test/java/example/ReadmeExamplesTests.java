package example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's examples are taken from these tests: each marked region must appear in it as written. */
class ReadmeExamplesTests {
    private static final Pattern REGION = Pattern.compile("// README: (\\w+)\\n(.*?)\\n// README: end", Pattern.DOTALL);

    @Test
    void everyMarkedRegionAppearsInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int regions = 0;
        try (DirectoryStream<Path> sources = Files.newDirectoryStream(Path.of("src/test/java/example"), "*.java")) {
            for (Path source : sources) {
                Matcher m = REGION.matcher(Files.readString(source));
                while (m.find()) {
                    regions++;
                    assertThat(readme).as("README example '%s' from %s", m.group(1), source.getFileName())
                            .contains(m.group(2));
                }
            }
        }
        assertThat(regions).isGreaterThanOrEqualTo(4);
    }
}
