package org.redtest.measure;

import org.junit.jupiter.api.Test;
import org.redtest.storage.MeasurementTable.DepthPoint;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpectedMsrsFitTest {
    private static DepthPoint p(String family, int depth, double msrs) {
        return new DepthPoint(family, "cifar10", family + depth, depth, 0.8, msrs, 0);
    }

    @Test
    void recoversAnExactQuadraticAndGroupsByFamily() {
        // MSRS = 1 + 0.5 d + 0.02 d^2
        List<DepthPoint> points = List.of(p("resnet", 20, 19), p("resnet", 32, 37.48), p("resnet", 56, 91.72),
                p("resnet", 110, 298), p("vgg", 11, 3), p("vgg", 19, 7));
        List<ExpectedMsrsFit.Group> groups = ExpectedMsrsFit.fit(points);
        assertEquals(2, groups.size());
        ExpectedMsrsFit.Group resnet = groups.get(0);
        assertEquals(1.0, resnet.quadratic()[0], 1e-6);
        assertEquals(0.5, resnet.quadratic()[1], 1e-8);
        assertEquals(0.02, resnet.quadratic()[2], 1e-10);
        assertEquals(1.0, resnet.quadraticR2(), 1e-12);
        assertTrue(resnet.linearR2() < 1.0 && resnet.linearR2() > 0.9);
        ExpectedMsrsFit.Group vgg = groups.get(1);
        assertEquals(0.5, vgg.linear()[1], 1e-9);
        assertNull(vgg.quadratic(), "two depths cannot fit a quadratic");
    }
}
