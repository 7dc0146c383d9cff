package dev.isonet.internal.linux;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An EPERM names missing privileges only when they are missing. */
class LinuxExceptionTests {

    @Test
    void anEpermSaysWhatIsMissingOrThatNothingIs() {
        String message = new LinuxException("add nf_tables table", "inet t", LinuxException.EPERM, null).getMessage();

        assertThat(message).startsWith("add nf_tables table inet t failed: EPERM (Operation not permitted). ");
        long effective = Capabilities.effective();
        if (Capabilities.has(effective, Capabilities.CAP_NET_ADMIN)
                && Capabilities.has(effective, Capabilities.CAP_SYS_ADMIN)) {
            assertThat(message).contains("This process has CAP_NET_ADMIN and CAP_SYS_ADMIN")
                    .doesNotContain("needs root");
        } else {
            assertThat(message).endsWith("Isonet needs root, or CAP_NET_ADMIN and CAP_SYS_ADMIN");
        }
    }

    @Test
    void anEpermNamesWhatIsMissingForEachCapabilitySet() {
        long netAdmin = 1L << Capabilities.CAP_NET_ADMIN;
        long sysAdmin = 1L << Capabilities.CAP_SYS_ADMIN;
        String missing = ". Isonet needs root, or CAP_NET_ADMIN and CAP_SYS_ADMIN";

        assertThat(LinuxException.epermAdvice(0)).isEqualTo(missing);
        assertThat(LinuxException.epermAdvice(netAdmin)).isEqualTo(missing);
        assertThat(LinuxException.epermAdvice(sysAdmin | 1L << Capabilities.CAP_SYS_CHROOT)).isEqualTo(missing);
        assertThat(LinuxException.epermAdvice(netAdmin | sysAdmin))
                .startsWith(". This process has CAP_NET_ADMIN and CAP_SYS_ADMIN, so the kernel refused for another"
                        + " reason").doesNotContain("needs root");
        assertThat(LinuxException.epermAdvice(-1L)).isEqualTo(LinuxException.epermAdvice(netAdmin | sysAdmin));
    }

    @Test
    void otherErrorsCarryTheKernelsText() {
        assertThat(new LinuxException("add link", "v0", LinuxException.EEXIST, "File exists here").getMessage())
                .isEqualTo("add link v0 failed: EEXIST (File exists); kernel says: File exists here");
    }
}
