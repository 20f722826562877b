package org.dl4jlabs.common.data.mnist;

import org.dl4jlabs.common.data.download.Checksum;
import org.dl4jlabs.common.data.download.RemoteFile;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MnistTest {

    @Test
    void eachFileIsFetchedFromEveryMirrorInOrder() {
        List<RemoteFile> files = IdxDataset.MNIST.remoteFiles(List.of(URI.create("https://one.example/mnist/"),
                URI.create("http://two.example/data")));
        assertEquals(List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz"), files.stream().map(RemoteFile::name).toList());
        assertEquals(List.of(URI.create("https://one.example/mnist/t10k-images-idx3-ubyte.gz"),
                URI.create("http://two.example/data/t10k-images-idx3-ubyte.gz")), files.get(2).mirrors());
        assertEquals(Checksum.md5("ec29112dd5afa0611ce80d1b7f02629c"), files.get(3).check());
    }

    @Test
    void publicMirrorsPutTheOriginalSiteLast() {
        assertEquals(List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/"),
                URI.create("http://yann.lecun.com/exdb/mnist/")), IdxDataset.MNIST.mirrors());
    }

    @Test
    void fashionMnistHasItsOwnChecksumsClassesAndFolder() {
        List<RemoteFile> files = IdxDataset.FASHION.remoteFiles(IdxDataset.FASHION.mirrors());
        assertEquals(Checksum.md5("8d4fb7e6c68d591d4c3dfef9ec88bf0d"), files.get(0).check());
        assertEquals(Checksum.md5("bb300cfdad3c16e7a12a480ee83cd310"), files.get(3).check());
        assertEquals(URI.create("https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"
                + "train-images-idx3-ubyte.gz"), files.get(0).mirrors().get(0));
        assertEquals("Ankle boot", IdxDataset.FASHION.classNames().get(9));
        assertEquals("fashion-mnist", IdxDataset.FASHION.directoryName());
    }
}
