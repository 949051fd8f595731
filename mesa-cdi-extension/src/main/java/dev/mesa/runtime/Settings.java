package dev.mesa.runtime;

import java.time.Duration;

/** One endpoint's validated protocol settings (see {@link dev.mesa.MesaConfigKeys}). */
record Settings(
        boolean heartbeatEnabled, Duration heartbeatInterval, int heartbeatMaxAttempts,
        boolean reconnectEnabled, Duration reconnectInterval,
        Duration authenticationTimeout, boolean authenticationRequired,
        boolean sendUserObject, boolean disconnectOnFail,
        Duration redeliveryInterval,
        boolean enforceEqualVersions, String clientVersion,
        boolean storeMessages,
        Limits limits) {

    /** @return whether unauthenticated connections are closed once the authentication timeout passes */
    boolean enforcesAuthenticationTimeout() {
        return authenticationRequired && !authenticationTimeout.isZero();
    }
}
