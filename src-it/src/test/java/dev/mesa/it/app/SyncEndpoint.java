package dev.mesa.it.app;

import dev.mesa.MesaEndpoint;

/** Deployed alone in the sync WAR (mesa.sync.enabled=true). */
@MesaEndpoint("/sync")
public class SyncEndpoint extends StandardHandlers {
}
