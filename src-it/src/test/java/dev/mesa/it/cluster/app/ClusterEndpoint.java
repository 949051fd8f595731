package dev.mesa.it.cluster.app;

import dev.mesa.MesaEndpoint;
import dev.mesa.it.app.StandardHandlers;

/**
 * The endpoint of the cluster tests, deployed on every instance: token {@code "u:<id>"} is user
 * {@code <id>}; {@code ECHO} answers the sender (the per-connection barrier); {@code SEND} runs
 * {@code Sends.execute} through the injected {@code Mesa} (see {@link StandardHandlers}).
 */
@MesaEndpoint("/cluster")
public class ClusterEndpoint extends StandardHandlers {
}
