package dev.mesa.it.app;

import dev.mesa.MesaEndpoint;

/** mesa.endpoint.secure.authentication.required=true, timeout 1s. */
@MesaEndpoint("/secure")
public class SecureEndpoint extends StandardHandlers {
}
