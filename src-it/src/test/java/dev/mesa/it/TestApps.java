package dev.mesa.it;

import dev.mesa.it.app.AnyOriginEndpoint;
import dev.mesa.it.app.DispatchResource;
import dev.mesa.it.app.FloodEndpoint;
import dev.mesa.it.app.IdleEndpoint;
import dev.mesa.it.app.HeartbeatEndpoint;
import dev.mesa.it.app.NoUserEndpoint;
import dev.mesa.it.app.OpenEndpoint;
import dev.mesa.it.app.OriginEndpoint;
import dev.mesa.it.app.RestApplication;
import dev.mesa.it.app.SecureEndpoint;
import dev.mesa.it.app.StrictEndpoint;
import dev.mesa.it.app.Sends;
import dev.mesa.it.app.StandardHandlers;
import dev.mesa.it.app.SyncEndpoint;
import dev.mesa.it.app.Users;
import dev.mesa.it.app.VersionedEndpoint;
import dev.mesa.it.bad.DuplicateHandlerEndpoint;
import dev.mesa.it.bad.NoAuthenticatorEndpoint;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The test applications. One "core" WAR holds most endpoints, told apart by per-endpoint
 * configuration ({@code mesa.endpoint.<name>.*}), so the suite deploys few WARs.
 */
public final class TestApps {

    /** Context root of the core WAR. */
    public static final String CORE = "mesa-core";
    /** Context root of the sync WAR. */
    public static final String SYNC = "mesa-sync";
    /** Context root of the invalid WAR. */
    public static final String BAD = "mesa-bad";

    /** max-message-size of every core endpoint. */
    public static final int MAX_MESSAGE_SIZE = 1024;

    /** Core WAR configuration. */
    public static final String CORE_CONFIG = """
            # every endpoint of the WAR
            mesa.limits.max-message-size=1024
            # /open: authentication optional; its timeout is announced but not enforced
            mesa.endpoint.open.authentication.timeout=1s
            # /hb
            mesa.endpoint.hb.heartbeat.enabled=true
            mesa.endpoint.hb.heartbeat.interval=400ms
            mesa.endpoint.hb.heartbeat.max-attempts=2
            mesa.endpoint.hb.reconnect.enabled=true
            mesa.endpoint.hb.reconnect.interval=PT1S
            mesa.endpoint.hb.options.store-messages=true
            mesa.endpoint.hb.authentication.timeout=0
            # /secure
            mesa.endpoint.secure.authentication.required=true
            mesa.endpoint.secure.authentication.timeout=1000
            # /nouser
            mesa.endpoint.nouser.authentication.send-user-object=false
            mesa.endpoint.nouser.authentication.timeout=0
            # /v/strict (name "versioned")
            mesa.endpoint.versioned.client.enforce-equal-versions=true
            # /strict
            mesa.endpoint.strict.authentication.required=true
            mesa.endpoint.strict.client.enforce-equal-versions=true
            mesa.endpoint.strict.client.version=1.5.3
            # /flood and /idle
            mesa.endpoint.flood.limits.outbound-queue-size=8
            mesa.endpoint.idle.limits.idle-timeout=700ms
            # /origin and /any/origin
            mesa.endpoint.origin.limits.allowed-origins=http://good.example,http://also-good.example:8080
            mesa.endpoint.any-origin.limits.allowed-origins=*
            """;

    /** Sync WAR configuration. */
    public static final String SYNC_CONFIG = """
            mesa.sync.enabled=true
            """;

    /**
     * Invalid WAR configuration. Problems: sync without any @OnAuthenticate in the WAR; /noauth
     * requires authentication without an @OnAuthenticate; an unparsable duration; plus
     * DuplicateHandlerEndpoint's two handlers for "X".
     */
    public static final String BAD_CONFIG = """
            mesa.sync.enabled=true
            mesa.endpoint.noauth.authentication.required=true
            mesa.endpoint.dup.heartbeat.enabled=true
            mesa.endpoint.dup.heartbeat.interval=banana
            """;

    private TestApps() {
    }

    public static WebArchive core() {
        return Deployments.war(CORE, CORE_CONFIG,
                Users.class, Users.User.class, Sends.class, StandardHandlers.class,
                OpenEndpoint.class, SecureEndpoint.class, NoUserEndpoint.class, HeartbeatEndpoint.class,
                VersionedEndpoint.class, StrictEndpoint.class, FloodEndpoint.class, IdleEndpoint.class, OriginEndpoint.class, AnyOriginEndpoint.class,
                RestApplication.class, DispatchResource.class);
    }

    public static WebArchive sync() {
        return Deployments.war(SYNC, SYNC_CONFIG, Users.class, Users.User.class, Sends.class, StandardHandlers.class,
                SyncEndpoint.class);
    }

    public static WebArchive bad() {
        return Deployments.war(BAD, BAD_CONFIG, DuplicateHandlerEndpoint.class, NoAuthenticatorEndpoint.class);
    }
}
