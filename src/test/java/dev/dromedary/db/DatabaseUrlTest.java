package dev.dromedary.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void aJdbcUrlIsUsedAsItIs() {
        DatabaseUrl url = DatabaseUrl.parse("jdbc:postgresql://db:5432/jobs", "app", "secret");
        assertThat(url).isEqualTo(new DatabaseUrl("jdbc:postgresql://db:5432/jobs", "app", "secret"));
    }

    @Test
    void aPostgresUrlBecomesJdbcWithItsCredentials() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://app:p%40ss@db.example:6543/jobs?sslmode=require", "", "");
        assertThat(url).isEqualTo(new DatabaseUrl("jdbc:postgresql://db.example:6543/jobs?sslmode=require", "app", "p@ss"));
    }

    @Test
    void configuredCredentialsWinOverTheUrls() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://app:old@db/jobs", "admin", "new");
        assertThat(url).isEqualTo(new DatabaseUrl("jdbc:postgresql://db/jobs", "admin", "new"));
    }

    @Test
    void anythingElseIsRefusedWithTheFormsItTakes() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://db/jobs", "", ""))
                .hasMessageContaining("jdbc:postgresql://, postgres:// or postgresql://");
    }
}
