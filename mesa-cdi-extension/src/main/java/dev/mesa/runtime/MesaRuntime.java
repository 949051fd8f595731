package dev.mesa.runtime;

import java.util.List;

/**
 * The engine of one application: its endpoints. Obtained from
 * {@link MesaExtension#runtime()} once the CDI container has started.
 */
public interface MesaRuntime {

    /** @return the application's endpoints, in a stable order */
    List<EndpointRuntime> endpoints();
}
