/**
 * Lifecycle events, Mesa's middleware hooks as CDI events: observe them from any
 * bean with {@code @Observes} (synchronous, on the thread that caused them) or
 * {@code @ObservesAsync}.
 *
 * <table>
 *   <caption>Mesa 1.x hook and its event</caption>
 *   <tr><th>Mesa middleware hook</th><th>event</th></tr>
 *   <tr><td>onConnection</td><td>{@link dev.mesa.event.ConnectionOpened}</td></tr>
 *   <tr><td>onDisconnection</td><td>{@link dev.mesa.event.ConnectionClosed}</td></tr>
 *   <tr><td>onMessageReceived</td><td>{@link dev.mesa.event.MessageReceived}</td></tr>
 *   <tr><td>onMessageSent</td><td>{@link dev.mesa.event.MessageSent}</td></tr>
 *   <tr><td>onAuthenticated</td><td>{@link dev.mesa.event.Authenticated}</td></tr>
 *   <tr><td>onError</td><td>{@link dev.mesa.event.MesaError}</td></tr>
 *   <tr><td>onUndeliverableMessageSent</td><td>{@link dev.mesa.event.UndeliverableMessage}</td></tr>
 *   <tr><td>onRedeliverUndeliverableMessages</td><td>{@link dev.mesa.event.MessagesRedelivered}</td></tr>
 * </table>
 *
 * <p>An event whose type has no observer in the application is never created,
 * so unobserved hooks cost nothing on the message path. An observer that throws
 * is logged; it never breaks the connection. To veto or transform inbound
 * messages use {@link dev.mesa.spi.MessageInterceptor} instead.
 */
package dev.mesa.event;
