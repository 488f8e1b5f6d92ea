package latte.autodiff.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesAllValueKinds() {
        Object v = Json.parse(" {\"a\": [1, -2.5e3, true, false, null], \"s\": \"q\\\"\\n\\u00e9\", \"o\": {}} ");
        assertThat(v).isEqualTo(Map.of("a", java.util.Arrays.asList(1L, -2500.0, true, false, null), "s", "q\"\né", "o", Map.of()));
    }

    @Test
    void roundTrips() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", "tab\there");
        m.put("n", 3L);
        m.put("x", 0.5);
        m.put("list", List.of(1L, "two"));
        assertThat(Json.write(m)).isEqualTo("{\"name\":\"tab\\there\",\"n\":3,\"x\":0.5,\"list\":[1,\"two\"]}");
        assertThat(Json.parse(Json.write(m))).isEqualTo(m);
    }

    @Test
    void malformedInputNamesThePosition() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1,}")).hasMessageContaining("position 8");
        assertThatThrownBy(() -> Json.parse("[1 2]")).hasMessageContaining("expected ','");
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate");
        assertThatThrownBy(() -> Json.parse("\"abc")).hasMessageContaining("end");
        assertThatThrownBy(() -> Json.parse("1 x")).hasMessageContaining("trailing");
    }
}
