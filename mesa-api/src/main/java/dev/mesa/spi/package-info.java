/**
 * Service provider interfaces: what an application or a library implements to
 * change how Mesa works, as opposed to what it calls ({@code dev.mesa}).
 *
 * <p>Implementations are CDI beans; Mesa discovers them in the application.
 */
package dev.mesa.spi;
