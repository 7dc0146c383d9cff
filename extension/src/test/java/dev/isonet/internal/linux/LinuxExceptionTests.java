package dev.isonet.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An EPERM names missing privileges only when they are missing. */
class LinuxExceptionTests {

    @Test
    void anEpermSaysWhatIsMissingOrThatNothingIs() {
        String message = new LinuxException("add nf_tables table", "inet t", LinuxException.EPERM, null).getMessage();

        assertThat(message).startsWith("add nf_tables table inet t failed: EPERM (Operation not permitted). ");
        if (LinuxException.hasIsonetCapabilities()) {
            assertThat(message).contains("This process has CAP_NET_ADMIN and CAP_SYS_ADMIN")
                    .doesNotContain("needs root");
        } else {
            assertThat(message).endsWith("Isonet needs root, or CAP_NET_ADMIN and CAP_SYS_ADMIN");
        }
    }

    @Test
    void otherErrorsCarryTheKernelsText() {
        assertThat(new LinuxException("add link", "v0", LinuxException.EEXIST, "File exists here").getMessage())
                .isEqualTo("add link v0 failed: EEXIST (File exists); kernel says: File exists here");
    }
}
