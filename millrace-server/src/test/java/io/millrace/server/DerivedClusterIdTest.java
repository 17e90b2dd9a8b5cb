package io.millrace.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DerivedClusterIdTest {

    private static InetSocketAddress at(String host, int port) {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Test
    void theOrderOfTheVotersMapDoesNotMatter() {
        Map<Integer, InetSocketAddress> forward = new LinkedHashMap<>();
        forward.put(1, at("127.0.0.1", 19001));
        forward.put(2, at("127.0.0.1", 19002));
        forward.put(3, at("127.0.0.1", 19003));
        Map<Integer, InetSocketAddress> backward = new LinkedHashMap<>();
        backward.put(3, at("127.0.0.1", 19003));
        backward.put(2, at("127.0.0.1", 19002));
        backward.put(1, at("127.0.0.1", 19001));
        assertEquals(DerivedClusterId.of(forward), DerivedClusterId.of(backward));
        assertEquals(DerivedClusterId.of(forward), DerivedClusterId.of(Map.copyOf(backward)));
        assertEquals(DerivedClusterId.of(forward), DerivedClusterId.of(new HashMap<>(backward)));
    }

    @Test
    void hostSpellingsAreNormalised() {
        Map<Integer, InetSocketAddress> plain = Map.of(1, at("host1.example.com", 9093), 2, at("host2", 9093),
                3, at("::1", 9093));
        Map<Integer, InetSocketAddress> spelled = Map.of(1, at("HOST1.Example.COM.", 9093), 2, at("Host2", 9093),
                3, at("[::1]", 9093));
        assertEquals(DerivedClusterId.canonical(plain), DerivedClusterId.canonical(spelled));
        assertEquals("1@host1.example.com:9093,2@host2:9093,3@::1:9093", DerivedClusterId.canonical(plain));
        assertEquals(DerivedClusterId.of(plain), DerivedClusterId.of(spelled));
    }

    @Test
    void differentVotersGiveDifferentIds() {
        assertNotEquals(DerivedClusterId.of(Map.of(1, at("h", 1), 2, at("h", 2))),
                DerivedClusterId.of(Map.of(1, at("h", 1), 2, at("h", 3))));
    }

    @Test
    void theIdIsAKafkaUuid() {
        String id = DerivedClusterId.of(Map.of(1, at("h", 1)));
        assertEquals(22, id.length());
        assertEquals(id, org.apache.kafka.common.Uuid.fromString(id).toString());
    }
}
