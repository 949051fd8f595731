package dev.mesa.it.app;

import dev.mesa.MesaEndpoint;

/**
 * Authentication required AND enforce_equal_versions: what a mesa-js-client does here is send
 * CLIENT_VERSION right after hello, before it authenticates.
 */
@MesaEndpoint("/strict")
public class StrictEndpoint extends StandardHandlers {
}
