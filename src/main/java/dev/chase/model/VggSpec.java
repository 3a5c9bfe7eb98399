package dev.chase.model;

import dev.chase.ChaseException;
import dev.chase.graph.ChannelGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A CIFAR-style VGG: stages of 3x3 convs (padding 1, with bias), each followed by BatchNorm and
 * ReLU, a 2x2 max-pool after every stage but the last, then global average pooling and one linear
 * classifier (with bias). Layers are named like the reference PyTorch {@code nn.Sequential}:
 * the conv at index k is {@code features.k}, its BatchNorm {@code features.(k+1)}, and the head
 * {@code classifier}. Each conv's output is one channel group named after it; all are {@link
 * ChannelGroup.Kind#INTERNAL} except the last conv's, which feeds the classifier and is {@link
 * ChannelGroup.Kind#FIXED}.
 *
 * @param inChannels input image channels
 * @param numClasses number of logits
 * @param inputSize nominal input side (32)
 * @param init weight initialisation scheme
 * @param stages conv widths per stage
 */
public record VggSpec(int inChannels, int numClasses, int inputSize, WeightInit init, List<List<Integer>> stages)
        implements LayerListSpec {

    public VggSpec {
        SpecChecks.common(inChannels, numClasses, inputSize, init);
        SpecChecks.present("stages", stages);
        if (stages.isEmpty()) {
            throw new ChaseException("a VGG needs at least one stage");
        }
        List<List<Integer>> copy = new ArrayList<>();
        for (int s = 0; s < stages.size(); s++) {
            List<Integer> stage = SpecChecks.widths("VGG stage " + (s + 1), stages.get(s));
            if (stage.isEmpty()) {
                throw new ChaseException("VGG stage " + (s + 1) + " has no convs");
            }
            copy.add(stage);
        }
        stages = List.copyOf(copy);
        // each stage but the last ends in a 2x2 max-pool, which needs at least one pixel to pool
        if (stages.size() - 1 >= 31 || inputSize >> (stages.size() - 1) < 1) {
            throw new ChaseException("a VGG with " + stages.size() + " stages halves its input " + (stages.size() - 1)
                    + " times; an input size of " + inputSize + " is too small");
        }
    }

    /** The reference {@code nn.Sequential} index of every conv, in forward order. */
    List<Integer> convIndices() {
        List<Integer> indices = new ArrayList<>();
        int idx = 0;
        for (int s = 0; s < stages.size(); s++) {
            for (int ignored : stages.get(s)) {
                indices.add(idx);
                idx += 3; // conv, BatchNorm, ReLU
            }
            if (s < stages.size() - 1) {
                idx++; // max-pool
            }
        }
        return indices;
    }

    static String featureName(int index) {
        return "features." + index;
    }

    @Override
    public List<Layer> layers() {
        List<Layer> layers = new ArrayList<>();
        List<Integer> indices = convIndices();
        int conv = 0;
        int in = inChannels;
        for (int s = 0; s < stages.size(); s++) {
            for (int width : stages.get(s)) {
                int idx = indices.get(conv++);
                layers.add(new Layer.Conv(featureName(idx), in, width, 3, 1, 1, true));
                layers.add(new Layer.Norm(featureName(idx + 1)));
                layers.add(new Layer.Relu());
                in = width;
            }
            if (s < stages.size() - 1) {
                layers.add(new Layer.MaxPool(2, 2, 0));
            }
        }
        layers.add(new Layer.GlobalAvgPool());
        layers.add(new Layer.Linear("classifier", in, numClasses, true));
        return layers;
    }

    @Override
    public List<ChannelGroup> channelGroups() {
        return SpecGraphs.groups(this);
    }

    @Override
    public VggSpec withGroupWidths(Map<String, Integer> widths) {
        SpecChecks.groupWidths(widths, channelGroups());
        List<Integer> indices = convIndices();
        List<List<Integer>> newStages = new ArrayList<>();
        int conv = 0;
        for (List<Integer> stage : stages) {
            List<Integer> newStage = new ArrayList<>();
            for (int width : stage) {
                newStage.add(widths.getOrDefault(featureName(indices.get(conv++)), width));
            }
            newStages.add(newStage);
        }
        return new VggSpec(inChannels, numClasses, inputSize, init, newStages);
    }
}
