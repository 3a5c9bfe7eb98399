package dev.chase.config;

import dev.chase.Require;


/**
 * Everything that determines the result of a training run, typed: what to train, on what, how, and
 * with which method. It maps exactly to and from the flat {@link TrainConfig} ({@link #from},
 * {@link #toTrainConfig}) that {@code config.json}, recipes and the command line use. Build one
 * with {@link #builder()}:
 *
 * <pre>{@code
 * RunConfig c = RunConfig.builder().model(Model.RESNET20, 0.5).data(Dataset.SYNTHETIC).epochs(5)
 *         .method(Methods.chase(Channels.sparsity(0.5)).density(0.05)).build();
 * }</pre>
 *
 * @param model the network
 * @param data the dataset
 * @param optimisation optimiser, schedule and seed
 * @param method the training method and its options
 */
public record RunConfig(ModelConfig model, DataConfig data, Optimisation optimisation, MethodConfig method) {

    public RunConfig {
        Require.that(model != null, "model must be given");
        Require.that(data != null, "dataset must be given");
        Require.that(optimisation != null, "optimisation must be given");
        Require.that(method != null, "method must be given");
        int epochs = optimisation.epochs();
        if (method instanceof SoftBound s) {
            Integer end = s.softBoundEnd();
            Require.that(end == null || (end >= 1 && end <= epochs),
                    "soft-bound end must be an epoch in [1, " + epochs + "] (the soft bound cannot end after the last epoch), got " + end);
            Integer channelEnd = s.channels() == null ? null : s.channels().end();
            Require.that(channelEnd == null || (channelEnd >= 1 && channelEnd <= epochs),
                    "channel end must be an epoch in [1, " + epochs + "], got " + channelEnd);
        }
    }

    /** A builder starting from {@link TrainConfig#defaults()}: ResNet-20, CIFAR-10, the reference CIFAR recipe, dense. */
    public static Builder builder() {
        return from(TrainConfig.defaults()).toBuilder();
    }

    /** A builder starting from this config. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The method as the flat configuration names it. */
    public DstMethod dstMethod() {
        return method.dstMethod();
    }

    /** This config with every option of its method set to its default, as {@link TrainConfig#resolved()}. */
    public RunConfig resolved() {
        return from(toTrainConfig().resolved());
    }

    /**
     * The typed form of a flat config. Exact, except that the model and learning-rate schedule
     * names, which the flat form accepts in any case, come back in their canonical spelling. A flat
     * config's constructor calls this, so every rule of the typed parts holds for a flat config too.
     */
    public static RunConfig from(TrainConfig c) {
        ModelConfig model = ModelConfig.parse(c.model(), c.width(), c.initFromOnnx());
        DataConfig data = new DataConfig(Dataset.parse(c.dataset()), c.dataDir(), c.download());
        Optimisation opt = new Optimisation(c.epochs(), c.batchSize(), c.evalBatchSize(), c.lr(), c.momentum(), c.weightDecay(),
                Optimisation.Schedule.parse(c.lrSchedule()), c.warmupEpochs(), c.labelSmoothing(), c.seed());
        return new RunConfig(model, data, opt, method(c));
    }

    private static MethodConfig method(TrainConfig c) {
        DstMethod m = c.dstMethod();
        if (m == DstMethod.DENSE) {
            return new Dense();
        }
        Sparsity sparsity = new Sparsity(c.density(),
                c.distribution() == null ? null : Sparsity.Distribution.parse(c.distribution()),
                c.maskInit() == null ? null : Sparsity.MaskInit.parse(c.maskInit()));
        return switch (m) {
            case STATIC -> new Static(sparsity);
            case SET, RIGL -> new PruneAndRegrow(sparsity, m == DstMethod.SET ? PruneAndRegrow.Growth.SET : PruneAndRegrow.Growth.RIGL,
                    c.updateInterval(), c.updateFraction(), c.updateEnd(), c.scope() == null ? null : PruneAndRegrow.Scope.parse(c.scope()));
            case MEST, CHASE -> new SoftBound(sparsity, c.updateInterval(), c.deathRate(), c.softBoundEnd(), c.finalPhase(),
                    m == DstMethod.CHASE ? channels(c) : null);
            case DENSE -> throw new IllegalStateException();
        };
    }

    private static Channels channels(TrainConfig c) {
        Channels.Budget budget = null;
        if (c.channelSparsity() != null) {
            budget = new Channels.ChannelCount(c.channelSparsity());
        } else if (c.targetFlops() != null) {
            budget = new Channels.Flops(c.targetFlops());
        } else if (c.targetLatency() != null) {
            budget = new Channels.Latency(c.targetLatency(), c.latencyTable());
        }
        return new Channels(budget, c.minRatio(), c.channelInterval(), c.channelEnd(),
                c.channelScore() == null ? null : Channels.Score.parse(c.channelScore()),
                c.channelSchedule() == null ? null : Channels.Schedule.parse(c.channelSchedule()),
                c.pruneSkip(), c.roundTo(), c.shrinkDuringTraining());
    }

