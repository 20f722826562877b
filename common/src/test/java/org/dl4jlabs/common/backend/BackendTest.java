package org.dl4jlabs.common.backend;

import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendTest {

    @Test
    void oneDnnHelpersAreEngagedInConvPoolingAndBatchNorm() throws Exception {
        BackendInfo info = Backend.init(0);
        assertEquals("CPU", info.backend());
        assertTrue(info.onednn(), "oneDNN helpers are not enabled: " + info);

        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build());
        net.init();

        assertInstanceOf(MKLDNNConvHelper.class, helperOf(net.getLayer(0)));
        assertInstanceOf(MKLDNNBatchNormHelper.class, helperOf(net.getLayer(1)));
        assertInstanceOf(MKLDNNSubsamplingHelper.class, helperOf(net.getLayer(2)));
    }

    @Test
    void threadsAreApplied() {
        assertEquals(1, Backend.init(1).threads());
        assertEquals(2, Backend.init(2).threads());
    }

    @Test
    void javaCppsResidentMemoryCheckIsOffUnlessTheUserSetIt() throws Exception {
        assertEquals("0", physicalBytesLimitInAFreshJvm());
        assertEquals(String.valueOf(3L << 30), physicalBytesLimitInAFreshJvm("-D" + Backend.MAX_PHYSICAL_BYTES + "=3g"));
    }

    /** What JavaCPP's limit is in a new JVM whose first ND4J call is {@link Backend#init}, as in every app. */
    private static String physicalBytesLimitInAFreshJvm(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FirstCall.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        List<String> lines = output.lines().toList();
        return lines.get(lines.size() - 1);
    }

    /** Calls {@link Backend#init} first and prints JavaCPP's limit on the resident memory last. */
    static final class FirstCall {
        public static void main(String[] args) {
            Backend.init(1);
            System.out.println(Pointer.maxPhysicalBytes());
        }
    }

    private static Object helperOf(Object layer) throws ReflectiveOperationException {
        for (Class<?> type = layer.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field helper = type.getDeclaredField("helper");
                helper.setAccessible(true);
                return helper.get(layer);
            } catch (NoSuchFieldException keepLooking) {
                // the field is declared on a superclass
            }
        }
        throw new AssertionError(layer.getClass() + " has no helper field");
    }
}
