package dev.mesa.it.cluster.app;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

@ApplicationPath("api")
public class ClusterRestApplication extends Application {
}
