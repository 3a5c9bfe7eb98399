package dev.chase.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.chase.ChaseException;
import dev.chase.FaultPoint;
import dev.chase.config.DstMethod;
import dev.chase.config.Optimisation;
import dev.chase.config.RunConfig;
import dev.chase.config.TrainConfig;
import dev.chase.data.BatchLoader;
import dev.chase.data.DataBundle;
import dev.chase.data.ImageShape;
import dev.chase.data.DataFingerprint;
import dev.chase.graph.GraphFiles;
import dev.chase.io.Shell;
import dev.chase.metrics.LatencyModel;
import dev.chase.metrics.LatencyTable;
import dev.chase.model.NetSpec;
import dev.chase.model.NetSpecs;
import dev.chase.model.Network;
import dev.chase.model.OnnxInit;
import dev.chase.model.SavedModel;
import dev.chase.run.ChannelTable;
import dev.chase.run.Checkpoint;
import dev.chase.run.EpochMetrics;
import dev.chase.run.LatencyTableFiles;
import dev.chase.run.RunDirectory;
import dev.chase.run.RunFingerprints;
import dev.chase.run.ShrinkReport;
import dev.chase.run.TrainingState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One training run in its run directory: builds the network from the config, trains epoch by
 * epoch with {@link Sgd}, evaluates on the test split after every epoch, appends to
 * {@code metrics.jsonl}, checkpoints every epoch, and saves the final model. A run created with
 * {@link #create} and one continued with {@link #resume} from a checkpoint produce the same
 * weights and metrics as an uninterrupted run: data order and augmentation are pure functions of
 * (seed, epoch, position), the learning rate a function of the step, random mask decisions
 * functions of (seed, step), and the checkpoint holds parameters, momentum and masks.
 *
 * <p>A Chase run that shrinks while training swaps its network for the physically narrower one
 * right after every channel event that removed channels ({@link SparseTraining#narrow}); its
 * checkpoints record the narrower architecture, so a resume rebuilds it.
 */
public final class TrainingRun implements AutoCloseable {

    private final RunDirectory dir;
    private final TrainConfig config;
    private final NDManager manager;
    /** The architecture the config asks for; the trained network is narrower once it has been shrunk. */
    private final Network original;
    private NDManager networkManager;
    private Network network;
    private final Sgd sgd;
    private final CrossEntropy loss;
    private final StepHook hook;
    private TrainStep trainStep;
    private SparseTraining sparse;
    private final BatchLoader trainLoader;
    private final BatchLoader testLoader;
    private final LrSchedule schedule;
    private final List<EpochMetrics> history = new ArrayList<>();
    /** What starting from an ONNX file's weights adapted rather than copied ({@link OnnxInit#load}); empty otherwise. */
    private final List<String> initNotes;
    private int epoch;
    private long step;
    private volatile boolean stopRequested;
    private double bestTestAccuracy;
    private ShrinkReport shrinkReport;

    /**
     * @param configured the configured architecture (before any channel was removed)
     * @param spec the architecture to build: the configured one, or on resume the checkpoint's
     * @param fresh draw new masks (a new run); otherwise {@link #resume} restores them
     * @param latency the latency model of a {@code --target-latency} run, else null
     */
    private TrainingRun(RunDirectory dir, TrainConfig config, DataBundle data, NetSpec configured, NetSpec spec, boolean fresh,
            LatencyModel latency) {
        this.dir = dir;
        this.config = config;
        this.manager = NDManager.newBaseManager();
        try {
            Engine.getInstance().setRandomSeed((int) config.seed());
            this.original = Network.build(configured);
            this.networkManager = manager.newSubManager();
            this.network = spec.equals(original.spec()) ? original : Network.build(spec);
            network.initialize(networkManager);
            this.initNotes = fresh && Boolean.TRUE.equals(config.initFromOnnx())
                    ? List.copyOf(OnnxInit.load(network, GraphFiles.path(config.model()))) : List.of();
            this.sgd = new Sgd(manager, config.momentum(), config.weightDecay());
            this.trainLoader = new BatchLoader(data.train(), data.trainTransform(), config.batchSize(), true, false, config.seed());
            this.testLoader = new BatchLoader(data.test(), data.evalTransform(), config.evalBatchSize(), false, false, config.seed());
            this.schedule = new LrSchedule(Optimisation.Schedule.parse(config.lrSchedule()), config.lr(), config.warmupEpochs(), config.epochs(),
                    trainLoader.numBatches());
            if (fresh && config.dstMethod().sparse()) {
                this.sparse = SparseTraining.start(manager, network, sgd, RunConfig.from(config).resolved(), trainLoader.numBatches(),
                        latency);
            }
            this.loss = new CrossEntropy(config.labelSmoothing());
            this.hook = new StepHook() {
                @Override
                public void beforeUpdate(long t) {
                    if (sparse != null) {
                        sparse.beforeUpdate(t);
                    }
                }

                @Override
                public void afterUpdate(long t) {
                    if (sparse != null) {
                        sparse.afterUpdate(t);
                    }
                }
            };
            this.trainStep = new TrainStep(network.block(), sgd, loss, hook);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Starts a new run of a typed configuration, e.g. {@code RunConfig.builder().model(Model.RESNET20,
     * 0.5).data(Dataset.SYNTHETIC).method(Methods.rigl().density(0.1)).build()}; as {@link
     * #create(java.nio.file.Path, TrainConfig, DataBundle)}, whose flat form {@code config.json} holds.
     */
    public static TrainingRun create(java.nio.file.Path runDir, RunConfig config, DataBundle data) {
        return create(runDir, config.toTrainConfig(), data);
    }

    /**
     * Starts a new run in {@code runDir} (created if needed; refused if it already holds a run). A
     * {@code --target-latency} run reads its latency table ({@link LatencyTableFiles#file}; measure it
     * first with {@code LatencyProfiler.obtain} or {@code chase profile-latency}) and keeps a copy.
     */
    public static TrainingRun create(java.nio.file.Path runDir, TrainConfig requested, DataBundle data) {
        TrainConfig config = requested.resolved();
        NetSpec spec = newRunSpec(config, data);
        LatencyTable table = config.targetLatency() == null ? null
                : LatencyTableFiles.read(LatencyTableFiles.file(config, spec), LatencyTableFiles.key(config, spec));
        LatencyModel latency = table == null ? null : new LatencyModel(table, spec);
        RunDirectory dir = RunDirectory.create(runDir);
        TrainingRun run;
        try {
            run = new TrainingRun(dir, config, data, spec, spec, true, latency);
        } catch (RuntimeException e) {
            dir.discardIfEmpty();
            throw e;
        }
        if (table != null) {
            LatencyTableFiles.write(dir.root().resolve(LatencyTableFiles.RUN_FILE), table);
        }
        if (GraphFiles.isFile(config.model())) {
            dir.writeArchitecture(spec);
        }
        dir.writeConfig(config);
        dir.writeFingerprints(DataFingerprint.of(data), initWeightsSha256(config));
        dir.writeMetrics(List.of());
        return run;
    }

    /**
     * Continues the run in {@code runDir} from its latest checkpoint, or from step 0 if it was
     * stopped before its first one.
     *
     * @param data the dataset named by the run's saved config
     */
    public static TrainingRun resume(java.nio.file.Path runDir, DataBundle data) {
        return resume(runDir, data, ResumeFrom.LATEST);
    }

    /**
     * Where to continue a run from.
     *
     * @param epoch the epoch whose checkpoint to load (newer ones are discarded), or null for the latest
     * @param movedDataDir the folder the run's dataset was moved to (its fingerprint must match), or null
     */
    public record ResumeFrom(Integer epoch, String movedDataDir) {
        public static final ResumeFrom LATEST = new ResumeFrom(null, null);
    }

    /**
     * Continues the run in {@code runDir} as {@code from} says. Refuses a {@code config.json} edited
     * since the run started and a dataset whose fingerprint differs from the recorded one.
     *
     * @param data the run's dataset, opened from its saved config or from {@code from.movedDataDir()}
     */
    public static TrainingRun resume(java.nio.file.Path runDir, DataBundle data, ResumeFrom from) {
        RunDirectory dir = RunDirectory.open(runDir);
        dir.checkConfigUnchanged();
        TrainConfig config = dir.readConfig();
        DataFingerprint fingerprint = DataFingerprint.of(data);
        var recorded = dir.readFingerprints();
        String where = from.movedDataDir() != null ? from.movedDataDir()
                : config.dataDir() != null ? config.dataDir() : "the default place of " + config.dataset();
        if (recorded.isPresent() && !recorded.get().data().equals(fingerprint)) {
            throw new ChaseException("the " + config.dataset() + " data in " + where + " is not what run " + runDir
                    + " was trained on: it has " + fingerprint.differenceTo(recorded.get().data())
                    + "; put the original data back (or give its new place with --data-dir)");
        }
        if (from.movedDataDir() != null) {
            if (recorded.isEmpty()) {
                throw new ChaseException("run " + runDir + " recorded no data fingerprint (an older chase made it), so data moved to "
                        + where + " cannot be checked; --data-dir cannot accompany --resume for this run");
            }
            config = config.with("data-dir", from.movedDataDir());
        }
        dir.removeLeftovers();
        TrainConfig resumed = config;
        NetSpec configured = dir.readArchitecture().orElseGet(() -> specFor(resumed, data));
        NetSpec spec = configured;
        LatencyModel latency = config.targetLatency() == null ? null
                : new LatencyModel(LatencyTableFiles.read(dir.root().resolve(LatencyTableFiles.RUN_FILE)), spec);
        var found = from.epoch() != null ? Optional.of(dir.checkpoint(from.epoch())) : dir.latestCheckpoint();
        if (found.isEmpty()) {
            // stopped before its first checkpoint: start again from step 0, as configured
            recorded.flatMap(r -> dir.initWeightsChange(resumed, r)).ifPresent(why -> {
                throw new ChaseException(why);
            });
            TrainingRun fresh = new TrainingRun(dir, config, data, configured, spec, true, latency);
            dir.writeMetrics(List.of());
            fresh.recordStart(fingerprint, from, recorded);
            return fresh;
        }
        var latest = found.get();
        if (Boolean.TRUE.equals(config.shrinkDuringTraining())) {
            // The network may have been narrowed. It is built before anything else is read, so it must be a narrowing of
            // the configured one (a forged header cannot make us allocate more); the alive vectors are checked later.
            NetSpec saved = Checkpoint.readHeader(latest).netSpec();
            if (saved != null && !spec.narrowsTo(saved)) {
                throw new ChaseException("checkpoint " + latest + " holds a network that is not the run's " + config.model()
                        + " with fewer channels; the checkpoint does not belong to this run");
            }
            spec = saved != null ? saved : spec;
        }
        TrainingRun run = new TrainingRun(dir, config, data, configured, spec, false, latency);
        try {
            Checkpoint.Loaded loaded = Checkpoint.read(latest, run.network.block(), run.manager);
            run.checkHeader(loaded.header(), latest);
            Map<String, ai.djl.ndarray.types.Shape> shapes = new LinkedHashMap<>();
            run.network.block().getParameters().forEach(p -> shapes.put(p.getKey(), p.getValue().getArray().getShape()));
            TrainingState state = TrainingState.fromTensors(loaded.tensors());
            state.momentum().forEach((key, t) -> {
                if (!t.getShape().equals(shapes.get(key)) || t.getDataType() != ai.djl.ndarray.types.DataType.FLOAT32) {
                    throw new ChaseException("checkpoint " + latest + " does not match this model: momentum " + key
                            + " is " + t.getDataType() + " " + t.getShape() + (shapes.containsKey(key)
                                    ? ", the parameter float32 " + shapes.get(key) : ", but the model has no such parameter"));
                }
            });
            run.sgd.restore(state.momentum());
            if (config.dstMethod().sparse()) {
                run.sparse = SparseTraining.restore(run.manager, run.original, run.network, run.sgd, RunConfig.from(config).resolved(),
                        run.trainLoader.numBatches(), state.sparse(), latency);
            }
            loaded.tensors().values().forEach(NDArray::close);
            run.epoch = loaded.header().epoch();
            run.step = loaded.header().step();
            run.bestTestAccuracy = loaded.header().bestTestAccuracy();
            List<EpochMetrics> logged = dir.readMetrics();
            dir.metricsGap(logged, run.epoch).ifPresent(gap -> {
                throw new ChaseException(gap);
            });
            run.history.addAll(logged.stream().filter(m -> m.epoch() <= run.epoch).toList());
            if (from.epoch() != null) {
                dir.writeMetrics(run.history);
                dir.publishCheckpoint(from.epoch());
            }
            run.recordStart(fingerprint, from, recorded);
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
        return run;
    }

    /**
     * After a successful resume: the moved data's folder goes into config.json, and the fingerprints are (re)recorded,
     * keeping the checksum of the initial weights' file from those {@code recorded} when the run started.
     */
    private void recordStart(DataFingerprint fingerprint, ResumeFrom from, Optional<RunFingerprints> recorded) {
        if (from.movedDataDir() != null) {
            dir.writeConfig(config);
        }
        if (from.movedDataDir() != null || recorded.isEmpty()) {
            dir.writeFingerprints(fingerprint, recorded.map(RunFingerprints::initWeightsSha256).orElse(null));
        }
    }

    /** The checksum of the file a run's initial weights come from ({@code --init-from-onnx}), or null when they are drawn. */
    private static String initWeightsSha256(TrainConfig config) {
        return Boolean.TRUE.equals(config.initFromOnnx()) ? RunFingerprints.sha256(GraphFiles.path(config.model())) : null;
    }

    /** Refuses a checkpoint whose counters do not fit this run's config (epochs, steps per epoch). */
    private void checkHeader(Checkpoint.Header h, java.nio.file.Path file) {
        long expectedStep = (long) h.epoch() * trainLoader.numBatches();
        if (h.epoch() < 1 || h.epoch() > config.epochs() || h.step() != expectedStep
                || !(h.bestTestAccuracy() >= 0 && h.bestTestAccuracy() <= 1)) {
            throw new ChaseException("checkpoint " + file + " does not fit this run: it claims epoch " + h.epoch() + " of "
                    + config.epochs() + " at step " + h.step() + " (expected step " + expectedStep + ") with best accuracy "
                    + h.bestTestAccuracy());
        }
    }

    /**
     * The architecture a new run of a config trains on a dataset (validates model name and width):
     * a built-in one, or a graph or ONNX file's with its input channels, image size and classes set
     * to the data's.
     *
     * @throws ChaseException if a built-in architecture is built for another image size than the data's
     */
    public static NetSpec newRunSpec(TrainConfig config, DataBundle data) {
        NetSpec spec = specFor(config, data);
        ImageShape image = data.inputShape();
        if (image.height() != spec.inputSize() || image.width() != spec.inputSize()) {
            throw new ChaseException(config.model() + " is built for " + spec.inputSize() + "x" + spec.inputSize() + " images; "
                    + config.dataset() + " gives " + image.height() + "x" + image.width() + " (choose a model built for that size)");
        }
        return spec;
    }

    /**
     * The architecture a config asks for on a dataset, as a run that predates the image-size check
     * was trained (so such a run still resumes); new runs take {@link #newRunSpec}.
     */
    static NetSpec specFor(TrainConfig config, DataBundle data) {
        if (GraphFiles.isFile(config.model())) {
            return NetSpecs.fromFile(config.model(), data.inputShape().channels(), data.numClasses(), data.inputShape().height());
        }
        return NetSpecs.named(config.model(), data.inputShape().channels(), data.numClasses(), config.width());
    }

    public TrainConfig config() {
        return config;
    }

    /** What starting from an ONNX file's weights ({@code init-from-onnx}) adapted rather than copied, one line each. */
    public List<String> initNotes() {
        return initNotes;
    }

    public Network network() {
        return network;
    }

    public RunDirectory directory() {
        return dir;
    }

    /** Completed epochs. */
    public int epoch() {
        return epoch;
    }

    /** Metrics of all completed epochs. */
    public List<EpochMetrics> history() {
        return List.copyOf(history);
    }

    /** Momentum buffers by parameter name (for tests and checkpoints). */
    public Map<String, NDArray> momentum() {
        return sgd.buffers();
    }

    /**
     * Asks {@link #train} (running in another thread) to stop at the next step boundary, abandoning
     * the steps of the current epoch since its last checkpoint; once training is over, the final
     * model and the shrink are written in full. For an interrupt (SIGINT, SIGTERM).
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** The number of steps of an unfinished epoch that a stop abandoned (0 if none). */
    public long abandonedSteps() {
        return step - (long) epoch * trainLoader.numBatches();
    }

    /**
     * Trains until {@code untilEpoch} epochs are complete (capped at the configured number), then
     * saves the final model if training is finished.
     *
     * @return true if the run has completed all its epochs
     */
    public boolean train(int untilEpoch, TrainListener listener) {
        int stop = Math.min(untilEpoch, config.epochs());
        while (epoch < stop && !stopRequested) {
            trainEpoch(listener);
        }
        boolean done = epoch >= config.epochs();
        if (done) {
            // model/ is what marks a run finished, so it comes last: a process killed before it leaves an unfinished
            // run that --resume completes, never a "finished" one without its channel table or shrink
            if (sparse != null) {
                dir.writeChannels(ChannelTable.of(epoch, config.method(), sparse.measureConvs()));
            }
            if (sparse != null && sparse.channels() != null) {
                shrinkReport = shrink();
            }
            FaultPoint.reach("final-model");
            saveFinalModel();
        }
        return done;
    }

    /**
     * Saves the final network in {@code model/}, always in the configured architecture: a run that
     * shrank while training puts its removed channels back as silent zeros, so {@code model/} means
     * the same in both modes (what eval, bench, flops and export read).
     */
    private void saveFinalModel() {
        if (network == original || network.spec().equals(original.spec())) {
            SavedModel.save(dir.modelDir(), network);
            return;
        }
        try (NDManager full = manager.newSubManager()) {
            SavedModel.save(dir.modelDir(), dev.chase.channel.Shrinker.of(original, sparse.channels().live().presentChannels())
                    .expandNetwork(network, full));
        }
    }

    /** Chase's end of run ({@link FinalShrink}). */
    private ShrinkReport shrink() {
        return new FinalShrink(trainLoader, testLoader, config.epochs()).apply(original, network, sparse.channels(),
                sparse.model().masks().nonZeros(), history.get(history.size() - 1).testAccuracy(), dir, manager);
    }

    /**
     * Shrinks a finished Chase run again from its last checkpoint (what {@code chase shrink}
     * does), rewriting {@code model-slim/} and {@code shrink.json}.
     */
    public ShrinkReport shrinkAgain() {
        if (sparse == null || sparse.channels() == null) {
            throw new ChaseException("run " + dir.root() + " was trained with method " + config.method()
                    + ", which removes no channels: there is nothing to shrink (only runs trained with chase train --method chase are)");
        }
        if (epoch < config.epochs()) {
            throw new ChaseException("run " + dir.root() + " is unfinished (epoch " + epoch + " of " + config.epochs()
                    + "); continue it with: chase train --resume " + Shell.quote(dir.root()));
        }
        shrinkReport = shrink();
        return shrinkReport;
    }

    /** The result of the end-of-run shrink (Chase runs), or null. */
    public ShrinkReport shrinkReport() {
        return shrinkReport;
    }

    private void trainEpoch(TrainListener listener) {
        int batches = trainLoader.numBatches();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        double lr = 0;
        List<Float> stepLoss = new ArrayList<>(batches);
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            try (NDManager sub = manager.newSubManager()) {
                BatchLoader.Batch batch = trainLoader.load(epoch, b, sub);
                lr = schedule.at(step);
                TrainStep.Result r = trainStep.run(sub, batch.images(), batch.labels(), lr, step + 1);
                if (!r.finite()) {
                    throw diverged(step + 1, "the training loss is " + r.loss());
                }
                step++;
                stepLoss.add(r.loss());
                if (sparse != null && sparse.narrowingDue()) {
                    continueNarrower();
                }
                FaultPoint.reach("step");
                if (stopRequested) {
                    return;
                }
                correct += r.correct();
                lossSum += (double) r.loss() * batch.size();
                seen += batch.size();
                double seconds = (System.nanoTime() - start) / 1e9;
                listener.onBatch(epoch + 1, b + 1, batches, lossSum / seen, seen / seconds);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String broken = firstNonFiniteParameter();
        if (broken != null) {
            throw diverged(step, "parameter " + broken + " holds NaN or infinite values at the end of the epoch");
        }
        listener.onEvaluate(epoch + 1);
        Evaluator.Result test = Evaluator.evaluate(network.block(), testLoader, manager);
        if (!Double.isFinite(test.loss())) {
            throw diverged(step, "the test loss is " + test.loss());
        }
        epoch++;
        bestTestAccuracy = Math.max(bestTestAccuracy, test.accuracy());
        EpochMetrics m = new EpochMetrics(epoch, step, lr, lossSum / seen, (double) correct / seen,
                test.loss(), test.accuracy(), seconds, seen / seconds, sparse == null ? null : sparse.metrics(), stepLoss,
                sparse == null || config.dstMethod() == DstMethod.STATIC ? null : sparse.drainUpdates());
        history.add(m);
        // Metrics first: a crash before the checkpoint is published leaves a metrics line that
        // resume drops (it keeps only epochs up to the checkpoint's).
        dir.writeMetrics(history);
        checkpoint();
        listener.onEpoch(m, config.epochs());
    }

    /** Shrink while training: moves the run onto the narrower network and frees the old one. */
    private void continueNarrower() {
        NDManager next = manager.newSubManager();
        try {
            network = sparse.narrow(next);
        } catch (RuntimeException e) {
            next.close();
            throw e;
        }
        trainStep = new TrainStep(network.block(), sgd, loss, hook);
        networkManager.close();
        networkManager = next;
    }

    /** The name of the first parameter (weights, biases, BatchNorm statistics) holding NaN or infinity, or null. */
    private String firstNonFiniteParameter() {
        for (Pair<String, Parameter> p : network.block().getParameters()) {
            NDArray a = p.getValue().getArray();
            // abs().max() is NaN if any element is NaN and infinite if any is infinite
            try (NDArray abs = a.abs();
                    NDArray max = abs.max()) {
                if (!Float.isFinite(max.getFloat())) {
                    return p.getKey();
                }
            }
        }
        return null;
    }

    /**
     * The error that stops a diverged run. Nothing of the failing epoch is written, so the run
     * directory keeps its last good checkpoint.
     */
    private ChaseException diverged(long atStep, String what) {
        String kept = epoch == 0 ? "no epoch had completed, so there is no checkpoint (delete " + dir.root() + " to start again)"
                : "the last good checkpoint, " + dir.checkpointFile(epoch).getFileName() + " (epoch " + epoch + "), is kept in "
                        + dir.checkpointFile(epoch).getParent();
        String advice = CpuIsaHint.forThisMachine().orElse("try a lower --lr");
        return new ChaseException("training diverged in epoch " + (epoch + 1) + " at step " + atStep + ": " + what + "; "
                + kept + "; " + advice);
    }

    private void checkpoint() {
        TrainingState state = new TrainingState(sgd.buffers(), sparse == null ? null : sparse.state());
        try (NDManager scratch = manager.newSubManager()) {
            Checkpoint.write(dir.checkpointFile(epoch), new Checkpoint.Header(epoch, step, bestTestAccuracy, network.spec()),
                    network.block(), state.toTensors(scratch));
        }
        FaultPoint.reach("checkpoint-publish");
        dir.publishCheckpoint(epoch);
    }

    /** The sparse-training state, or null for dense training. */
    public SparseTraining sparse() {
        return sparse;
    }

    @Override
    public void close() {
        if (sparse != null) {
            sparse.close();
        }
        trainLoader.close();
        testLoader.close();
        manager.close();
    }
}
