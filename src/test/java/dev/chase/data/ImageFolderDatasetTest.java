package dev.chase.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chase.ChaseException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {

    @TempDir
    Path root;

    /** A w x h PNG whose pixel (x, y) is RGB (r, x * 10, y * 10). */
    static void png(Path file, int w, int h, int r) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (r << 16) | ((x * 10) << 8) | (y * 10));
            }
        }
        Files.createDirectories(file.getParent());
        assertThat(ImageIO.write(img, "png", file.toFile())).isTrue();
    }

    @Test
    void classesAreSortedFolderNamesAndImagesDecodeToRgbChw() throws IOException {
        png(root.resolve("zebra/b.png"), 3, 2, 200);
        png(root.resolve("zebra/a.PNG"), 4, 5, 201);
        png(root.resolve("apple/x.png"), 2, 2, 10);
        png(root.resolve("mango/m.png"), 6, 3, 50);
        Files.writeString(root.resolve("mango/readme.txt"), "not an image");
        Files.createDirectories(root.resolve(".hidden"));
        png(root.resolve(".hidden/h.png"), 2, 2, 1);

        ImageFolderDataset ds = ImageFolderDataset.open(root);
        assertThat(ds.classNames()).containsExactly("apple", "mango", "zebra");
        assertThat(ds.numClasses()).isEqualTo(3);
        assertThat(ds.size()).isEqualTo(4);
        assertThat(new int[] {ds.label(0), ds.label(1), ds.label(2), ds.label(3)}).containsExactly(0, 1, 2, 2);
        assertThat(ds.file(2).getFileName().toString()).isEqualTo("a.PNG");

        RawImage img = ds.image(2);
        assertThat(img.shape()).isEqualTo(new ImageShape(3, 5, 4));
        assertThat(img.at(0, 4, 3)).isEqualTo(201);
        assertThat(img.at(1, 4, 3)).isEqualTo(30);
        assertThat(img.at(2, 4, 3)).isEqualTo(40);
        assertThat(ds.image(1).shape()).isEqualTo(new ImageShape(3, 3, 6));
    }

    @Test
    void greyImagesBecomeThreeEqualChannels() throws IOException {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 0);
        grey.getRaster().setSample(1, 0, 0, 255);
        Files.createDirectories(root.resolve("a"));
        ImageIO.write(grey, "png", root.resolve("a/g.png").toFile());
        RawImage img = ImageFolderDataset.open(root).image(0);
        assertThat(img.shape()).isEqualTo(new ImageShape(3, 1, 2));
        for (int c = 0; c < 3; c++) {
            assertThat(img.at(c, 0, 0)).isZero();
            assertThat(img.at(c, 0, 1)).isEqualTo(255);
        }
    }

    @Test
    void undecodableImageNamesTheFile() throws IOException {
        png(root.resolve("cat/ok.png"), 2, 2, 1);
        Files.createDirectories(root.resolve("dog"));
        Files.write(root.resolve("dog/broken.jpg"), new byte[] {1, 2, 3, 4, 5});
        ImageFolderDataset ds = ImageFolderDataset.open(root);
        assertThat(ds.image(0).shape().channels()).isEqualTo(3);
        assertThatThrownBy(() -> ds.image(1))
                .isInstanceOf(ChaseException.class)
                .hasMessageContaining("broken.jpg")
                .hasMessageContaining("decode");
    }

    @Test
    void folderErrorsAreClear() throws IOException {
        assertThatThrownBy(() -> ImageFolderDataset.open(root.resolve("missing")))
                .isInstanceOf(ChaseException.class).hasMessageContaining("missing").hasMessageContaining("does not exist");
        Files.writeString(root.resolve("loose.png"), "x");
        assertThatThrownBy(() -> ImageFolderDataset.open(root))
                .isInstanceOf(ChaseException.class).hasMessageContaining("no class folders");
        png(root.resolve("full/a.png"), 2, 2, 1);
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve("empty/notes.txt"), "x");
        assertThatThrownBy(() -> ImageFolderDataset.open(root))
                .isInstanceOf(ChaseException.class).hasMessageContaining("empty").hasMessageContaining("no .jpg/.jpeg/.png");
    }

    @Test
    void worksWithTheImagenetTransforms() throws IOException {
        png(root.resolve("a/1.png"), 40, 30, 100);
        png(root.resolve("b/2.png"), 25, 50, 100);
        ImageFolderDataset ds = ImageFolderDataset.open(root);
        Transform train = new RandomResizedCrop(16, 3, Normalization.IMAGENET);
        Transform eval = new ResizeCenterCrop(20, 16, 3, Normalization.IMAGENET);
        for (int i = 0; i < ds.size(); i++) {
            float[] a = new float[train.outputShape().size()];
            train.apply(ds.image(i), new java.util.SplittableRandom(i), a, 0);
            eval.apply(ds.image(i), new java.util.SplittableRandom(i), a, 0);
            // channel 0 is constant 100 everywhere: normalised (100/255 - 0.485)/0.229
            assertThat(a[0]).isCloseTo((float) ((100 / 255.0 - 0.485) / 0.229), org.assertj.core.api.Assertions.within(1e-4f));
        }
    }
}
