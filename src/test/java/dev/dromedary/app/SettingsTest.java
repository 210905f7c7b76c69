package dev.dromedary.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.apache.camel.component.properties.PropertiesComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

class SettingsTest {

    private static Settings of(String name, String value) {
        Properties values = new Properties();
        values.setProperty(name, value);
        PropertiesComponent properties = (PropertiesComponent) new DefaultCamelContext().getPropertiesComponent();
        properties.setInitialProperties(values);
        return new Settings(properties);
    }

    @Test
    void aTrueOrFalseSettingTakesOnlyTrueOrFalse() {
        assertThat(of("JOB_EVENT_HOOKS", " TRUE ").bool("JOB_EVENT_HOOKS")).isTrue();
        assertThat(of("JOB_EVENT_HOOKS", "false").bool("JOB_EVENT_HOOKS")).isFalse();
        for (String hostile : new String[] {"yes", "1", "", "tr\u0000ue", "truee", "t".repeat(10_000)}) {
            assertThatThrownBy(() -> of("JOB_EVENT_HOOKS", hostile).bool("JOB_EVENT_HOOKS"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("the setting JOB_EVENT_HOOKS must be true or false");
        }
    }
}
