/** The side-by-side benchmark against Apache Kafka ({@link io.millrace.bench.BenchMain}) and JMH microbenchmarks. */
package io.millrace.bench;
