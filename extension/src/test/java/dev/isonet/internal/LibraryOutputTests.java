package dev.isonet.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The library logs through System.Logger and never prints: only the command-line tools ({@code dev.isonet.cli})
 * write to the console. Checked on the sources, outside comments. No root needed.
 */
class LibraryOutputTests {
    private static final Pattern PRINTS = Pattern.compile("System\\.(out|err)\\b|\\.printStackTrace\\(\\)");

    @Test
    void noLibraryClassWritesToStandardOutOrErr() throws IOException {
        Path sources = Path.of("src/main/java/dev/isonet");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (sources.relativize(file).startsWith("cli")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).strip();
                    if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
                        continue;
                    }
                    if (PRINTS.matcher(code).find()) {
                        found.add(sources.relativize(file) + ":" + (i + 1) + ": " + code);
                    }
                }
            }
        }
        assertThat(found).isEmpty();
    }
}
