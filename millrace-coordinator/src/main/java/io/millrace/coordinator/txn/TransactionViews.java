package io.millrace.coordinator.txn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;

/** DescribeTransactions and ListTransactions answers from shard state, as Kafka fills them. Stateless. */
final class TransactionViews {
    private TransactionViews() {
    }

    static DescribeTransactionsResponseData.TransactionState describe(
            DescribeTransactionsResponseData.TransactionState out, TransactionMetadata m) {
        if (m == null || m.status() == TransactionStatus.DEAD) {
            return out.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
        }
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (TopicPartition tp : m.partitions()) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        byTopic.forEach((topic, partitions) -> out.topics().add(new DescribeTransactionsResponseData.TopicData()
                .setTopic(topic).setPartitions(partitions.stream().sorted().toList())));
        return out.setErrorCode(Errors.NONE.code()).setTransactionState(m.status().displayName())
                .setTransactionTimeoutMs(m.timeoutMs()).setTransactionStartTimeMs(m.startTimestamp())
                .setProducerId(m.producerId()).setProducerEpoch(m.producerEpoch());
    }

    /**
     * ListTransactions filters: states by display name (unknown names reported back), producer ids,
     * running time, and (v2, KIP-1152) a regular expression the whole transactional id must match
     * (null: any). Kafka compiles the pattern with RE2/J; {@link java.util.regex} agrees on the
     * patterns ids are filtered with (literals, classes, {@code .*}, alternation).
     */
    record ListFilter(Set<TransactionStatus> states, boolean filterStates, List<String> unknownStates,
                      Set<Long> producerIds, long minDurationMs, Pattern transactionalIdPattern) {
        /** @throws PatternSyntaxException when the pattern is not a regular expression (INVALID_REGULAR_EXPRESSION) */
        static ListFilter of(List<String> stateNames, List<Long> producerIds, long minDurationMs,
                             String transactionalIdPattern) {
            Set<TransactionStatus> states = EnumSet.noneOf(TransactionStatus.class);
            List<String> unknown = new ArrayList<>();
            for (String name : stateNames) {
                TransactionStatus.fromDisplayName(name).ifPresentOrElse(states::add, () -> unknown.add(name));
            }
            Pattern pattern = transactionalIdPattern == null || transactionalIdPattern.isEmpty() ? null
                    : Pattern.compile(transactionalIdPattern);
            return new ListFilter(states, !stateNames.isEmpty(), List.copyOf(unknown), Set.copyOf(producerIds),
                    minDurationMs, pattern);
        }

        List<ListTransactionsResponseData.TransactionState> select(Collection<TransactionMetadata> all, long now) {
            List<ListTransactionsResponseData.TransactionState> out = new ArrayList<>();
            for (TransactionMetadata m : all) {
                if (m.status() == TransactionStatus.DEAD
                        || (!producerIds.isEmpty() && !producerIds.contains(m.producerId()))
                        || (filterStates && !states.contains(m.status()))
                        || (minDurationMs >= 0 && now - m.startTimestamp() <= minDurationMs)
                        || (transactionalIdPattern != null
                            && !transactionalIdPattern.matcher(m.transactionalId()).matches())) {
                    continue;
                }
                out.add(new ListTransactionsResponseData.TransactionState().setTransactionalId(m.transactionalId())
                        .setProducerId(m.producerId()).setTransactionState(m.status().displayName()));
            }
            return out;
        }
    }
}
