/**
 * Implementation of the modelwire client: <strong>not API</strong>. The classes here are public only
 * because Java has no module-private visibility across packages; they change or disappear in any
 * release without notice and are left out of the javadoc. Use {@code io.modelwire.client} and
 * {@code io.modelwire.client.errors}.
 */
package io.modelwire.client.internal;
