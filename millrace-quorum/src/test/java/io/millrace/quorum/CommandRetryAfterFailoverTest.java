package io.millrace.quorum;

import static io.millrace.quorum.TestCluster.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.millrace.metadata.controller.CreateTopicResult;
import io.millrace.metadata.controller.TopicSpec;
import io.millrace.metadata.controller.command.CreateTopics;
import io.millrace.metadata.records.MetadataRecord;
import io.millrace.metadata.records.TopicRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.apache.ratis.protocol.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, section 4: a forwarded controller command that ran and committed on a leader that
 * then died (its reply lost with it) is retried by its sender on the next leader under the same
 * request id, and gets the first run's reply: CreateTopics answers success with the topic's id,
 * not TOPIC_ALREADY_EXISTS, and the command is not run again.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommandRetryAfterFailoverTest {
    @TempDir
    Path dir;

    @Test
    void aRetryReachingTheNextLeaderGetsTheReplyTheLogCommitted() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3, QuorumConfig.DEFAULT_SNAPSHOT_THRESHOLD)) {
            cluster.startAll();
            TestCluster.Node first = cluster.awaitActive();
            CreateTopics create = new CreateTopics(List.of(new TopicSpec("once", 1, (short) 3, Map.of(), Map.of())), false);
            Message request = QueryMessages.command("request-1", CreateTopics.class.getName(), RecordCodec.encode(create));

            QueryMessages.Reply firstReply = first.quorum().query(request).get(15, TimeUnit.SECONDS);
            assertEquals(Errors.NONE, firstReply.error(), firstReply.message());
            CreateTopics.Reply created = RecordCodec.decode(CreateTopics.Reply.class, firstReply.payload());
            assertTrue(created.results().get(0).error().isSuccess(), created.toString());
            Uuid topicId = created.results().get(0).topicId();
            await(Duration.ofSeconds(15), "every node applied the creation",
                    () -> cluster.nodes.values().stream().allMatch(n -> n.publisher().image().topic("once").isPresent()));

            cluster.stop(first.id()); // the reply is lost with it, say; the sender retries
            TestCluster.Node second = cluster.awaitActive();
            assertNotEquals(first.id(), second.id());
            TestCluster.Node sender = cluster.others(second).get(0);
            QueryMessages.Reply retried = sender.quorum().query(request).get(15, TimeUnit.SECONDS);

            assertEquals(Errors.NONE, retried.error(), retried.message());
            assertArrayEquals(firstReply.payload(), retried.payload(), "the first run's reply, byte for byte");
            CreateTopicResult result = RecordCodec.decode(CreateTopics.Reply.class, retried.payload()).results().get(0);
            assertTrue(result.error().isSuccess(), result.toString());
            assertEquals(topicId, result.topicId());
            assertEquals(0, second.controller().executed.get(), "the new leader did not run the command again");

            // a new request id runs as usual, and finds the topic there
            Message another = QueryMessages.command("request-2", CreateTopics.class.getName(), RecordCodec.encode(create));
            QueryMessages.Reply again = sender.quorum().query(another).get(15, TimeUnit.SECONDS);
            CreateTopicResult exists = RecordCodec.decode(CreateTopics.Reply.class, again.payload()).results().get(0);
            assertEquals(org.apache.kafka.common.protocol.Errors.TOPIC_ALREADY_EXISTS, exists.error().error());
        }
    }

    @Test
    void batchesWithAndWithoutAReplyRoundTrip() {
        List<MetadataRecord> records = List.of(new TopicRecord("t", Uuid.randomUuid()));
        MetadataBatchCodec.Batch plain = MetadataBatchCodec.decode(MetadataBatchCodec.encode(7, records));
        assertEquals(7, plain.expectedTerm());
        assertEquals(records, plain.records());
        assertNull(plain.requestId());
        assertNull(plain.encodedReply());

        byte[] reply = {1, 2, 3};
        MetadataBatchCodec.Batch tagged = MetadataBatchCodec.decode(MetadataBatchCodec.encode(7, records, "r-1", reply));
        assertEquals(7, tagged.expectedTerm());
        assertEquals(records, tagged.records());
        assertEquals("r-1", tagged.requestId());
        assertArrayEquals(reply, tagged.encodedReply());
    }

    @Test
    void theMemoryIsBoundedOldestFirstOut() {
        CommittedCommandReplies replies = new CommittedCommandReplies(2);
        replies.committed("a", new byte[] {1});
        replies.committed("b", new byte[] {2});
        replies.committed("a", new byte[] {9}); // a repeat keeps the first reply
        replies.committed("c", new byte[] {3});
        assertEquals(2, replies.size());
        assertTrue(replies.reply("a").isEmpty());
        assertArrayEquals(new byte[] {2}, replies.reply("b").orElseThrow());
        assertArrayEquals(new byte[] {3}, replies.reply("c").orElseThrow());
    }
}
