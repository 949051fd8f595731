package dev.mesa.it.app;

import jakarta.json.JsonObject;

import dev.mesa.Connection;
import dev.mesa.MesaEndpoint;
import dev.mesa.OnMessage;

/** Authentication optional: echo, server-side sends, server-initiated close. */
@MesaEndpoint("/open")
public class OpenEndpoint extends StandardHandlers {

    /** {@code CLOSE {"code":4321,"reason":"bye"}} closes with that code; {@code CLOSE {}} with 1000. */
    @OnMessage("CLOSE")
    void close(Connection connection, JsonObject d) {
        if (d.containsKey("code")) {
            connection.disconnect(d.getInt("code"), d.getString("reason", ""));
        } else {
            connection.disconnect();
        }
    }
}
