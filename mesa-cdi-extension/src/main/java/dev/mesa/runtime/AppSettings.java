package dev.mesa.runtime;

/**
 * The settings that hold for the whole application rather than one endpoint:
 * a user is one user across endpoints, so whether their messages are kept while
 * they are away cannot depend on the endpoint they come back through.
 */
record AppSettings(String namespace, boolean syncEnabled, int syncMaxMessages, boolean storeConnectedUsers) {
}
