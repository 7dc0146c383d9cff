package dev.isonet.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each setting comes from the system property, else the JUnit configuration parameter, else its default. */
class SettingsTests {
    private static final String README_ROW_START = "| `isonet.";

    @AfterEach
    void forget() {
        System.clearProperty(Settings.SPARES.name());
        Settings.forgetConfiguration();
    }

    @Test
    void theReadmeTableListsEverySettingWithItsDefaultAndMeaningAndNoOther() throws IOException {
        Path readme = Path.of(System.getProperty("isonet.readme", "../README.md"));
        List<String> rows = Files.readAllLines(readme).stream().filter(line -> line.startsWith(README_ROW_START))
                .toList();
        List<String> expected = Settings.all().stream()
                .map(s -> "| `" + s.name() + "` | `" + s.defaultValue() + "` | " + s.meaning() + " |").toList();

        assertThat(rows).as("rows of the configuration table in %s; it should read:%n%s", readme,
                String.join("\n", expected)).isEqualTo(expected);
    }

    @Test
    void withoutSystemPropertyOrParameterTheDefaultHolds() {
        assertThat(Settings.SPARES.value()).isEqualTo("4");
        assertThat(Settings.SPARES.source()).isEqualTo("default");
    }

    @Test
    void aJUnitConfigurationParameterOverridesTheDefault() {
        Settings.configure(parameters(Map.of("isonet.spares", " 7 ", "isonet.unknown", "1")));

        assertThat(Settings.SPARES.intValue(0, 64)).isEqualTo(7);
        assertThat(Settings.SPARES.source()).isEqualTo("JUnit configuration parameter");
        assertThat(Settings.configured()).containsOnlyKeys("isonet.spares");
    }

    @Test
    void theSystemPropertyWinsOverTheJUnitConfigurationParameter() {
        Settings.configure(parameters(Map.of("isonet.spares", "7")));
        System.setProperty("isonet.spares", "2");

        assertThat(Settings.SPARES.intValue(0, 64)).isEqualTo(2);
        assertThat(Settings.SPARES.source()).isEqualTo("system property");
    }

    @Test
    void anInvalidValueFailsNamingTheSettingItsValueAndWhereItCameFrom() {
        Settings.configure(parameters(Map.of("isonet.spares", "many")));

        assertThatThrownBy(Settings::check).isInstanceOf(IllegalArgumentException.class).hasMessage(
                "setting isonet.spares=many (JUnit configuration parameter) must be a whole number from 0 to 64;"
                        + " the default is 4");
    }

    @Test
    void aFlagIsTrueOrFalseInAnyCase() {
        Settings.configure(parameters(Map.of("isonet.trace", "TRUE", "isonet.summary", "yes")));

        assertThat(Settings.TRACE.enabled()).isTrue();
        assertThatThrownBy(Settings.SUMMARY::enabled).hasMessage("setting isonet.summary=yes (JUnit configuration"
                + " parameter) must be true or false; the default is true");
    }

    @Test
    void everySettingIsNamedIsonetAndItsDefaultPassesItsOwnCheck() {
        assertThat(Settings.all()).allSatisfy(s -> assertThat(s.name()).startsWith("isonet."));
        Settings.check();
        assertThat(Settings.all().stream().map(Settings.Setting::name).collect(Collectors.toSet()))
                .hasSize(Settings.all().size());
    }

    private static java.util.function.Function<String, Optional<String>> parameters(Map<String, String> values) {
        return name -> Optional.ofNullable(values.get(name));
    }
}
