package io.ulm.catalogue;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** MovieLens movies.csv as catalogue items: genre counts equal the raw file's. */
class MovieLensItemsTest {

    @Test
    void everyMovieWithItsGenresAsCategories() throws Exception {
        ItemFile file;
        try (InputStream in = Files.newInputStream(SharedData.path(SharedData.MOVIES))) {
            file = MovieLensItems.read(in);
        }
        Map<String, Long> expected = new TreeMap<>();
        long movies = 0;
        long withoutGenres = 0;
        try (CSVParser parser = CSVParser.parse(SharedData.path(SharedData.MOVIES), StandardCharsets.UTF_8,
                CSVFormat.DEFAULT.builder().setHeader().get())) {
            for (CSVRecord row : parser) {
                movies++;
                for (String genre : row.get("genres").split("\\|")) {
                    if (genre.equals("(no genres listed)")) {
                        withoutGenres++;
                    } else {
                        expected.merge(genre, 1L, Long::sum);
                    }
                }
            }
        }
        Map<String, Long> actual = new TreeMap<>();
        file.items().forEach(i -> i.categories().forEach(c -> actual.merge(c, 1L, Long::sum)));
        assertThat(file.errors()).isEmpty();
        assertThat(file.items()).hasSize((int) movies).hasSize(9742);
        assertThat(actual).isEqualTo(expected).hasSize(19).containsEntry("Drama", 4361L).containsEntry("Comedy", 3756L);
        assertThat(file.items().stream().filter(i -> i.categories().isEmpty()).count()).isEqualTo(withoutGenres).isEqualTo(34);
        ItemDefinition toyStory = file.items().get(0);
        assertThat(toyStory.itemId()).isEqualTo("1");
        assertThat(toyStory.title()).isEqualTo("Toy Story (1995)");
        assertThat(toyStory.categories()).containsExactly("Adventure", "Animation", "Children", "Comedy", "Fantasy");
        assertThat(toyStory.properties().path("year").asInt()).isEqualTo(1995);
    }

    @Test
    void aFileWithoutTheColumnsIsRefusedNamingThem() {
        byte[] csv = "id,name\n1,x\n".getBytes(StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MovieLensItems.read(new ByteArrayInputStream(csv)))
                .hasMessageContaining("missing column(s) [movieId, title, genres]");
    }
}
