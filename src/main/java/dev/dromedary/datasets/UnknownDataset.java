package dev.dromedary.datasets;

import java.util.List;

/** A job named a dataset that no definition file defines. */
public final class UnknownDataset extends IllegalArgumentException {

    public UnknownDataset(String name, List<String> known) {
        super("'" + name + "' is not a dataset; the datasets are " + String.join(", ", known));
    }
}
