package dev.isonet.internal.ns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Users to run as: by name, uid or uid:gid, from a passwd file; setpriv's options for each. */
class AccountTests {
    private static final List<String> PASSWD = List.of("root:x:0:0:root:/root:/bin/bash",
            "postgres:x:105:110:PostgreSQL:/var/lib/postgresql:/bin/bash", "broken:x:abc:1::/:/bin/sh");

    @Test
    void aNameOrUidIsLookedUpAndUidGidIsTakenAsIs() {
        Account postgres = Account.lookup("postgres", PASSWD);
        assertThat(postgres).isEqualTo(new Account(105, 110, "postgres", "/var/lib/postgresql"));
        assertThat(postgres.setprivOptions()).containsExactly("--reuid=105", "--regid=110", "--init-groups");
        assertThat(Account.lookup("105", PASSWD)).isEqualTo(postgres);
        Account stranger = Account.lookup("7000:7001", PASSWD);
        assertThat(stranger).isEqualTo(new Account(7000, 7001, null, null));
        assertThat(stranger.setprivOptions()).containsExactly("--reuid=7000", "--regid=7001", "--clear-groups");
        assertThat(Account.lookup("105:5", PASSWD).name()).isEqualTo("postgres");
    }

    @Test
    void anUnknownUserFailsSayingWhatToGive() {
        assertThatThrownBy(() -> Account.lookup("nobody-here", PASSWD))
                .hasMessage("user 'nobody-here' is not in /etc/passwd; give a known name, a uid or uid:gid");
        assertThatThrownBy(() -> Account.lookup("7000", PASSWD))
                .hasMessage("user 7000 has no entry in /etc/passwd, so its group is not known: give it as uid:gid");
        assertThatThrownBy(() -> Account.lookup(" ", PASSWD))
                .hasMessage("user must be a name, a uid or uid:gid, not ' '");
    }
}
