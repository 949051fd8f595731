package dev.mesa.sample.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API lives under {@code /api}; the page and the WebSocket endpoint {@code /chat} are outside it. */
@ApplicationPath("/api")
public class RestApplication extends Application {
}
