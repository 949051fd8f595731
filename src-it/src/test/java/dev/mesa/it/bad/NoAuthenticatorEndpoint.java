package dev.mesa.it.bad;

import dev.mesa.MesaEndpoint;
import dev.mesa.OnMessage;
import jakarta.json.JsonObject;

/**
 * Invalid: authentication is required on it (mesa.endpoint.noauth.authentication.required=true)
 * but it has no @OnAuthenticate; and with sync enabled WAR-wide, no endpoint of the WAR has one.
 */
@MesaEndpoint("/noauth")
public class NoAuthenticatorEndpoint {

    @OnMessage("Y")
    void y(JsonObject d) {
    }
}
