package org.dl4jlabs.common.data.folder;

/** The ways folders of photos come, and how each names a photo's class. */
public enum FolderLayout {
    /** {@code DIR/Cat/*.jpg}, {@code DIR/Dog/*.jpg}, as Microsoft's PetImages: no split. */
    CLASS_FOLDERS("one folder per class (no split given)"),
    /** {@code DIR/{train,validation,test}/<class>/*.jpg}, as Chollet's small subset. */
    SPLIT_FOLDERS("train, validation and test folders, each with one folder per class"),
    /** {@code DIR/train/cat.123.jpg}: the class is the name's first part, as in Kaggle's dogs-vs-cats. */
    KAGGLE_FLAT("Kaggle's flat naming, <class>.<number>.jpg (no split given)");

    private final String description;

    FolderLayout(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
