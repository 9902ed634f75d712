package org.redtest.data;

/** Which half of a dataset to read. */
public enum Split {
    TRAIN,
    TEST
}
