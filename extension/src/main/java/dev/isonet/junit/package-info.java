/**
 * The JUnit 5 adapter: {@link dev.isonet.junit.IsolatedNetwork} on a test class or method, and
 * {@link dev.isonet.junit.Container} on {@link dev.isonet.Node} fields and parameters.
 */
package dev.isonet.junit;
