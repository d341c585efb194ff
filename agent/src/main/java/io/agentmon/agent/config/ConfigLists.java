package io.agentmon.agent.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The one rule for every comma-separated {@code agentmon.*} value (matcher lists, bucket lists):
 * elements are trimmed, and an empty element is an error wherever it is (leading, trailing or
 * between two commas), named by its position, because {@code a,,b} is more often a lost element
 * than a style.
 */
final class ConfigLists {

    private ConfigLists() {
    }

    /** The trimmed elements of {@code value}; none for an empty value. */
    static List<String> elements(ConfigLoader.Setting setting, String key, String value) throws ConfigException {
        List<String> elements = new ArrayList<>();
        if (value.trim().isEmpty()) {
            return elements;
        }
        String[] parts = value.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String element = parts[i].trim();
            if (element.isEmpty()) {
                String what = setting == null ? key + " (default)" : setting.describe();
                throw new ConfigException(what + ": element " + (i + 1) + " of " + parts.length
                        + " is empty (a leading, trailing or doubled comma)");
            }
            elements.add(element);
        }
        return elements;
    }
}
