package org.redtest.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PyTorchPeerBenchmarkTest {
    private static PyTorchPeerBenchmark.ModelResult result() {
        Map<String, ThroughputMeter.Rates> rates = new LinkedHashMap<>();
        rates.put(PyTorchPeerBenchmark.OURS, new ThroughputMeter.Rates(500, 3000)); // fastest everywhere: never a peer
        rates.put("PyTorch eager NCHW", new ThroughputMeter.Rates(420, 2000));
        rates.put("PyTorch eager channels_last", new ThroughputMeter.Rates(460, 1800));
        rates.put("PyTorch TorchScript frozen channels_last", new ThroughputMeter.Rates(Double.NaN, 1600));
        rates.put(OnnxRuntimePeer.VARIANT, new ThroughputMeter.Rates(Double.NaN, 2400));
        return new PyTorchPeerBenchmark.ModelResult("resnet20", 0.08, rates);
    }

    @Test
    void theBestPeerOfAColumnIsTheFastestOtherThanOursIgnoringMissingFigures() {
        assertEquals("PyTorch eager channels_last",
                PyTorchPeerBenchmark.bestPeer(result(), ThroughputMeter.Rates::trainImgPerS).orElseThrow().getKey());
        assertEquals(OnnxRuntimePeer.VARIANT,
                PyTorchPeerBenchmark.bestPeer(result(), ThroughputMeter.Rates::inferImgPerS).orElseThrow().getKey());
    }

    @Test
    void withoutPeersThereIsNoBestPeer() {
        var alone = new PyTorchPeerBenchmark.ModelResult("resnet20", 0.08,
                Map.of(PyTorchPeerBenchmark.OURS, new ThroughputMeter.Rates(500, 3000)));
        assertTrue(PyTorchPeerBenchmark.bestPeer(alone, ThroughputMeter.Rates::inferImgPerS).isEmpty());
    }

    @Test
    void medianIgnoresMissingFigures() {
        assertEquals(2.0, PyTorchPeerBenchmark.median(new double[]{3, Double.NaN, 1, 2}));
        assertTrue(Double.isNaN(PyTorchPeerBenchmark.median(new double[]{Double.NaN})));
    }
}
