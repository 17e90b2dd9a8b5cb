package io.millrace.metadata.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class ScramRecordSerdeTest {

    @Test
    void scramRecordsRoundTripAndHideTheirKeys() {
        ScramCredentialRecord set = new ScramCredentialRecord("alice", ScramMechanism.SCRAM_SHA_512,
                new byte[] {1, 2, 3}, new byte[] {4, 5}, new byte[] {6}, 8192);
        assertEquals(set, MetadataRecordSerde.deserialize(MetadataRecordSerde.serialize(set)));
        RemoveScramCredentialRecord remove = new RemoveScramCredentialRecord("bob", ScramMechanism.SCRAM_SHA_256);
        assertEquals(remove, MetadataRecordSerde.deserialize(MetadataRecordSerde.serialize(remove)));
        assertFalse(set.toString().contains("[4, 5]"));
    }
}
