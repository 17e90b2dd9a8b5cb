/**
 * KIP-848 consumer groups ({@code group.protocol=consumer}): the broker decides the assignment,
 * members reconcile toward it one heartbeat at a time.
 *
 * <p>Pieces, in the order a heartbeat meets them:
 * <ul>
 *   <li>{@link io.millrace.coordinator.consumer.ConsumerGroupApis}: the heartbeat and describe
 *       operations on a coordinator shard; keeps classic and consumer groups apart.</li>
 *   <li>{@link io.millrace.coordinator.consumer.ConsumerGroups}: one shard's consumer groups;
 *       replays records of key types 3–8 ({@link io.millrace.coordinator.consumer.ConsumerGroupRecords}
 *       documents their encoding), answers reads, plugs into the shard as its
 *       {@code GroupType}.</li>
 *   <li>{@code GroupMembership}: join, heartbeat, leave, and removal on session or revocation
 *       timeout ({@code MemberTimers}); returns records, changes nothing.</li>
 *   <li>{@code TargetAssignments}: group epoch and target assignment, via the server-side
 *       assignors {@link io.millrace.coordinator.consumer.UniformAssignor} and
 *       {@link io.millrace.coordinator.consumer.RangeAssignor}, over the subscriptions
 *       {@code SubscriptionResolver} turns into topics (names and regular expressions).</li>
 *   <li>{@code Reconciler}: a member's next assignment; a partition reaches a member only once
 *       its previous owner has revoked it.</li>
 * </ul>
 * Everything here runs on the owning shard's thread and needs no locks. It imports the
 * coordinator runtime and group packages, never the server.
 */
package io.millrace.coordinator.consumer;
