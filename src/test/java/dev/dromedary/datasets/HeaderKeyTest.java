package dev.dromedary.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A header cell names a column when they differ only in case, spaces, '_', '-' and '.'; any other character counts. */
class HeaderKeyTest {

    @Test
    void caseSpacesUnderscoresDashesAndDotsAreSetAside() {
        for (String cell : new String[] {"first_name", "First Name", "FIRST-NAME", "first.name", " first name ", "First\u00a0Name"}) {
            assertThat(Dataset.headerKey(cell)).as(cell).isEqualTo(Dataset.headerKey("first_name"));
        }
    }

    @Test
    void quotesSemicolonsControlCharactersAndOtherPunctuationMakeACellUnknown() {
        for (String cell : new String[] {"city\"", "\"city", "city;", "=city", "ci\tty", "city\u0000", "city\u001b[31m", "city()",
                "@city", "ci'ty", "city/"}) {
            assertThat(Dataset.headerKey(cell)).as(cell).isNotEqualTo(Dataset.headerKey("city"));
        }
    }
}
