/** The metadata quorum on Apache Ratis: {@link io.millrace.quorum.MetadataQuorum}. */
package io.millrace.quorum;
