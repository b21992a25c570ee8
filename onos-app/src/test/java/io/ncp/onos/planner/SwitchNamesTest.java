package io.ncp.onos.planner;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SwitchNamesTest {

    @Test
    void numbersCompareByValue() {
        List<String> names = new ArrayList<>(List.of("s10", "s2", "a21", "s1", "a3", "of:0000000000000002",
                "of:000000000000000a", "s02"));
        names.sort(SwitchNames.ORDER);
        assertThat(names).containsExactly("a3", "a21", "of:0000000000000002", "of:000000000000000a", "s1", "s02",
                "s2", "s10");
    }
}
