package io.ncp.rubis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ncp.rubis.workload.Interaction;
import io.ncp.rubis.workload.TransitionTable;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransitionTableTest {

    private final TransitionTable table = TransitionTable.biddingMix();

    /** Stationary distribution of the chain by power iteration. */
    private Map<Interaction, Double> stationary() {
        Map<Interaction, Double> p = new EnumMap<>(Interaction.class);
        for (Interaction i : Interaction.values()) {
            p.put(i, 1.0 / Interaction.values().length);
        }
        for (int round = 0; round < 5000; round++) {
            Map<Interaction, Double> q = new EnumMap<>(Interaction.class);
            for (Interaction b : Interaction.values()) {
                double sum = 0;
                for (Interaction a : Interaction.values()) {
                    sum += p.get(a) * table.probability(a, b);
                }
                q.put(b, sum);
            }
            p = q;
        }
        return p;
    }

    @Test
    void biddingMixIsAboutFifteenPerCentReadWrite() {
        Map<Interaction, Double> p = stationary();
        double writes = p.entrySet().stream().filter(e -> e.getKey().readWrite()).mapToDouble(Map.Entry::getValue)
            .sum();
        assertThat(p.values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0,
            org.assertj.core.data.Offset.offset(1e-9));
        assertThat(writes).isBetween(0.14, 0.16);
        assertThat(p).allSatisfy((page, share) -> assertThat(share).as(page.name()).isPositive());
    }

    @Test
    void everyRowIsADistribution() {
        for (Interaction a : Interaction.values()) {
            double sum = 0;
            for (Interaction b : Interaction.values()) {
                sum += table.probability(a, b);
            }
            assertThat(sum).as(a.name()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void walkIsDeterministicPerSeed() {
        SplittableRandom r1 = new SplittableRandom(7);
        SplittableRandom r2 = new SplittableRandom(7);
        Interaction a = Interaction.HOME;
        Interaction b = Interaction.HOME;
        for (int i = 0; i < 1000; i++) {
            a = table.next(a, r1);
            b = table.next(b, r2);
            assertThat(a).isEqualTo(b);
        }
    }
}
