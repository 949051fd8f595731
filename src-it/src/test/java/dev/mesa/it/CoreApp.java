package dev.mesa.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the suites that test the core WAR ({@link TestApps#core()}) from the
 * outside: deploys it, and closes every client a test opened.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
abstract class CoreApp {

    @Deployment(testable = false)
    static WebArchive war() {
        return TestApps.core();
    }

    protected final Clients clients = new Clients();

    @AfterEach
    void closeClients() {
        clients.close();
    }
}
