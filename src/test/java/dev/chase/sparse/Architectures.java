package dev.chase.sparse;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Masked tensor shapes of the paper's CIFAR architectures, built by hand (algorithm §11). */
final class Architectures {
    private Architectures() {}

    /** VGG-19 (BN) for CIFAR: 16 3x3 convs (features.k) and the classifier (C, 512). */
    static Map<String, Shape> vgg19(int classes) {
        int[] cfg = {64, 64, -1, 128, 128, -1, 256, 256, 256, 256, -1, 512, 512, 512, 512, -1, 512, 512, 512, 512};
        Map<String, Shape> shapes = new LinkedHashMap<>();
        int in = 3;
        int index = 0;
        for (int c : cfg) {
            if (c < 0) {
                index += 1;
                continue;
            }
            shapes.put("features." + index, new Shape(c, in, 3, 3));
            index += 3;
            in = c;
        }
        shapes.put("classifier", new Shape(classes, 512));
        return shapes;
    }

    /** ResNet-50 for CIFAR: stem, bottlenecks [3, 4, 6, 3] with projection shortcuts, classifier (C, 2048). */
    static Map<String, Shape> resnet50(int classes) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put("conv1", new Shape(64, 3, 3, 3));
        int[] blocks = {3, 4, 6, 3};
        int[] planes = {64, 128, 256, 512};
        int in = 64;
        for (int s = 0; s < 4; s++) {
            int p = planes[s];
            for (int b = 0; b < blocks[s]; b++) {
                String prefix = "layer" + (s + 1) + "." + b + ".";
                shapes.put(prefix + "conv1", new Shape(p, in, 1, 1));
                shapes.put(prefix + "conv2", new Shape(p, p, 3, 3));
                shapes.put(prefix + "conv3", new Shape(4L * p, p, 1, 1));
                if (b == 0) {
                    shapes.put(prefix + "shortcut.0", new Shape(4L * p, in, 1, 1));
                }
                in = 4 * p;
            }
        }
        shapes.put("linear", new Shape(classes, 2048));
        return shapes;
    }

    static List<Shape> shapes(Map<String, Shape> named) {
        return new ArrayList<>(named.values());
    }

    static int indexOf(Map<String, Shape> named, String name) {
        return new ArrayList<>(named.keySet()).indexOf(name);
    }
}
