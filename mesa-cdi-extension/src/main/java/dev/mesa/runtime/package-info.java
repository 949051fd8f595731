/**
 * Mesa's protocol engine and CDI services. Not API: applications use
 * {@code dev.mesa}. The few public types here ({@link dev.mesa.runtime.MesaExtension},
 * {@link dev.mesa.runtime.MesaRuntime}, {@link dev.mesa.runtime.EndpointRuntime},
 * {@link dev.mesa.runtime.Transport}, {@link dev.mesa.runtime.InboundHandler},
 * {@link dev.mesa.runtime.Limits}) are the seam a transport binding such as
 * {@code mesa-jakarta-ws} plugs into; they may change between minor versions.
 * This package never depends on {@code jakarta.websocket}, so the whole protocol
 * is unit-tested in a plain JVM against a {@link dev.mesa.runtime.Transport}
 * written for the tests.
 */
package dev.mesa.runtime;
