package dev.chase.method;

import dev.chase.channel.ChannelController;
import dev.chase.config.DstMethod;
import dev.chase.config.MethodConfig;
import dev.chase.sparse.DstUpdater;
import java.util.EnumMap;
import java.util.Map;

/** The sparse methods by name; dense training has no sparse parts and no entry. */
public final class MethodRegistry {
    private static final Map<DstMethod, SparseMethod<?>> METHODS = new EnumMap<>(Map.of(
            DstMethod.STATIC, new StaticMask(),
            DstMethod.SET, new PruneRegrow(),
            DstMethod.RIGL, new PruneRegrow(),
            DstMethod.MEST, new Mest(),
            DstMethod.CHASE, new Chase()));

    private MethodRegistry() {}

    /** The mask updater of a resolved sparse method config. */
    public static DstUpdater updater(MethodConfig config, TrainingPlan plan) {
        return updater(of(config), config, plan);
    }

    /** The channel controller of a resolved config of a method that removes channels, else null. */
    public static ChannelController channels(MethodConfig config, TrainingPlan plan, ChannelContext context) {
        return channels(of(config), config, plan, context);
    }

    private static SparseMethod<?> of(MethodConfig config) {
        SparseMethod<?> method = METHODS.get(config.dstMethod());
        if (method == null) {
            throw new IllegalArgumentException(config.dstMethod() + " training has no sparse parts");
        }
        return method;
    }

    private static <C extends MethodConfig> DstUpdater updater(SparseMethod<C> method, MethodConfig config, TrainingPlan plan) {
        return method.updater(method.configType().cast(config), plan);
    }

    private static <C extends MethodConfig> ChannelController channels(SparseMethod<C> method, MethodConfig config,
            TrainingPlan plan, ChannelContext context) {
        return method.channels(method.configType().cast(config), plan, context);
    }
}
