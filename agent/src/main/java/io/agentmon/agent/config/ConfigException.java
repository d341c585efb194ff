package io.agentmon.agent.config;

import io.agentmon.agent.Echo;

/**
 * A configuration value agentmon cannot use; the message names the key, the value and where it
 * came from. The message is always one bounded line (see {@link Echo#line}).
 */
public final class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(Echo.line(message));
    }
}
