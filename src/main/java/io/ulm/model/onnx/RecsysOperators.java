package io.ulm.model.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The operators Tribuo's {@code ONNXOperators} enum (opset 13) lacks: MatMul, TopK, Transpose for the factorisation
 * graph; Reshape, Relu, Equal and LayerNormalization (opset 17) for the sequential one. Attributes are declared so
 * Tribuo validates them when a node is built; integer attributes must be passed as {@link Integer}.
 */
public enum RecsysOperators implements ONNXOperator {
    /** Matrix product with numpy broadcasting. */
    MATMUL("MatMul", 2, 1, List.of()),
    /** Permutes the axes; {@code perm} (int[]) defaults to reversing them. */
    TRANSPOSE("Transpose", 1, 1, List.of(new ONNXAttribute("perm", AttributeType.INTS, false))),
    /**
     * The k largest (or smallest) along an axis; k is the second input, INT64 [1]. Outputs values and INT64 indexes;
     * equal values keep the lower index first.
     */
    TOPK("TopK", 2, 2, List.of(new ONNXAttribute("axis", AttributeType.INT, false),
            new ONNXAttribute("largest", AttributeType.INT, false),
            new ONNXAttribute("sorted", AttributeType.INT, false))),
    /** Reshapes to the INT64 shape given as the second input (-1: inferred). */
    RESHAPE("Reshape", 2, 1, List.of()),
    /** max(x, 0). */
    RELU("Relu", 1, 1, List.of()),
    /** Element-wise equality with broadcasting; BOOL output. */
    EQUAL("Equal", 2, 1, List.of()),
    /** (x − mean) / √(var + epsilon) · scale + bias over the axes from {@code axis} on (opset 17). */
    LAYER_NORMALIZATION("LayerNormalization", 3, 1, List.of(new ONNXAttribute("axis", AttributeType.INT, false),
            new ONNXAttribute("epsilon", AttributeType.FLOAT, false)));

    /** The default-domain opset of the factorisation graph (TopK-11 semantics, unchanged in 13). */
    public static final int OPSET = 13;
    /** The default-domain opset of graphs using LayerNormalization (the other operators keep their opset-13 meaning). */
    public static final int OPSET_LAYER_NORM = 17;

    private final String opName;
    private final int numInputs;
    private final int numOutputs;
    private final Map<String, ONNXAttribute> attributes;

    RecsysOperators(String opName, int numInputs, int numOutputs, List<ONNXAttribute> attributes) {
        this.opName = opName;
        this.numInputs = numInputs;
        this.numOutputs = numOutputs;
        this.attributes = attributes.stream().collect(Collectors.toUnmodifiableMap(ONNXAttribute::getName,
                Function.identity()));
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return numInputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return numOutputs;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return attributes.values().stream().filter(ONNXAttribute::isMandatory).map(ONNXAttribute::getName)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public int getOpVersion() {
        return this == LAYER_NORMALIZATION ? OPSET_LAYER_NORM : OPSET;
    }

    /** Null is the default ONNX domain, as in Tribuo's own enum. */
    @Override
    public String getOpDomain() {
        return null;
    }
}
