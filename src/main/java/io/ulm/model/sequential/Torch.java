package io.ulm.model.sequential;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.jboss.logging.Logger;

/**
 * The PyTorch engine of DJL, offline: its native libraries come from the {@code pytorch-native-cpu} jar on the class
 * path (unpacked once into DJL's cache, {@code DJL_CACHE_DIR}, default ~/.djl.ai), never from the network. Picks a
 * CUDA device when PyTorch reports one, else the CPU, and says which once.
 */
public final class Torch {

    private static final Logger LOG = Logger.getLogger(Torch.class);
    private static volatile Device device;

    private Torch() {
    }

    /** The engine, loaded on first use (~1 s; the first run on a machine also unpacks ~430 MiB). */
    public static synchronized Engine engine() {
        if (System.getProperty("ai.djl.offline") == null) {
            // DJL would otherwise look up a newer native build on the network when the jar's version differs
            System.setProperty("ai.djl.offline", "true");
        }
        return Engine.getEngine("PyTorch");
    }

    /** GPU 0 when PyTorch sees a CUDA device, else the CPU (logged once with the reason). */
    public static synchronized Device device() {
        if (device == null) {
            Engine engine = engine();
            if (engine.getGpuCount() > 0) {
                device = Device.gpu();
                LOG.infof("Sequential recommender: training on CUDA device %s (PyTorch %s)", device, engine.getVersion());
            } else {
                device = Device.cpu();
                LOG.infof("Sequential recommender: PyTorch %s reports no CUDA device: training on CPU (%s threads)", engine.getVersion(),
                        System.getProperty("ai.djl.pytorch.num_threads", String.valueOf(Runtime.getRuntime().availableProcessors())));
            }
        }
        return device;
    }
}
