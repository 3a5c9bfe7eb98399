package dev.chase.run;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * What the physical shrink at the end of a Chase run produced ({@code shrink.json}): the widths
 * of the prunable groups before and after, the maskable weight counts of the original and the
 * slim architecture, the test accuracy of the masked network, of the slim one before BatchNorm
 * recalibration (equal up to float rounding) and after it, and the largest difference between
 * their logits on the first test batch (null when the run shrank while training, so that nothing
 * was left to slice, and in runs of an older chase).
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
public record ShrinkReport(Map<String, Integer> widthsBefore, Map<String, Integer> widthsAfter, long denseWeights,
        long slimWeights, long nonZeros, double maskedTestAccuracy, double slimTestAccuracy, double recalibratedTestAccuracy,
        Double maxLogitDifference, String slimModelDir) {}
