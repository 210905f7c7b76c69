package dev.dromedary.app;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Typed access to the settings of {@code application.properties}; Camel's properties component lets an
 * environment variable of the same name override each of them.
 */
public final class Settings {

    private final PropertiesComponent properties;

    public Settings(PropertiesComponent properties) {
        this.properties = properties;
    }

    /**
     * The settings as an application started here would read them, for the commands that talk to one
     * without starting it (dlq, bench): {@code application.properties} of the working directory, each
     * overridden by an environment variable of the same name.
     */
    public static Settings ofWorkingDirectory() {
        org.apache.camel.component.properties.PropertiesComponent properties =
                new org.apache.camel.component.properties.PropertiesComponent();
        properties.setCamelContext(new DefaultCamelContext(false));
        properties.setLocation("file:application.properties");
        properties.setIgnoreMissingLocation(true);
        properties.setEnvironmentVariableMode(
                org.apache.camel.component.properties.PropertiesComponent.ENVIRONMENT_VARIABLES_MODE_OVERRIDE);
        properties.init();
        return new Settings(properties);
    }

    /** The value, trimmed; empty when the setting is unset or blank. */
    public String text(String name) {
        return properties.resolveProperty(name).map(String::trim).orElse("");
    }

    /** A comma-separated setting, its items trimmed, blanks left out. */
    public List<String> list(String name) {
        return Arrays.stream(text(name).split(",")).map(String::trim).filter(item -> !item.isEmpty()).toList();
    }

    /** true or false, as a route's autoStartup reads it. */
    public boolean bool(String name) {
        String value = text(name);
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("the setting " + name + " must be true or false, not '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    public int integer(String name) {
        String value = text(name);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the setting " + name + " must be a whole number, not '" + value + "'");
        }
    }

    public long longValue(String name) {
        String value = text(name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the setting " + name + " must be a whole number, not '" + value + "'");
        }
    }

    /**
     * How often the runners poll: {@code TICKER_INTERVAL_SECONDS} when set (fractions allowed, for
     * development and tests), else {@code TICKER_INTERVAL_MINUTES}.
     */
    public Duration tickerInterval() {
        String seconds = text("TICKER_INTERVAL_SECONDS");
        if (seconds.isEmpty()) {
            return Duration.ofMinutes(integer("TICKER_INTERVAL_MINUTES"));
        }
        try {
            return Duration.ofMillis(Math.max(1, Math.round(Double.parseDouble(seconds) * 1000)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the setting TICKER_INTERVAL_SECONDS must be a number, not '" + seconds + "'");
        }
    }
}
