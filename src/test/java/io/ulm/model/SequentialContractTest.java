package io.ulm.model;

import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.ulm.model.onnx.MfOnnxExporter;
import io.ulm.model.onnx.SasRecOnnxExporter;
import io.ulm.model.recsys.Factors;
import io.ulm.model.sequential.SasRecSettings;
import io.ulm.model.sequential.SasRecWeights;
import io.ulm.platform.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The sequential kind's ONNX contract: an exported SASRec graph meets it, a factorisation graph does not (and vice versa). */
class SequentialContractTest {

    private static final List<String> ITEMS = List.of("a", "b", "c", "d", "e", "f");
    private static final SasRecSettings SETTINGS = new SasRecSettings(1, 1, 8, 6, 0.0, 1, 1, 0.01, 4, 1, 1, 3);

    @Test
    void anExportedSasRecGraphMeetsTheSequentialContractOnly() throws Exception {
        byte[] sasrec = SasRecOnnxExporter.export(SasRecWeights.initial(SETTINGS, ITEMS.size()), ITEMS).toByteArray();
        JsonNode mapping = Json.mapper().readTree("{\"items\": [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"], \"maxLength\": 6}");
        try (OrtSession session = OnnxModels.open(sasrec)) {
            assertThat(ModelContract.violations(ModelKind.SEQUENTIAL, session, mapping)).isEmpty();
            assertThat(ModelContract.historyLength(session)).isEqualTo(6);
            assertThat(ModelContract.violations(ModelKind.RECOMMENDER, session, mapping))
                    .anyMatch(v -> v.contains("input 'user' is missing"));
        }
    }

    @Test
    void aFactorisationGraphOrAMappingWithoutItemsIsRefusedAsSequential() throws Exception {
        byte[] mf = MfOnnxExporter.export(new Factors(1, 2, new float[]{1, 0}), new Factors(2, 2, new float[]{1, 0, 0, 1}),
                List.of("u"), List.of("a", "b")).toByteArray();
        try (OrtSession session = OnnxModels.open(mf)) {
            assertThat(ModelContract.violations(ModelKind.SEQUENTIAL, session, Json.mapper().readTree("{\"items\": [\"a\", \"b\"]}")))
                    .anyMatch(v -> v.contains("input 'history' is missing"));
        }
        byte[] sasrec = SasRecOnnxExporter.export(SasRecWeights.initial(SETTINGS, ITEMS.size()), ITEMS).toByteArray();
        try (OrtSession session = OnnxModels.open(sasrec)) {
            assertThat(ModelContract.violations(ModelKind.SEQUENTIAL, session, Json.mapper().readTree("{}")))
                    .containsExactly("mapping.items must be a non-empty array of ids");
        }
    }
}
