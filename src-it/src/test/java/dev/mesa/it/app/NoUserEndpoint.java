package dev.mesa.it.app;

import dev.mesa.MesaEndpoint;

/** send-user-object=false and no authentication timeout: hello rules are empty, op 22 carries {}. */
@MesaEndpoint(value = "/nouser")
public class NoUserEndpoint extends StandardHandlers {
}