    /** The flat form, as {@code config.json} stores it. */
    public TrainConfig toTrainConfig() {
        Optimisation o = optimisation;
        Sparsity sp = null;
        Integer updateInterval = null;
        Double updateFraction = null;
        Double updateEnd = null;
        String scope = null;
        Double deathRate = null;
        Integer softBoundEnd = null;
        Boolean finalPhase = null;
        Channels ch = null;
        if (method instanceof Static s) {
            sp = s.sparsity();
        } else if (method instanceof PruneAndRegrow p) {
            sp = p.sparsity();
            updateInterval = p.updateInterval();
            updateFraction = p.updateFraction();
            updateEnd = p.updateEnd();
            scope = p.scope() == null ? null : p.scope().key();
        } else if (method instanceof SoftBound s) {
            sp = s.sparsity();
            updateInterval = s.updateInterval();
            deathRate = s.deathRate();
            softBoundEnd = s.softBoundEnd();
            finalPhase = s.finalPhase();
            ch = s.channels();
        }
        Channels.Budget b = ch == null ? null : ch.budget();
        return new TrainConfig(model.key(), model.width(), model.initFromOnnx() ? Boolean.TRUE : null, data.dataset().key(),
                data.dataDir(), data.download(),
                o.epochs(), o.batchSize(), o.evalBatchSize(), o.lr(), o.momentum(), o.weightDecay(), o.schedule().key(),
                o.warmupEpochs(), o.labelSmoothing(), method.dstMethod().name().toLowerCase(java.util.Locale.ROOT), o.seed(),
                sp == null ? null : sp.density(),
                sp == null || sp.distribution() == null ? null : sp.distribution().key(),
                sp == null || sp.maskInit() == null ? null : sp.maskInit().key(),
                updateInterval, updateFraction, updateEnd, scope, deathRate, softBoundEnd, finalPhase,
                b instanceof Channels.ChannelCount n ? Double.valueOf(n.sparsity()) : null,
                ch == null ? null : ch.minRatio(),
                ch == null ? null : ch.interval(),
                ch == null ? null : ch.end(),
                ch == null || ch.score() == null ? null : ch.score().key(),
                ch == null || ch.schedule() == null ? null : ch.schedule().key(),
                ch == null ? null : ch.pruneSkip(),
                ch == null ? null : ch.roundTo(),
                ch == null ? null : ch.shrinkDuringTraining(),
                b instanceof Channels.Flops f ? Double.valueOf(f.target()) : null,
                b instanceof Channels.Latency l ? Double.valueOf(l.target()) : null,
                b instanceof Channels.Latency l ? l.table() : null);
    }

    /** Builds a {@link RunConfig}; every part is checked once, by {@link #build()}. */
    public static final class Builder {
        private Model model;
        private double width;
        private Dataset dataset;
        private String dataDir;
        private boolean download;
        private int epochs;
        private int batchSize;
        private int evalBatchSize;
        private double lr;
        private double momentum;
        private double weightDecay;
        private Optimisation.Schedule schedule;
        private double warmupEpochs;
        private double labelSmoothing;
        private long seed;
        private MethodConfig method;

        private Builder(RunConfig c) {
            model = c.model.name();
            width = c.model.width();
            dataset = c.data.dataset();
            dataDir = c.data.dataDir();
            download = c.data.download();
            Optimisation o = c.optimisation;
            epochs = o.epochs();
            batchSize = o.batchSize();
            evalBatchSize = o.evalBatchSize();
            lr = o.lr();
            momentum = o.momentum();
            weightDecay = o.weightDecay();
            schedule = o.schedule();
            warmupEpochs = o.warmupEpochs();
            labelSmoothing = o.labelSmoothing();
            seed = o.seed();
            method = c.method;
        }

        /** The architecture, at the current width. */
        public Builder model(Model m) {
            model = m;
            return this;
        }

        /** The architecture and its width multiplier. */
        public Builder model(Model m, double widthMultiplier) {
            model = m;
            width = widthMultiplier;
            return this;
        }

        /** The width multiplier, in (0, 4]. */
        public Builder width(double w) {
            width = w;
            return this;
        }

        /** The dataset, in its default place. */
        public Builder data(Dataset d) {
            return data(d, null);
        }

        /** The dataset and the folder of its files (null: the default place). */
        public Builder data(Dataset d, String dir) {
            dataset = d;
            dataDir = dir;
            return this;
        }

        /** Whether a missing downloadable dataset may be fetched. */
        public Builder download(boolean on) {
            download = on;
            return this;
        }

        /** Training epochs. */
        public Builder epochs(int n) {
            epochs = n;
            return this;
        }

        /** Training minibatch size. */
        public Builder batchSize(int n) {
            batchSize = n;
            return this;
        }

        /** Evaluation minibatch size. */
        public Builder evalBatchSize(int n) {
            evalBatchSize = n;
            return this;
        }

        /** Base learning rate. */
        public Builder lr(double x) {
            lr = x;
            return this;
        }

        /** SGD momentum. */
        public Builder momentum(double x) {
            momentum = x;
            return this;
        }

        /** L2 weight decay. */
        public Builder weightDecay(double x) {
            weightDecay = x;
            return this;
        }

        /** The learning-rate schedule. */
        public Builder schedule(Optimisation.Schedule s) {
            schedule = s;
            return this;
        }

        /** The cosine schedule with this many linear warm-up epochs. */
        public Builder cosine(double warmup) {
            schedule = Optimisation.Schedule.COSINE;
            warmupEpochs = warmup;
            return this;
        }

        /** Label smoothing of the loss. */
        public Builder labelSmoothing(double x) {
            labelSmoothing = x;
            return this;
        }

        /** The seed of initialisation, masks, data order and augmentation. */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** The training method, e.g. {@code Methods.rigl().density(0.05)}. */
        public Builder method(MethodConfig m) {
            method = m;
            return this;
        }

        /**
         * The config.
         *
         * @throws dev.chase.ChaseException naming the first invalid setting, as the command line does
         */
        public RunConfig build() {
            return new RunConfig(new ModelConfig(model, width), new DataConfig(dataset, dataDir, download),
                    new Optimisation(epochs, batchSize, evalBatchSize, lr, momentum, weightDecay, schedule, warmupEpochs,
                            labelSmoothing, seed),
                    method);
        }
    }
}
