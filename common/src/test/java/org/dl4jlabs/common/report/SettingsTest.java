package org.dl4jlabs.common.report;

import org.dl4jlabs.common.LabsException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsTest {

    enum Optimizer { ADAM, NESTEROVS }

    record Training(Optimizer optimizer, double learningRate, List<Integer> hidden) {
    }

    record Preset(String presetName, Integer stages) {
    }

    @Test
    void writesSnakeCaseKeysLowerCaseEnumsAndMergesRecordsInOrder() {
        Map<String, Object> map = Settings.toMap(new Training(Optimizer.NESTEROVS, 0.01, List.of(512, 256)),
                new Preset("mnist", null));
        assertEquals(List.of("optimizer", "learning_rate", "hidden", "preset_name"), List.copyOf(map.keySet()));
        assertEquals("nesterovs", map.get("optimizer"));
        assertFalse(map.containsKey("stages"), "null components are left out");
    }

    @Test
    void readsBackWhatItWroteIgnoringKeysTheRecordDoesNotHave() {
        Training written = new Training(Optimizer.ADAM, 0.001, List.of(128));
        Map<String, Object> map = Settings.toMap(written, new Preset("cifar", 3));
        assertEquals(written, Settings.fromMap(map, Training.class, "model.zip"));
    }

    @Test
    void aValueOfTheWrongTypeIsAUserErrorNamingTheSource() {
        LabsException e = assertThrows(LabsException.class, () -> Settings.fromMap(
                Map.of("optimizer", "rmsprop"), Training.class, "old-model.zip"));
        assertTrue(e.getMessage().startsWith("old-model.zip has settings this version cannot read"), e.getMessage());
    }
}
