package io.ulm.model.churn;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/** The {@code ai.onnx.ml} operators Tribuo's operator enum lacks (declared for opset ai.onnx.ml 3). */
enum OnnxMlOps implements ONNXOperator {

    TREE_ENSEMBLE_CLASSIFIER("TreeEnsembleClassifier", 2,
            floats("base_values"), ints("class_ids"), ints("class_nodeids"), ints("class_treeids"),
            floats("class_weights"), ints("classlabels_int64s"), ints("nodes_falsenodeids"), ints("nodes_featureids"),
            ints("nodes_missing_value_tracks_true"), strings("nodes_modes"), ints("nodes_nodeids"),
            ints("nodes_treeids"), ints("nodes_truenodeids"), floats("nodes_values"), string("post_transform")),
    IMPUTER("Imputer", 1, floats("imputed_value_floats"), new ONNXAttribute("replaced_value_float", AttributeType.FLOAT, false)),
    SCALER("Scaler", 1, floats("offset"), floats("scale"));

    static final String DOMAIN = "ai.onnx.ml";
    static final int VERSION = 3;

    private final String name;
    private final int outputs;
    private final Map<String, ONNXAttribute> attributes;

    OnnxMlOps(String name, int outputs, ONNXAttribute... attributes) {
        this.name = name;
        this.outputs = outputs;
        this.attributes = Arrays.stream(attributes).collect(Collectors.toUnmodifiableMap(ONNXAttribute::getName, Function.identity()));
    }

    private static ONNXAttribute floats(String name) {
        return new ONNXAttribute(name, AttributeType.FLOATS, false);
    }

    private static ONNXAttribute ints(String name) {
        return new ONNXAttribute(name, AttributeType.INTS, false);
    }

    private static ONNXAttribute strings(String name) {
        return new ONNXAttribute(name, AttributeType.STRINGS, false);
    }

    private static ONNXAttribute string(String name) {
        return new ONNXAttribute(name, AttributeType.STRING, false);
    }

    @Override
    public String getOpName() {
        return name;
    }

    @Override
    public int getNumInputs() {
        return 1;
    }

    @Override
    public int getNumOptionalInputs() {
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return outputs;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return Set.of();
    }

    @Override
    public int getOpVersion() {
        return VERSION;
    }

    @Override
    public String getOpDomain() {
        return DOMAIN;
    }
}
